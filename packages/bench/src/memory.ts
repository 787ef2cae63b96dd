// Memory: heap held per pending call (next to a raw Map + setTimeout), and the heap after many
// events went through `on('message')`, which must stay flat. Needs `node --expose-gc`.
import { createClient, type Transport, type TransportFactory } from '@connmix/core';
import { QUEUE_EVENT } from './frames.ts';
import { median } from './stats.ts';

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A transport that opens at once and hands `onMessage` to the test; it never answers a call. */
function silentTransport(onReady: (deliver: (frame: string) => void) => void): TransportFactory {
  return (_url, handlers) => {
    const transport: Transport = { send() {}, close() {} };
    queueMicrotask(() => {
      handlers.onOpen();
      onReady((frame) => handlers.onMessage(frame));
    });
    return transport;
  };
}

async function sdkPendingBytes(calls: number): Promise<number> {
  const client = createClient({
    url: 'ws://127.0.0.1:1/ws/v1',
    transport: silentTransport(() => {}),
    heartbeat: false,
  });
  await client.connect();
  await client.publish('warm', 'up', { timeoutMs: 1 }).catch(() => {});
  const before = heapUsed();
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; i < calls; i += 1) pending.push(client.publish('room', 'hello', { timeoutMs: 600_000 }));
  const after = heapUsed();
  for (const call of pending) call.catch(() => {});
  await client.close();
  return (after - before) / calls;
}

function rawPendingBytes(calls: number): number {
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: unknown): void; timer: NodeJS.Timeout }
  >();
  let nextId = 1;
  const call = (channel: string, data: string) => {
    const id = nextId++;
    const frame = JSON.stringify({ m: 'mesh.publish', p: [{ c: channel, d: data }], i: id });
    void frame;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('timeout'));
      }, 600_000);
      pending.set(id, { resolve, reject, timer });
    });
  };
  const before = heapUsed();
  const promises: Array<Promise<unknown>> = [];
  for (let i = 0; i < calls; i += 1) promises.push(call('room', 'hello'));
  const after = heapUsed();
  for (const [, entry] of pending) clearTimeout(entry.timer);
  for (const promise of promises) promise.catch(() => {});
  return (after - before) / calls;
}

export interface MemoryFigures {
  calls: number;
  sdkBytes: number;
  rawBytes: number;
  events: number;
  heapGrowthBytes: number;
}

export async function benchMemory(calls: number, events: number, rounds: number): Promise<MemoryFigures> {
  const sdk: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    raw.push(rawPendingBytes(calls));
    sdk.push(await sdkPendingBytes(calls));
  }
  return {
    calls,
    sdkBytes: median(sdk),
    rawBytes: median(raw),
    events,
    heapGrowthBytes: await heapAfterEvents(events),
  };
}

/** Heap growth between the first tenth of `events` and the end: what delivery leaves behind. */
async function heapAfterEvents(events: number): Promise<number> {
  let deliver: (frame: string) => void = () => {};
  const client = createClient({
    url: 'ws://127.0.0.1:1/ws/v1',
    transport: silentTransport((push) => (deliver = push)),
    heartbeat: false,
  });
  await client.connect();
  let received = 0;
  client.on('message', () => (received += 1));
  const warm = Math.floor(events / 10);
  for (let i = 0; i < warm; i += 1) deliver(QUEUE_EVENT);
  const before = heapUsed();
  for (let i = warm; i < events; i += 1) deliver(QUEUE_EVENT);
  const after = heapUsed();
  await client.close();
  if (received !== events) throw new Error(`delivered ${received} of ${events} events`);
  return after - before;
}
