// Consumption that cannot miss a message, against a real dev mesh over nodeTransport: the taught
// order (pop, then messages()), consume() subscriptions closed one at a time, a first pop on a
// socket that dies, and a cluster subscription that reaches an engine joining later. Real timers,
// loopback only; every wait is bounded and polls for the event it waits for.
import {
  startDevMesh,
  type DevEngine,
  type DevMesh,
  type DevMeshOptions,
  type Entry,
} from '@connmix/devmesh';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  createCluster,
  nodeTransport,
  type Client,
  type Cluster,
  type ClientErrorEvent,
  type QueueMessage,
} from '../src/index.ts';
import { take as takeWithin } from '@connmix/test-support/take';

const WAIT = { timeout: 5_000, interval: 10 };
const FAST = {
  heartbeat: false,
  reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  requestTimeoutMs: 3_000,
} as const;

const meshes: DevMesh[] = [];
const closers: Array<{ close(): Promise<void> }> = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(closers.splice(0).map((closer) => closer.close()));
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()));
});

async function mesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  const started = await startDevMesh({ engines: 1, ...options });
  meshes.push(started);
  return started;
}

function client(url: string): { client: Client; errors: ClientErrorEvent[] } {
  const made = createClient({ url, transport: nodeTransport(), ...FAST });
  closers.push(made);
  const errors: ClientErrorEvent[] = [];
  made.on('error', (event) => errors.push(event));
  return { client: made, errors };
}

function cluster(center: string): Cluster {
  const made = createCluster({ center, transport: nodeTransport(), resyncIntervalMs: 100, ...FAST });
  closers.push(made);
  return made;
}

/** An end user on a protocol server; resolves once its socket is open. */
async function endUser(url: string): Promise<{ send(text: string): void }> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { send: (text) => socket.send(text) };
}

/** The next `count` messages of a stream, each within the wait deadline. */
const take = <M>(stream: AsyncIterator<M>, count: number) => takeWithin(stream, count, WAIT.timeout);

const text = (message: QueueMessage) => (message.data as { msg: string }).msg;

/** Pushes each end-user text to the topic before its colon: `a:1` goes to topic `a`. */
const byPrefix: Entry = {
  async onMessage({ message, push }) {
    if (message.type !== 'text') return;
    await push(message.data.split(':')[0]!, { msg: message.data });
  },
};

const topicStats = (devMesh: DevMesh, topic: string) =>
  devMesh.stats().map((stats) => stats.topics[topic] ?? { depth: 0, consumers: 0 });

describe('consumption on a dev mesh', () => {
  it('await pop() then messages() gets all 20 messages the engine had queued (the taught order)', async () => {
    const devMesh = await mesh();
    const user = await endUser(devMesh.engines[0].protocolUrl);
    for (let i = 1; i <= 20; i++) user.send(`m${i}`);
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo')).toEqual([{ depth: 20, consumers: 0 }]), WAIT);
    const { client: worker, errors } = client(devMesh.engines[0].apiUrl);
    expect(await worker.pop('foo')).toEqual({ success: true });
    const stream = worker.messages({ topic: 'foo' });
    const received = await take(stream, 20);
    expect(received.map(text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 1}`));
    expect(stream.buffered).toBe(0);
    expect(errors).toEqual([]);
  });

  it('consume() gets the backlog too, and closing one of two subscriptions keeps the other flowing', async () => {
    const devMesh = await mesh({ entry: byPrefix });
    const user = await endUser(devMesh.engines[0].protocolUrl);
    for (let i = 1; i <= 5; i++) user.send(`a:${i}`);
    await vi.waitFor(() => expect(topicStats(devMesh, 'a')).toEqual([{ depth: 5, consumers: 0 }]), WAIT);
    const { client: worker, errors } = client(devMesh.engines[0].apiUrl);
    const a = worker.consume('a');
    const b = worker.consume('b');
    expect((await take(a, 5)).map(text)).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    await vi.waitFor(() => expect(topicStats(devMesh, 'b')).toEqual([{ depth: 0, consumers: 1 }]), WAIT);
    user.send('b:1');
    expect((await take(b, 1)).map(text)).toEqual(['b:1']);

    await a.close();
    await vi.waitFor(() => {
      expect(topicStats(devMesh, 'a')).toEqual([{ depth: 0, consumers: 0 }]);
      expect(topicStats(devMesh, 'b')).toEqual([{ depth: 0, consumers: 1 }]);
    }, WAIT);
    for (let i = 2; i <= 4; i++) user.send(`b:${i}`);
    user.send('a:6');
    expect((await take(b, 3)).map(text)).toEqual(['b:2', 'b:3', 'b:4']);
    // The closed topic stays on the engine for another worker.
    await vi.waitFor(() => expect(topicStats(devMesh, 'a')).toEqual([{ depth: 1, consumers: 0 }]), WAIT);
    expect(errors).toEqual([]);
  });

  it('a worker whose first pop dies with its socket consumes once the socket is back', async () => {
    const devMesh = await mesh();
    const engine = devMesh.engines[0];
    const { client: worker } = client(engine.apiUrl);
    await worker.connect();
    engine.delay(10_000); // the pop is applied, its answer held back...
    const popped = worker.pop('foo');
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo')).toEqual([{ depth: 0, consumers: 1 }]), WAIT);
    engine.dropApiSockets(); // ...and the socket dies before it arrives
    engine.delay(0);
    await expect(popped).rejects.toMatchObject({ name: 'ConnectionClosedError' });
    const stream = worker.messages({ topic: 'foo' });
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo')).toEqual([{ depth: 0, consumers: 1 }]), WAIT);
    const user = await endUser(engine.protocolUrl);
    user.send('after the flap');
    expect((await take(stream, 1)).map(text)).toEqual(['after the flap']);
  });

  it('cluster.consume() reaches an engine that joins later and one that comes back', async () => {
    const devMesh = await mesh({ engines: 2 });
    const [first, second] = devMesh.engines as unknown as [DevEngine, DevEngine];
    await second.stop();
    const made = cluster(devMesh.center.url);
    const sub = made.consume('foo');
    await made.connect({ timeoutMs: 5_000 });
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo').map((t) => t.consumers)).toEqual([1, 0]), WAIT);
    await second.start();
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo').map((t) => t.consumers)).toEqual([1, 1]), WAIT);
    const late = await endUser(second.protocolUrl);
    late.send('joined');
    const [message] = await take(sub, 1);
    expect([message!.node, text(message!)]).toEqual(['2', 'joined']);

    await first.stop();
    await first.start();
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo').map((t) => t.consumers)).toEqual([1, 1]), WAIT);
    const back = await endUser(first.protocolUrl);
    back.send('back');
    const [again] = await take(sub, 1);
    expect([again!.node, text(again!)]).toEqual(['1', 'back']);
    await sub.close();
    await vi.waitFor(() => expect(topicStats(devMesh, 'foo').map((t) => t.consumers)).toEqual([0, 0]), WAIT);
  });
});
