// Debian's Chromium as the browser tests and the benchmarks launch it: never a downloaded browser.

/** The browser binary: Debian's, unless POLYPHONY_CHROMIUM names another. */
export const CHROMIUM_PATH = process.env.POLYPHONY_CHROMIUM ?? '/usr/bin/chromium';

/** No sandbox (containers run as root), no GPU, no background traffic to skew timings. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
