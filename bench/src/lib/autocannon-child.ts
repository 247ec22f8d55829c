// The autocannon load generator, in a process of its own: reads its options as JSON from argv,
// warms up, measures, and prints one JSON line of results.
import autocannon from 'autocannon';

interface ChildOptions {
  url: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  headers: Record<string, string>;
  /** Requests per second over all connections; absent: as fast as the server answers. */
  rate?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;

function run(seconds: number) {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    headers: options.headers,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
  });
}

if (options.warmupSeconds > 0) await run(options.warmupSeconds);
const result = await run(options.seconds);
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }),
);
