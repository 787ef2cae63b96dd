// Heap held per pending call, next to a raw Map + setTimeout correlation. Run with
//   node --expose-gc --import tsx packages/core/bench/pendingCallHeap.ts
// Each round makes CALLS calls that stay pending (the transport swallows every frame) and reads
// the heap after a full GC, before and after; the figure is the median of ROUNDS rounds.
import { createClient, type Transport, type TransportFactory } from '../src/index.ts';

const CALLS = 10_000;
const ROUNDS = 7;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** A transport that opens at once and never answers. */
const silent: TransportFactory = (_url, handlers) => {
  const transport: Transport = { send() {}, close() {} };
  queueMicrotask(() => handlers.onOpen());
  return transport;
};

async function sdkRound(): Promise<number> {
  const client = createClient({ url: 'ws://127.0.0.1:1/ws/v1', transport: silent, heartbeat: false });
  await client.connect();
  await client.publish('warm', 'up', { timeoutMs: 1 }).catch(() => {});
  const before = heapUsed();
  const calls: Array<Promise<unknown>> = [];
  for (let i = 0; i < CALLS; i += 1) calls.push(client.publish('room', 'hello', { timeoutMs: 600_000 }));
  const after = heapUsed();
  for (const call of calls) call.catch(() => {});
  await client.close();
  return (after - before) / CALLS;
}

async function rawRound(): Promise<number> {
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: unknown): void; timer: unknown }
  >();
  let nextId = 1;
  const sent: string[] = [];
  const call = (channel: string, data: string) => {
    const id = nextId++;
    sent.push(JSON.stringify({ m: 'mesh.publish', p: [{ c: channel, d: data }], i: id }));
    sent.length = 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('timeout'));
      }, 600_000);
      pending.set(id, { resolve, reject, timer });
    });
  };
  const before = heapUsed();
  const calls: Array<Promise<unknown>> = [];
  for (let i = 0; i < CALLS; i += 1) calls.push(call('room', 'hello'));
  const after = heapUsed();
  for (const [, entry] of pending) clearTimeout(entry.timer as NodeJS.Timeout);
  for (const promise of calls) promise.catch(() => {});
  return (after - before) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sdk: number[] = [];
const raw: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  raw.push(await rawRound());
  sdk.push(await sdkRound());
}
const sdkBytes = median(sdk);
const rawBytes = median(raw);
console.log(`Node ${process.version}, ${CALLS} pending calls, median of ${ROUNDS} rounds`);
console.log(`raw Map + setTimeout: ${rawBytes.toFixed(0)} B per call`);
console.log(
  `client.publish:       ${sdkBytes.toFixed(0)} B per call (${(sdkBytes / rawBytes).toFixed(2)}x raw)`,
);
