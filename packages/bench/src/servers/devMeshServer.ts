// A dev mesh of several engines for the cluster benchmarks, in its own process (argv[2]: how
// many engines). One end user per engine, connected from this process, hands the entry that
// engine's queue push; the parent then drives the mesh with commands:
// - `{ burst: { topic, engines, count } }`: `count` queue events of about 200 B on `topic` of
//   each engine listed (indices), pushed as fast as the queue takes them;
// - `{ restart: { engine, topics, round } }`: stops the engine, starts it again, and answers with
//   the moment it listened again (`performance.timeOrigin + performance.now()`, comparable across
//   processes of one machine) once it has pushed `{ round }` on each topic: the queue holds them
//   until a worker pops again, so the first of them a client sees marks messages flowing again.
import { startDevMesh, type Entry, type EntryEvent } from '@connmix/devmesh';
import WebSocket from 'ws';
import { QUEUE_DATA } from '../frames.ts';
import { announce, answerCommands } from './announce.ts';

const engines = Number(process.argv[2] ?? '8');
/** The push of an end user of each engine, by node id: the entry's `mix.queue.push`. */
const pushes = new Map<string, EntryEvent['push']>();
const entry: Entry = {
  onHandshake({ conn, push }) {
    pushes.set(conn.node, push);
  },
};
// Room for a whole burst while no worker pops yet, so a push never waits in the emulator's queue.
const mesh = await startDevMesh({ engines, entry, queue: { topicSize: 1_000_000, maxTopics: 100 } });
const endUsers = await Promise.all(
  mesh.engines.map(
    (engine) =>
      new Promise<WebSocket>((resolve, reject) => {
        const user = new WebSocket(engine.protocolUrl);
        user.once('open', () => resolve(user)).once('error', reject);
      }),
  ),
);
await waitFor(() => pushes.size === engines);

function pushOf(index: number): EntryEvent['push'] {
  const engine = mesh.engines[index];
  const push = engine && pushes.get(engine.node);
  if (!push) throw new Error(`no engine at index ${index}`);
  return push;
}

async function burst({
  topic,
  engines: indices,
  count,
}: {
  topic: string;
  engines: number[];
  count: number;
}) {
  const pending: Array<Promise<void>> = [];
  for (let sent = 0; sent < count; sent += 1) {
    for (const index of indices) pending.push(pushOf(index)(topic, QUEUE_DATA));
  }
  await Promise.all(pending);
}

async function restart({ engine, topics, round }: { engine: number; topics: string[]; round: number }) {
  const target = mesh.engines[engine];
  if (!target) throw new Error(`no engine at index ${engine}`);
  const push = pushOf(engine); // still this engine's push after the restart, as a script's is
  await target.stop();
  await target.start();
  const listening = performance.timeOrigin + performance.now();
  await Promise.all(topics.map((topic) => push(topic, { round })));
  return { listening };
}

answerCommands(async (command) => {
  if (command['burst']) return burst(command['burst'] as Parameters<typeof burst>[0]);
  if (command['restart']) return restart(command['restart'] as Parameters<typeof restart>[0]);
  throw new Error(`unknown command ${JSON.stringify(command)}`);
});

process.once('SIGTERM', () => {
  for (const user of endUsers) user.terminate();
  void mesh.close().then(() => process.exit(0));
});

const center = new URL(mesh.center.url);
announce(
  { address: center.hostname, family: 'IPv4', port: Number(center.port) },
  { center: mesh.center.url, engines: mesh.engines.map((engine) => engine.apiUrl) },
);

async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
