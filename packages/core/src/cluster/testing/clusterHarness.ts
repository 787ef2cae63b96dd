import {
  createFakeTransport,
  type FakeSocket,
  type FakeTransport,
} from '../../client/testing/fakeTransport.ts';
import type { Cluster } from '../cluster.ts';
import { createCluster } from '../createCluster.ts';
import type { ClusterErrorEvent, ClusterMessage, ClusterNode } from '../events.ts';
import type { ClusterOptions, FetchInit, FetchLike, FetchResponseLike } from '../options.ts';
import { quiescence } from '../../client/testing/quiescence.ts';

export const CENTER = 'http://center.test:6787';

/** The API URL the default mapping gives `10.0.0.N:6789`. */
export function engineUrl(n: number): string {
  return `ws://10.0.0.${n}:6789/ws/v1`;
}

/** A center entry for engine `n` (id `n` as a JSON number, as the dev mesh writes it). */
export function entry(n: number): { id: number; api_server: string } {
  return { id: n, api_server: `10.0.0.${n}:6789` };
}

/** One scripted answer: a body (status 200), a status with a body, an error to reject with, or no answer. */
export type CenterAnswer = { status: number; body: string } | Error | 'hang';

/** A fake center behind an injected `fetch`: it lists `nodes` unless `next` scripts another answer. */
export interface FakeCenter {
  readonly fetch: FetchLike;
  readonly requests: Array<{ url: string; init: FetchInit }>;
  nodes: unknown[];
  readonly next: CenterAnswer[];
}

export function createFakeCenter(nodes: unknown[] = []): FakeCenter {
  const center: FakeCenter = {
    requests: [],
    nodes,
    next: [],
    fetch: async (url, init) => {
      center.requests.push({ url, init });
      const answer = center.next.shift() ?? { status: 200, body: JSON.stringify({ nodes: center.nodes }) };
      if (answer === 'hang') return new Promise<FetchResponseLike>(() => {});
      if (answer instanceof Error) throw answer;
      return {
        ok: answer.status >= 200 && answer.status < 300,
        status: answer.status,
        text: async () => answer.body,
      };
    },
  };
  return center;
}

export interface ClusterHarness {
  cluster: Cluster;
  fake: FakeTransport;
  center: FakeCenter;
  states: string[];
  errors: ClusterErrorEvent[];
  nodesEvents: ClusterNode[][];
  messages: ClusterMessage[];
  /** The newest socket to `url`; throws if none. */
  socket(url: string): FakeSocket;
}

/**
 * A cluster on a fake transport and a fake center, recording its events. Heartbeats are off unless
 * asked. `recordMessages: false` leaves the cluster with no `message` handler (so unconsumed
 * messages are held).
 */
export function startCluster(
  harnessOptions: Partial<Omit<ClusterOptions, 'transport'>> & { recordMessages?: boolean } = {},
  nodes: unknown[] = [entry(1), entry(2)],
): ClusterHarness {
  const { recordMessages = true, ...options } = harnessOptions;
  const fake = createFakeTransport();
  const center = createFakeCenter(nodes);
  const source = options.nodes === undefined ? { center: options.center ?? CENTER } : {};
  const cluster = createCluster({
    heartbeat: false,
    fetch: center.fetch,
    ...source,
    ...options,
    transport: fake.factory,
  });
  const harness: ClusterHarness = {
    cluster,
    fake,
    center,
    states: [],
    errors: [],
    nodesEvents: [],
    messages: [],
    socket(url) {
      const socket = fake.sockets.filter((s) => s.url === url).at(-1);
      if (!socket) throw new Error(`no socket to ${url}`);
      return socket;
    },
  };
  cluster.on('state', ({ from, to }) => harness.states.push(`${from}→${to}`));
  cluster.on('error', (event) => harness.errors.push(event));
  cluster.on('nodes', ({ nodes }) => harness.nodesEvents.push(nodes));
  if (recordMessages) cluster.on('message', (message) => harness.messages.push(message));
  return harness;
}

/** A started cluster whose engines `1..count` are discovered and open. */
export async function openCluster(
  options: Parameters<typeof startCluster>[0] = {},
  count = 2,
): Promise<ClusterHarness> {
  const harness = startCluster(
    options,
    Array.from({ length: count }, (_, i) => entry(i + 1)),
  );
  const connected = harness.cluster.connect();
  await settle();
  for (let n = 1; n <= count; n++) harness.socket(engineUrl(n)).open();
  await connected;
  return harness;
}

/** A v1.0.2 queue event from client `clientId`, as the engine pushes it. */
export function push(socket: FakeSocket, topic: string, data: unknown, clientId: string): void {
  socket.receive(JSON.stringify({ e: 'queue.pop', p: { c: clientId, t: topic, d: data }, id: null }));
}

/** Answers the last request of `socket` with `r`. */
export function answer(socket: FakeSocket, r: unknown): void {
  socket.reply(socket.lastRequest().i, r);
}

/** Lets every pending promise callback run (without moving fake time). */
export function settle(): Promise<void> {
  return quiescence();
}
