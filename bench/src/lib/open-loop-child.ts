// An open-loop load generator for tail latency, in a process of its own (lib/open-loop.ts starts
// it): sends requests on a fixed schedule whatever the server answers, over as many keep-alive
// connections as it takes (up to 256), so a stalled server cannot slow the sender down (no
// coordinated omission), and times every request to the microsecond (autocannon reports whole
// milliseconds).
//
// Protocol: options as JSON in argv[2]; prints `ready` once the warm-up is over, keeps sending
// until a line arrives on stdin (or stdin closes), waits for the requests in flight, then prints
// one JSON line of `OpenLoopRecords` (lib/open-loop.ts).
import http from 'node:http';
import type { OpenLoopChildOptions, OpenLoopRecords } from './open-loop.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as OpenLoopChildOptions;
const target = new URL(options.url);
// Enough connections that a request does not wait for one to come free while the server stalls
// for a few hundred milliseconds, yet bounded so an overloaded server does not set off a storm of
// new connections. A request that does wait is still timed from its send call.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/** The machine's monotonic clock in ms (as `monotonicMs` in open-loop.ts), relative to `base`. */
const base = Number(process.hrtime.bigint()) / 1e6;
const clock = () => Number(process.hrtime.bigint()) / 1e6 - base;

const records: OpenLoopRecords = {
  base,
  paths: options.paths,
  route: [],
  scheduled: [],
  sent: [],
  done: [],
  status: [],
  unfinished: 0,
  dropped: 0,
};
const intervalMs = 1000 / options.rate;
const started = clock();
const warmupEnd = started + options.warmupMs;
let next = 0;
let inFlight = 0;
let stopping = false;
let ready = false;
let idleResolve: (() => void) | null = null;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function send(index: number, scheduled: number): void {
  // A server that has fallen seconds behind measures nothing but its queue: stop piling on.
  if (inFlight >= options.maxInFlight) {
    if (scheduled >= warmupEnd) records.dropped++;
    return;
  }
  const route = index % options.paths.length;
  const sent = clock();
  inFlight++;
  const finish = (status: number) => {
    const done = clock();
    inFlight--;
    // Requests scheduled during the warm-up only warm connections and code paths.
    if (scheduled >= warmupEnd) {
      records.route.push(route);
      records.scheduled.push(round(scheduled));
      records.sent.push(round(sent));
      records.done.push(round(done));
      records.status.push(status);
    }
    if (stopping && inFlight === 0) idleResolve?.();
  };
  const request = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: options.paths[route],
      agent,
      headers: options.headers,
    },
    (response) => {
      response.on('data', () => undefined);
      response.once('end', () => {
        finish(response.statusCode ?? 0);
      });
      response.once('error', () => {
        finish(0);
      });
    },
  );
  request.once('error', () => {
    finish(0);
  });
  request.end();
}

/** Sends every request whose time has come; a timer tick is about 1 ms, so a few at a time. */
function tick(): void {
  if (stopping) return;
  const now = clock();
  while (started + next * intervalMs <= now) {
    send(next, started + next * intervalMs);
    next++;
  }
  if (!ready && now >= warmupEnd) {
    ready = true;
    process.stdout.write('ready\n');
  }
  if (now - started > options.maxSeconds * 1000) void stop();
  else setTimeout(tick, 1);
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (inFlight > 0) {
    await Promise.race([
      new Promise<void>((resolve) => (idleResolve = resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
    ]);
  }
  records.unfinished = inFlight;
  agent.destroy();
  process.stdout.write(`${JSON.stringify(records)}\n`, () => process.exit(0));
}

process.stdin.on('data', () => void stop());
process.stdin.once('end', () => void stop());
tick();
