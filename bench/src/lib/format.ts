/** Figures as the report prints them. */
export const fmt = {
  ms: (value: number) =>
    Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a',
  rps: (value: number) =>
    Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')}/s` : 'n/a',
  ratio: (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a'),
  mb: (bytes: number) =>
    Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : 'n/a',
  kb: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} kB` : 'n/a'),
};
