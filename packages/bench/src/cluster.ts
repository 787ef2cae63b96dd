// Cluster: event ingest from 8 dev-mesh engines at once through `cluster.consume`, next to one
// client consuming one engine of the same mesh (the baseline), with raw `ws` + `JSON.parse`
// consumers on one and on every engine as context (what the dev mesh itself can push); and the
// time from an engine restart to messages flowing again, for one client and for a cluster.
// The mesh runs in another process (`servers/devMeshServer.ts`).
import { connect, connectCluster, type ReconnectOptions } from '@connmix/node';
import WebSocket from 'ws';
import { spawnServer, type ServerProcess } from './servers/spawnServer.ts';
import { interleaved, median, type Case, type Figure } from './stats.ts';

export interface ClusterFigures {
  engines: number;
  /** Events per second; ratios against one client on one engine. */
  ingest: Map<string, Figure>;
  /** Milliseconds from the restarted engine listening again to the first message received from it. */
  restart: Map<string, Figure>;
}

/** Something that yields the next message it consumed, as `for await` would. */
type Next = () => Promise<IteratorResult<{ data: unknown }>>;

interface Announced {
  center: string;
  engines: string[];
}

const ENGINES = 8;

export async function benchCluster(
  events: number,
  rounds: number,
  restarts: number,
): Promise<ClusterFigures> {
  const mesh = await spawnServer('devMeshServer', [String(ENGINES)]);
  try {
    const ingest = await benchClusterIngest(mesh, events, rounds);
    const restart = await benchRestart(mesh, restarts);
    return { engines: ENGINES, ingest, restart };
  } finally {
    await mesh.stop();
  }
}

const all = Array.from({ length: ENGINES }, (_, index) => index);
const burst = (mesh: ServerProcess, topic: string, engines: number[], count: number) =>
  mesh.command({ burst: { topic, engines, count } });

async function benchClusterIngest(mesh: ServerProcess, events: number, rounds: number) {
  const { center, engines } = mesh.announced as unknown as Announced;
  const options = { heartbeat: false, highWaterMark: events * 2 } as const;
  const client = await connect(engines[0]!, options);
  const cluster = await connectCluster({ center, ...options });
  const single = client.consume('one', { highWaterMark: events * 2 });
  const merged = cluster.consume('all', { highWaterMark: events * 2 });
  const raw1 = await rawConsumers([engines[0]!], 'raw1');
  const raw8 = await rawConsumers(engines, 'raw8');
  // Per engine, so every engine of the 8 pushes its share: the same total as the single engine.
  const share = Math.ceil(events / ENGINES);
  try {
    const singleNext = nextOf(single);
    const mergedNext = nextOf(merged);
    const cases: Case[] = [
      {
        name: 'connmix client.consume, 1 engine',
        measure: () => timed(events, () => burst(mesh, 'one', [0], events), drain(singleNext, events)),
      },
      {
        name: `connmix cluster.consume, ${ENGINES} engines`,
        measure: () =>
          timed(share * ENGINES, () => burst(mesh, 'all', all, share), drain(mergedNext, share * ENGINES)),
      },
      {
        name: 'raw ws + JSON.parse, 1 engine',
        measure: () => timed(events, () => burst(mesh, 'raw1', [0], events), raw1.take(events)),
      },
      {
        name: `raw ws + JSON.parse, ${ENGINES} engines`,
        measure: () =>
          timed(share * ENGINES, () => burst(mesh, 'raw8', all, share), raw8.take(share * ENGINES)),
      },
    ];
    // Warm-up, which also makes sure every pop has landed: the queue holds a burst until it has.
    for (const entry of cases) await entry.measure();
    return await interleaved(cases, rounds);
  } finally {
    raw1.close();
    raw8.close();
    await single.close();
    await merged.close();
    await client.close();
    await cluster.close();
  }
}

/** Starts the burst, then resolves with events per second once `received` is done. */
async function timed(
  events: number,
  start: () => Promise<unknown>,
  receive: (begin: () => void) => Promise<void>,
): Promise<number> {
  let begin = 0;
  const received = receive(() => (begin = performance.now()));
  await Promise.all([start(), received]);
  return events / ((performance.now() - begin) / 1000);
}

function nextOf(stream: AsyncIterable<{ data: unknown }>): Next {
  const iterator = stream[Symbol.asyncIterator]();
  return () => iterator.next();
}

/** Reads `count` messages (not closing the stream, so the next round reads on). */
function drain(next: Next, count: number) {
  return async (begin: () => void) => {
    begin();
    for (let received = 0; received < count; received += 1) {
      const { done } = await next();
      if (done) throw new Error('the subscription ended during a burst');
    }
  };
}

/** Raw `ws` sockets, each popping `topic` on one engine by hand; `take` counts events on all of them. */
async function rawConsumers(urls: readonly string[], topic: string) {
  const sockets = await Promise.all(
    urls.map(
      (url) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(url);
          socket.once('open', () => resolve(socket)).once('error', reject);
        }),
    ),
  );
  let onEvent = () => {};
  for (const socket of sockets) {
    socket.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { e?: string };
      if (frame.e === 'queue.pop') onEvent();
    });
    socket.send(JSON.stringify({ m: 'queue.pop', p: [topic], i: 1 }));
  }
  return {
    take: (count: number) => (begin: () => void) =>
      new Promise<void>((resolve) => {
        let received = 0;
        begin();
        onEvent = () => {
          if (++received === count) resolve();
        };
      }),
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}

/** The client's default policy, as a connection that had been open a while sees it (resetAfterMs 0). */
const DEFAULT_RECONNECT: ReconnectOptions = { minDelayMs: 500, maxDelayMs: 20_000, resetAfterMs: 0 };
/** Almost no wait: what is left is the SDK's own work (connect, pop again, deliver). */
const FAST_RECONNECT: ReconnectOptions = { minDelayMs: 1, maxDelayMs: 50, resetAfterMs: 0 };

interface Restarted {
  name: string;
  topic: string;
  next: Next;
  close(): Promise<void>;
}

/**
 * Restarts engine 0 once per round; every contender consumes its own topic on it, and the
 * restart leaves one `{ round }` message on each topic. The time of a contender is from the
 * engine listening again (the mesh process's clock) to that message reaching it (this one's).
 */
async function benchRestart(mesh: ServerProcess, rounds: number): Promise<Map<string, Figure>> {
  const { center, engines } = mesh.announced as unknown as Announced;
  const contenders: Restarted[] = [];
  for (const [policy, reconnect] of [
    ['default reconnect', DEFAULT_RECONNECT],
    ['reconnect 1-50 ms', FAST_RECONNECT],
  ] as const) {
    const client = await connect(engines[0]!, { heartbeat: false, reconnect });
    const single = client.consume(`restart-one-${contenders.length}`);
    contenders.push({
      name: `connmix client, ${policy}`,
      topic: single.topics[0]!,
      next: nextOf(single),
      close: () => client.close(),
    });
    const cluster = await connectCluster({ center, heartbeat: false, reconnect });
    const merged = cluster.consume(`restart-all-${contenders.length}`);
    contenders.push({
      name: `connmix cluster of ${ENGINES}, ${policy}`,
      topic: merged.topics[0]!,
      next: nextOf(merged),
      close: () => cluster.close(),
    });
  }
  const times = contenders.map(() => [] as number[]);
  try {
    // Warm-up round: it also makes sure every pop has landed before the first measured restart.
    for (let round = 0; round <= rounds; round += 1) {
      const arrivals = contenders.map((contender) => arrival(contender.next, round));
      const { listening } = await mesh.command<{ listening: number }>({
        restart: { engine: 0, topics: contenders.map((contender) => contender.topic), round },
      });
      const arrived = await Promise.all(arrivals);
      if (round === 0) continue;
      arrived.forEach((at, index) => times[index]!.push(at - listening));
    }
  } finally {
    for (const contender of contenders) await contender.close();
  }
  return new Map(
    contenders.map((contender, index) => {
      const values = times[index]!;
      // Against the single client with the same policy: the contenders come in pairs.
      const baseline = times[index - (index % 2)]!;
      return [
        contender.name,
        {
          median: median(values),
          min: Math.min(...values),
          max: Math.max(...values),
          ratio: median(values.map((value, round) => value / baseline[round]!)),
        },
      ];
    }),
  );
}

/** When (`performance.timeOrigin + performance.now()`) the `{ round }` message arrived. */
async function arrival(next: Next, round: number): Promise<number> {
  let deadline: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    deadline = setTimeout(
      () => reject(new Error(`no message within 60 s of engine restart ${round}`)),
      60_000,
    );
  });
  const arrived = (async () => {
    for (;;) {
      const { value, done } = await next();
      if (done) throw new Error('the subscription ended during an engine restart');
      if ((value.data as { round?: number }).round === round)
        return performance.timeOrigin + performance.now();
    }
  })();
  try {
    return await Promise.race([arrived, late]);
  } finally {
    clearTimeout(deadline);
  }
}
