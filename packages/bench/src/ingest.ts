// Event ingest: queue events pushed by a server in another process as fast as its socket takes
// them, counted until the last one reached the application, in events per second.
import { connect, type Client } from '@connmix/node';
import WebSocket from 'ws';
import { spawnServer } from './servers/spawnServer.ts';
import { interleaved, type Case, type Figure } from './stats.ts';

const PUSH = (count: number, id: number) =>
  JSON.stringify({ m: 'mesh.publish', p: [{ c: 'bench.push', d: String(count) }], i: id });

export async function benchIngest(events: number, rounds: number): Promise<Map<string, Figure>> {
  const server = await spawnServer('connmixServer');
  const url = `ws://127.0.0.1:${server.port}/ws/v1`;
  const raw = new WebSocket(url);
  await new Promise((resolve, reject) => raw.once('open', resolve).once('error', reject));
  const client = await connect(url, { heartbeat: false, highWaterMark: events + 1 });
  try {
    const cases: Case[] = [
      { name: 'raw ws + JSON.parse', measure: () => rawIngest(raw, events) },
      { name: "connmix on('message')", measure: () => onMessageIngest(client, events) },
      { name: 'connmix for await messages()', measure: () => streamIngest(client, events) },
    ];
    for (const entry of cases) await entry.measure(); // warm-up
    return await interleaved(cases, rounds);
  } finally {
    raw.close();
    await client.close();
    await server.stop();
  }
}

let rawId = 1;

function rawIngest(socket: WebSocket, events: number): Promise<number> {
  return new Promise((resolve) => {
    let received = 0;
    const begin = performance.now();
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { e?: string };
      if (frame.e !== 'queue.pop' || ++received < events) return;
      socket.off('message', onMessage);
      resolve(events / ((performance.now() - begin) / 1000));
    };
    socket.on('message', onMessage);
    socket.send(PUSH(events, rawId++));
  });
}

async function onMessageIngest(client: Client, events: number): Promise<number> {
  let received = 0;
  let off = () => {};
  const done = new Promise<void>((resolve) => {
    off = client.on('message', () => {
      if (++received === events) resolve();
    });
  });
  const begin = performance.now();
  await client.publish('bench.push', String(events));
  await done;
  off();
  return events / ((performance.now() - begin) / 1000);
}

async function streamIngest(client: Client, events: number): Promise<number> {
  const stream = client.messages();
  const begin = performance.now();
  await client.publish('bench.push', String(events));
  let received = 0;
  for await (const message of stream) {
    if (message.topic === 'foo' && ++received === events) break;
  }
  return events / ((performance.now() - begin) / 1000);
}
