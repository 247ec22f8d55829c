// Item 6: in headless Chromium, the time from a click on a plugin's link in the top bar to its page
// painted, with a cold and a warm cache, and the bytes that click transfers; also what loading the
// app itself transfers. The host is `npm start`'s server on SQLite, serving a fresh production
// build of the web app; the browser is Debian's Chromium, as in the e2e tests.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
// The e2e tests' launch settings: the same browser, the same flags.
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from '../../../e2e/support/chromium.ts';
import { signIn } from '../lib/admin.ts';
import { heavyPageArchive, heavyPageFiles } from '../lib/browser-plugin.ts';
import { fmt } from '../lib/format.ts';
import { probeArchive } from '../lib/plugins.ts';
import { ADMIN, newHostData, REPO_ROOT, startHost, type Server } from '../lib/servers.ts';
import { interleave, median, spread } from '../lib/stats.ts';
import type { ResultTable, Scenario, TargetCheck } from '../lib/types.ts';

/** Clicks are cheap: a full run takes at least this many rounds, whatever --repeats says. */
const MIN_FULL_ROUNDS = 5;
const TARGET_MS = 300;

const VARIANTS = ['probe', 'heavy'] as const;
type Variant = (typeof VARIANTS)[number];
const PLUGIN_ID: Record<Variant, string> = { probe: 'page-probe', heavy: 'page-heavy' };

/** The three clicks of a round, in the order a round makes them. */
const CLICKS = ['cold', 'warmHttp', 'warmSession'] as const;
type ClickKind = (typeof CLICKS)[number];
const CLICK_LABEL: Record<ClickKind, string> = {
  cold: 'cold: new browser profile, empty cache',
  warmHttp: 'warm HTTP cache: app opened in a new tab',
  warmSession: 'warm, same page: bundle already imported',
};

// ---------------------------------------------------------------------------------------------
// The web app

/**
 * Builds the web app into the run's folder, as `npm run build` does into frontend/dist: the
 * bench measures the sources as they are, never a stale or missing frontend/dist.
 */
async function buildWebApp(outDir: string): Promise<void> {
  const frontend = path.join(REPO_ROOT, 'frontend');
  const vite = path.join(
    path.dirname(createRequire(path.join(frontend, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  let output = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: frontend, env: { ...process.env, NODE_ENV: 'production' } },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0 || !existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(
      `browser: building the web app failed (exit ${code}); \`npm run build\` shows why.\n${output}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// What the browser fetched, from the DevTools protocol

interface Fetch {
  url: string;
  status: number;
  /** Where the answer came from: the network, or the browser's HTTP cache (disk or memory). */
  source: 'network' | 'disk-cache' | 'memory-cache';
  /** Bytes on the wire: headers and (compressed) body; 0 for an answer from a cache. */
  transferred: number;
  /** Bytes of the body once decompressed. */
  body: number;
}

interface FetchSummary {
  requests: number;
  /** Of which answered by the network (the rest came from the browser's caches). */
  fromNetwork: number;
  transferred: number;
  body: number;
  fetches: Fetch[];
}

interface Entry extends Fetch {
  done: boolean;
}

/**
 * Every request a page makes, with its encoded length (Network.loadingFinished): what DevTools
 * shows as "transferred". `reset()` before an action, `quiet()` after it, then `summary()`.
 */
class NetworkLog {
  private entries = new Map<string, Entry>();

  private constructor() {}

  static async attach(context: BrowserContext, page: Page): Promise<NetworkLog> {
    const log = new NetworkLog();
    const cdp = await context.newCDPSession(page);
    const entry = (id: string) => log.entries.get(id);
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (!/^https?:/.test(request.url) || log.entries.has(requestId)) return;
      log.entries.set(requestId, {
        url: request.url,
        status: 0,
        source: 'network',
        transferred: 0,
        body: 0,
        done: false,
      });
    });
    cdp.on('Network.requestServedFromCache', ({ requestId }) => {
      const e = entry(requestId);
      if (e) e.source = 'memory-cache';
    });
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      const e = entry(requestId);
      if (!e) return;
      e.status = response.status;
      if (response.fromDiskCache === true && e.source === 'network') e.source = 'disk-cache';
    });
    cdp.on('Network.dataReceived', ({ requestId, dataLength }) => {
      const e = entry(requestId);
      if (e) e.body += dataLength;
    });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const e = entry(requestId);
      if (!e) return;
      e.transferred = e.source === 'network' ? encodedDataLength : 0;
      e.done = true;
    });
    cdp.on('Network.loadingFailed', ({ requestId }) => {
      const e = entry(requestId);
      if (e) e.done = true;
    });
    await cdp.send('Network.enable');
    return log;
  }

  reset(): void {
    this.entries.clear();
  }

  /** Waits until no request has been open for `idleMs` (requests a render starts late included). */
  async quiet(idleMs = 150, timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let idleSince = performance.now();
    while (performance.now() < deadline) {
      const open = [...this.entries.values()].some((e) => !e.done);
      if (open) idleSince = performance.now();
      else if (performance.now() - idleSince >= idleMs) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const open = [...this.entries.values()].filter((e) => !e.done).map((e) => e.url);
    throw new Error(`browser: requests still open after ${timeoutMs} ms: ${open.join(', ')}`);
  }

  summary(): FetchSummary {
    const fetches = [...this.entries.values()].map(({ done: _, ...fetch }) => fetch);
    return {
      requests: fetches.length,
      fromNetwork: fetches.filter((f) => f.source === 'network').length,
      transferred: fetches.reduce((sum, f) => sum + f.transferred, 0),
      body: fetches.reduce((sum, f) => sum + f.body, 0),
      fetches,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The clicks

/** Times in the page's clock (performance.now), from the click event. */
interface PageTimes {
  /** The click event's time stamp. */
  click: number;
  /** When the page's element was in the DOM (a MutationObserver saw React's commit). */
  inDom: number;
  /** After the next frame: requestAnimationFrame, then a task, which runs once it is painted. */
  painted: number;
}

interface Click {
  /** Milliseconds from the click to the plugin's element in the DOM. */
  domMs: number;
  /** Milliseconds from the click to the first frame painted with it. */
  paintMs: number;
  /** What the click made the browser fetch, until the network was quiet again. */
  network: FetchSummary;
}

/**
 * Arms the page for one click: a capturing listener takes the click's time stamp, then a
 * MutationObserver waits until `ready` (a JS expression) holds. In-page code is a string: the
 * bench is type-checked without the DOM's types.
 */
function armScript(ready: string): string {
  return `(() => {
    window.__benchClick = new Promise((resolve) => {
      let click = null;
      const observer = new MutationObserver(() => check());
      const check = () => {
        if (click === null || !(${ready})) return;
        observer.disconnect();
        const inDom = performance.now();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ click, inDom, painted: performance.now() });
          channel.port2.postMessage(null);
        });
      };
      window.addEventListener('click', (event) => {
        click = event.timeStamp;
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        check();
      }, { capture: true, once: true });
    });
  })()`;
}

function isPageTimes(value: unknown): value is PageTimes {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['click', 'inDom', 'painted'].every((key) => typeof v[key] === 'number');
}

/** Clicks the top bar's link `label` and times it until `ready` holds in the page. */
async function timeClick(
  page: Page,
  network: NetworkLog,
  label: string,
  ready: string,
): Promise<Click> {
  await page.evaluate(armScript(ready));
  network.reset();
  await page.getByRole('link', { name: label, exact: true }).click();
  // evaluate() has no time limit of its own: a page that never shows must fail the run, not hang it.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void page
        .locator('main')
        .innerText({ timeout: 1000 })
        .catch(() => '')
        .then((text) => {
          reject(
            new Error(`browser: "${label}" did not show its page in 15 s; on screen: ${text}`),
          );
        });
    }, 15_000);
  });
  const times = await Promise.race([page.evaluate('window.__benchClick'), timeout]).finally(() => {
    clearTimeout(timer);
  });
  if (!isPageTimes(times)) throw new Error(`browser: no click timing: ${JSON.stringify(times)}`);
  await network.quiet();
  return {
    domMs: times.inDom - times.click,
    paintMs: times.painted - times.click,
    network: network.summary(),
  };
}

const pageSelector = (id: string) => `[data-bench-page="${id}"]`;

function clickPluginLink(page: Page, network: NetworkLog, id: string): Promise<Click> {
  const ready = `document.querySelector(${JSON.stringify(pageSelector(id))}) !== null`;
  return timeClick(page, network, `Probe ${id}`, ready);
}

/** Back to Home (a core page) from a plugin page, in the same document: the baseline. */
function clickHome(page: Page, network: NetworkLog, id: string): Promise<Click> {
  const ready =
    `document.querySelector(${JSON.stringify(pageSelector(id))}) === null && ` +
    `[...document.querySelectorAll('h1')].some((h) => h.textContent.startsWith('Welcome'))`;
  return timeClick(page, network, 'Home', ready);
}

interface AppLoad {
  /** From `page.goto` (Node's clock) to the plugin's link visible in the top bar. */
  ms: number;
  network: FetchSummary;
}

/** Opens the app's home page and waits for the plugin's link and a quiet network. */
async function openHome(
  page: Page,
  network: NetworkLog,
  server: Server,
  id: string,
): Promise<AppLoad> {
  network.reset();
  const started = performance.now();
  await page.goto(`${server.url}/`);
  await page
    .getByRole('link', { name: `Probe ${id}`, exact: true })
    .waitFor({ state: 'visible', timeout: 30_000 });
  const ms = performance.now() - started;
  await network.quiet();
  return { ms, network: network.summary() };
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface Round {
  coldLoad: AppLoad;
  warmLoad: AppLoad;
  clicks: Record<ClickKind, Click>;
  /** Plugin page → Home, in the same page: a core page's click, for comparison. */
  home: Click;
}

/**
 * One round for one plugin: a new browser context (an empty profile: empty HTTP cache, no
 * modules), the app opened and the link clicked (cold); the app opened again in a new tab of
 * that context and the link clicked (warm HTTP cache: the bundle comes from the cache but is
 * imported anew); Home, and the link again in that tab (the bundle is already imported).
 */
async function round(
  browser: Browser,
  storageState: StorageState,
  server: Server,
  id: string,
): Promise<Round> {
  const context = await browser.newContext({ storageState });
  try {
    const first = await context.newPage();
    const firstLog = await NetworkLog.attach(context, first);
    const coldLoad = await openHome(first, firstLog, server, id);
    const cold = await clickPluginLink(first, firstLog, id);
    await first.close();

    const page = await context.newPage();
    const network = await NetworkLog.attach(context, page);
    const warmLoad = await openHome(page, network, server, id);
    const warmHttp = await clickPluginLink(page, network, id);
    const home = await clickHome(page, network, id);
    const warmSession = await clickPluginLink(page, network, id);
    return { coldLoad, warmLoad, clicks: { cold, warmHttp, warmSession }, home };
  } finally {
    await context.close();
  }
}

/**
 * Chrome traces (DevTools' Performance panel, or chrome://tracing) of a round's three clicks, for
 * `--profile`: where the time between click and paint goes.
 */
async function traceClicks(
  browser: Browser,
  storageState: StorageState,
  server: Server,
  id: string,
  dir: string,
): Promise<string[]> {
  const context = await browser.newContext({ storageState });
  const files: string[] = [];
  const traced = async (page: Page, kind: string, click: () => Promise<Click>) => {
    const file = path.join(dir, `browser-${id}-${kind}-click.trace.json`);
    await browser.startTracing(page, { path: file, screenshots: false });
    const result = await click();
    await browser.stopTracing();
    files.push(file);
    return result;
  };
  try {
    const first = await context.newPage();
    const firstLog = await NetworkLog.attach(context, first);
    await openHome(first, firstLog, server, id);
    await traced(first, 'cold', () => clickPluginLink(first, firstLog, id));
    await first.close();
    const page = await context.newPage();
    const network = await NetworkLog.attach(context, page);
    await openHome(page, network, server, id);
    await traced(page, 'warm-http', () => clickPluginLink(page, network, id));
    await traced(page, 'home', () => clickHome(page, network, id));
    await traced(page, 'warm-session', () => clickPluginLink(page, network, id));
  } finally {
    await context.close();
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// The scenario

interface Summary {
  median: number;
  min: number;
  max: number;
}

interface ClickSummary {
  paintMs: Summary;
  domMs: Summary;
  requests: Summary;
  fromNetwork: Summary;
  transferred: Summary;
  body: Summary;
}

interface LoadSummary {
  ms: Summary;
  requests: Summary;
  fromNetwork: Summary;
  transferred: Summary;
  body: Summary;
}

interface VariantSummary {
  clicks: Record<ClickKind, ClickSummary>;
  home: ClickSummary;
  coldLoad: LoadSummary;
  warmLoad: LoadSummary;
}

function summarize(values: readonly number[]): Summary {
  return { median: median(values), ...spread(values) };
}

function summarizeClicks(clicks: readonly Click[]): ClickSummary {
  const of = (pick: (c: Click) => number) => summarize(clicks.map(pick));
  return {
    paintMs: of((c) => c.paintMs),
    domMs: of((c) => c.domMs),
    requests: of((c) => c.network.requests),
    fromNetwork: of((c) => c.network.fromNetwork),
    transferred: of((c) => c.network.transferred),
    body: of((c) => c.network.body),
  };
}

function summarizeLoads(loads: readonly AppLoad[]): LoadSummary {
  const of = (pick: (l: AppLoad) => number) => summarize(loads.map(pick));
  return {
    ms: of((l) => l.ms),
    requests: of((l) => l.network.requests),
    fromNetwork: of((l) => l.network.fromNetwork),
    transferred: of((l) => l.network.transferred),
    body: of((l) => l.network.body),
  };
}

export const browser: Scenario = async (ctx) => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser: no Chromium at ${CHROMIUM}; install Debian's chromium or set POLYPHONY_CHROMIUM (no browser is downloaded)`,
    );
  }
  const rounds = ctx.quick ? 1 : Math.max(ctx.repeats, MIN_FULL_ROUNDS);
  const webRoot = path.join(ctx.workDir, 'browser-web');
  ctx.log('browser: building the web app');
  await buildWebApp(webRoot);

  const heavyFiles = heavyPageFiles();
  const archives: Record<Variant, Buffer> = {
    probe: await probeArchive({ id: PLUGIN_ID.probe, heavy: false }),
    heavy: heavyPageArchive(PLUGIN_ID.heavy, heavyFiles),
  };

  const data = await newHostData(path.join(ctx.workDir, 'browser'), { kind: 'sqlite' });
  const nodeArgs = ctx.profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ctx.profileDir, 'browser-host')}`]
    : [];
  const server = await startHost(data, {
    entry: 'main',
    env: { POLYPHONY_WEB_ROOT: webRoot },
    nodeArgs,
  });
  let chrome: Browser | null = null;
  let samples: Record<Variant, Round[]>;
  let warmUp: Round | null = null;
  const traces: string[] = [];
  try {
    ctx.log(`browser: host up in ${fmt.ms(server.startMs)}`);
    const admin = await signIn(server.url);
    for (const variant of VARIANTS) {
      const installed = (await admin.install(archives[variant])).body as {
        plugin?: { state?: string };
      };
      if (installed.plugin?.state !== 'active') await admin.activate(PLUGIN_ID[variant]);
    }

    chrome = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    // Signed in once; every context starts from the same session cookie.
    const setup = await chrome.newContext();
    const login = await setup.request.post(`${server.url}/api/v1/auth/login`, { data: ADMIN });
    if (login.status() !== 200) throw new Error(`browser: sign-in failed: ${login.status()}`);
    const storageState = await setup.storageState();
    await setup.close();

    // The first context of a fresh browser also starts its network and renderer processes.
    if (!ctx.quick) warmUp = await round(chrome, storageState, server, PLUGIN_ID.probe);
    const browser_ = chrome;
    samples = await interleave(VARIANTS, rounds, async (variant, index) => {
      const result = await round(browser_, storageState, server, PLUGIN_ID[variant]);
      ctx.log(
        `browser: ${variant} round ${index + 1}/${rounds}: ` +
          CLICKS.map((kind) => `${kind} ${fmt.ms(result.clicks[kind].paintMs)}`).join(', '),
      );
      return result;
    });
    if (ctx.profileDir) {
      for (const variant of VARIANTS) {
        const id = PLUGIN_ID[variant];
        traces.push(...(await traceClicks(chrome, storageState, server, id, ctx.profileDir)));
      }
    }
  } finally {
    await chrome?.close();
    await server.stop();
  }

  const byVariant = Object.fromEntries(
    VARIANTS.map((variant) => {
      const list = samples[variant];
      const summary: VariantSummary = {
        clicks: Object.fromEntries(
          CLICKS.map((kind) => [kind, summarizeClicks(list.map((r) => r.clicks[kind]))]),
        ) as Record<ClickKind, ClickSummary>,
        home: summarizeClicks(list.map((r) => r.home)),
        coldLoad: summarizeLoads(list.map((r) => r.coldLoad)),
        warmLoad: summarizeLoads(list.map((r) => r.warmLoad)),
      };
      return [variant, summary];
    }),
  ) as Record<Variant, VariantSummary>;

  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  // Module bytes as served (before gzip): the probe's page, and the heavy page's entry + library.
  const sizes = {
    probe: statSync(path.join(REPO_ROOT, 'bench/src/probe-plugin/frontend.js')).size,
    heavyEntry: bytes(heavyFiles.entry),
    library: bytes(heavyFiles.library),
  };
  const variantLabel: Record<Variant, string> = {
    probe: `probe page (${fmt.kb(sizes.probe)} module)`,
    heavy: `probe page + ${fmt.kb(sizes.library)} library`,
  };
  const clickRow = (page: string, cache: string, s: ClickSummary) => [
    page,
    cache,
    fmt.ms(s.domMs.median),
    fmt.ms(s.paintMs.median),
    `${fmt.ms(s.paintMs.min)} – ${fmt.ms(s.paintMs.max)}`,
    `${s.requests.median} (${s.fromNetwork.median})`,
    fmt.kb(s.transferred.median),
    fmt.kb(s.body.median),
  ];
  const clicksTable: ResultTable = {
    title: `Click on a plugin's link → its page painted (median of ${rounds} rounds; min–max)`,
    columns: [
      'Page',
      'Cache',
      'to DOM',
      'to paint',
      'paint min–max',
      'requests (network)',
      'transferred',
      'decoded',
    ],
    rows: [
      ...VARIANTS.flatMap((variant) =>
        CLICKS.map((kind) =>
          clickRow(variantLabel[variant], CLICK_LABEL[kind], byVariant[variant].clicks[kind]),
        ),
      ),
      clickRow(
        'Home, a core page (for comparison)',
        'same page, from the probe page',
        byVariant.probe.home,
      ),
    ],
    note:
      "Timed in the page: from the click event to the page's element in the DOM (MutationObserver) " +
      'and to the next frame painted (requestAnimationFrame, then a task). Bytes: every request the ' +
      'click started until the network was quiet for 150 ms, from the DevTools protocol ' +
      '(transferred: headers and gzip body, 0 from a cache; decoded: bodies). Each round opens a new ' +
      'browser context; the two plugins alternate.',
  };

  const loadsTable: ResultTable = {
    title: `Loading the app: the home page until the plugin links show (median of ${rounds})`,
    columns: ['Cache', 'time', 'time min–max', 'requests (network)', 'transferred', 'decoded'],
    rows: (['coldLoad', 'warmLoad'] as const).map((which) => {
      // Both plugins' links are on every page; the probe rounds are the reference.
      const s = byVariant.probe[which];
      return [
        which === 'coldLoad'
          ? 'cold: new browser profile, empty cache'
          : 'warm HTTP cache: new tab',
        fmt.ms(s.ms.median),
        `${fmt.ms(s.ms.min)} – ${fmt.ms(s.ms.max)}`,
        `${s.requests.median} (${s.fromNetwork.median})`,
        fmt.kb(s.transferred.median),
        fmt.kb(s.body.median),
      ];
    }),
    note: "From page.goto (Node's clock) to the plugin's link visible in the top bar; bytes until the network was quiet for 150 ms.",
  };

  const warm = byVariant.probe.clicks.warmHttp.paintMs;
  const session = byVariant.probe.clicks.warmSession.paintMs;
  const heavyWarm = byVariant.heavy.clicks.warmHttp.paintMs;
  const targets: TargetCheck[] = [
    {
      goal: `A plugin page renders within ${TARGET_MS} ms of the click on a warm cache`,
      measured:
        `${fmt.ms(warm.median)} median (${fmt.ms(warm.min)} – ${fmt.ms(warm.max)}) from click to painted ` +
        `with the bundle in the HTTP cache, ${fmt.ms(session.median)} with it imported already; ` +
        `${fmt.ms(heavyWarm.median)} for a page importing a ${fmt.kb(sizes.library)} library`,
      met: warm.median <= TARGET_MS && session.median <= TARGET_MS,
    },
  ];

  const notes = [
    `Host: \`npm start\`'s server on SQLite serving a fresh production build of the web app; browser: ${CHROMIUM}, headless, signed in as an admin. Plugins: the probe plugin, and a page-only plugin whose page imports a ${fmt.kb(sizes.library)} module of generated library-like code (${heavyFiles.library.split('export function').length - 1} small functions).`,
    'The warm-cache target is checked on the probe page with its bundle in the HTTP cache (the app opened again in a new tab) and with it imported already (same tab).',
  ];
  if (warmUp) {
    notes.push(
      'One untimed warm-up round ran first: a fresh browser starts processes on its first context.',
    );
  }
  if (traces.length > 0) notes.push(`Chrome traces of the clicks: ${traces.join(', ')}.`);
  if (ctx.quick) notes.push('--quick: one round and no warm-up; not for numbers.');

  return {
    id: 'browser',
    title: 'Plugin pages in the browser',
    tables: [clicksTable, loadsTable],
    targets,
    notes,
    data: { rounds, bundleBytes: sizes, summaries: byVariant, samples, warmUp, traces },
  };
};
