// Runs in a process of its own (Node 20 has WebSocket only behind --experimental-websocket):
// connects to a host's inspector, forces two full garbage collections and prints the V8 heap
// in use afterwards as one JSON line.
const url = process.argv[2];
if (!url) throw new Error('usage: startup-heap-child.ts <inspector ws:// url>');

const socket = new WebSocket(url);
const pending = new Map<number, (result: unknown) => void>();
let nextId = 1;

socket.addEventListener('message', (event: MessageEvent) => {
  const message = JSON.parse(String(event.data)) as {
    id?: number;
    result?: unknown;
    error?: unknown;
  };
  if (message.id === undefined) return;
  if (message.error !== undefined) throw new Error(`inspector: ${JSON.stringify(message.error)}`);
  pending.get(message.id)?.(message.result);
  pending.delete(message.id);
});

const send = (method: string) =>
  new Promise<unknown>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, method }));
  });

await new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => {
    resolve();
  });
  socket.addEventListener('error', () => {
    reject(new Error(`could not connect to ${url}`));
  });
});
// Twice: objects that only a first collection's finalizers let go of go in the second.
await send('HeapProfiler.collectGarbage');
await send('HeapProfiler.collectGarbage');
const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
console.log(JSON.stringify({ heapUsed: usage.usedSize, heapTotal: usage.totalSize }));
socket.close();
