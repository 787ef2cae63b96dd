// The cluster client over nodeTransport, end to end against a real two-engine dev mesh: discovery
// from the center, popping on every engine, conn.call routing, an engine that dies and comes back,
// close, and HTTP Basic auth. Real timers, loopback only, short intervals.
import {
  createSnowflake,
  startDevMesh,
  type AccessUser,
  type DevMesh,
  type DevMeshOptions,
} from '@connmix/devmesh';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  connectCluster,
  createCluster,
  nodeTransport,
  ServerError,
  type Cluster,
  type ClusterErrorEvent,
  type ClusterMessage,
  type ClusterMessageStream,
  type ClusterNode,
  type ClusterOptions,
  type ClientState,
} from '../src/index.ts';
import { take as takeWithin } from '@connmix/test-support/take';

const WAIT = { timeout: 3_000, interval: 10 };
/** Fast enough that an engine leaving or joining is seen in a few hundred ms. */
const FAST = {
  resyncIntervalMs: 200,
  heartbeat: false,
  reconnect: { minDelayMs: 50, maxDelayMs: 200 },
  requestTimeoutMs: 2_000,
} as const;

const meshes: DevMesh[] = [];
const clusters: Cluster[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(clusters.splice(0).map((cluster) => cluster.close()));
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()));
});

async function mesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  const started = await startDevMesh({ engines: 2, ...options });
  meshes.push(started);
  return started;
}

interface Recorded {
  cluster: Cluster;
  states: ClientState[];
  nodes: ClusterNode[][];
  errors: ClusterErrorEvent[];
}

/** A cluster (not connected yet) whose `state`, `nodes` and `error` events are recorded. */
function cluster(options: Omit<ClusterOptions, 'transport'> & Partial<Pick<ClusterOptions, 'transport'>>) {
  const made = createCluster({ transport: nodeTransport(), ...FAST, ...options });
  clusters.push(made);
  const recorded: Recorded = { cluster: made, states: [], nodes: [], errors: [] };
  made.on('state', ({ to }) => recorded.states.push(to));
  made.on('nodes', ({ nodes }) => recorded.nodes.push(nodes));
  made.on('error', (event) => recorded.errors.push(event));
  return recorded;
}

const summary = (nodes: readonly ClusterNode[]) => nodes.map(({ id, state }) => `${id}:${state}`).join(' ');

/** Waits for a `nodes` event whose list reads `expected` (`'1:open 2:open'`). */
async function nodesEvent(recorded: Recorded, expected: string): Promise<ClusterNode[]> {
  return vi.waitFor(() => {
    const found = recorded.nodes.find((nodes) => summary(nodes) === expected);
    expect(found, `a nodes event ${expected} (got ${recorded.nodes.map(summary).join(' | ')})`).toBeDefined();
    return found!;
  }, WAIT);
}

/** An end user on a protocol server, as a browser would connect; its text frames are kept in order. */
async function endUser(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    send: (text: string) => socket.send(text),
    received: (text: string) => vi.waitFor(() => expect(frames).toContain(text), WAIT),
  };
}

/** The next `count` messages of a stream, each within the wait deadline. */
const take = (stream: ClusterMessageStream, count: number) => takeWithin(stream, count, WAIT.timeout);

const consumersOf = (devMesh: DevMesh, topic: string) =>
  devMesh.stats().map((stats) => stats.topics[topic]?.consumers ?? 0);

/**
 * Steps shared by the tests: a cluster discovered through the center with both engines open,
 * consuming `foo` on both, and one end user per engine whose first message came through.
 */
async function consuming(devMesh: DevMesh, options: Partial<ClusterOptions> = {}) {
  const recorded = cluster({ center: devMesh.center.url, ...options });
  await recorded.cluster.connect({ timeoutMs: 5_000 });
  const nodes = await nodesEvent(recorded, '1:open 2:open');
  expect(nodes.map(({ id, url }) => ({ id, url }))).toEqual(
    devMesh.engines.map((engine) => ({ id: engine.node, url: engine.apiUrl })),
  );
  const stream = recorded.cluster.messages({ topic: 'foo' });
  expect(await recorded.cluster.pop('foo')).toEqual({ success: true });
  expect(consumersOf(devMesh, 'foo')).toEqual([1, 1]);
  const users = await Promise.all(devMesh.engines.map((engine) => endUser(engine.protocolUrl)));
  users.forEach((user, i) => user.send(`hello${i}`));
  const messages = (await take(stream, 2)).sort((a, b) => a.node.localeCompare(b.node));
  return { ...recorded, stream, users, messages };
}

describe('cluster over nodeTransport, on a two-engine dev mesh', () => {
  it('discovers both engines, consumes on each and routes conn.call to the engine of the client', async () => {
    const devMesh = await mesh();
    const { cluster, states, errors, users, messages } = await consuming(devMesh);
    expect(states).toEqual(['connecting', 'open']);
    // v1.0.2 events carry no node: the cluster names the engine each message came through.
    expect(messages.map(({ node, topic, data }) => ({ node, topic, data }))).toEqual([
      { node: '1', topic: 'foo', data: { ctx: [], msg: 'hello0' } },
      { node: '2', topic: 'foo', data: { ctx: [], msg: 'hello1' } },
    ]);

    for (const [n, msg] of messages.entries()) {
      expect(await msg.subscribe('room1')).toEqual({ success: true });
      // No { node }: routed by the message it came through. On the other engine the mesh answers 301.
      expect(await cluster.setContextValue(msg.clientId, 'uid', n)).toEqual({ success: true });
      expect(devMesh.engines[n]!.client(msg.clientId)?.context()).toEqual({ uid: n });
      expect(devMesh.engines[n]!.client(msg.clientId)?.channels()).toEqual(['room1']);
    }

    expect(await cluster.publish('room1', 'hi')).toEqual({ success: 2, fail: 0, total: 2 });
    await Promise.all(users.map((user) => user.received('hi')));
    expect(await cluster.send(messages[1]!.clientId, 'direct')).toEqual({ success: 1, fail: 0, total: 1 });
    await users[1]!.received('direct');

    // A client on no engine: every engine was asked, none accepted.
    const stranger = createSnowflake({ node: 2 })();
    await expect(cluster.call(stranger, 'subscribe', ['x'])).rejects.toMatchObject({
      name: 'ServerError',
      code: 301,
    });
    const wrongEngine = await cluster
      .call(messages[0]!.clientId, 'subscribe', ['x'], { node: '2' })
      .catch((error: unknown) => error);
    expect(wrongEngine).toBeInstanceOf(ServerError);
    expect((wrongEngine as ServerError).code).toBe(301);
    expect(errors).toEqual([]);
  });

  it('drops an engine that stops, keeps working through the other, and re-pops it when it is back', async () => {
    const devMesh = await mesh();
    const consumed = await consuming(devMesh);
    const { cluster, states, stream, users, messages } = consumed;
    const [onOne, onTwo] = messages as [ClusterMessage, ClusterMessage];

    await devMesh.engines[1]!.stop();
    await nodesEvent(consumed, '1:open');
    expect(cluster.state).toBe('open');
    // The engine left and its clients with it: the engine left does not hold them.
    await expect(cluster.setContextValue(onTwo.clientId, 'uid', 2)).rejects.toMatchObject({
      name: 'ServerError',
      code: 301,
    });
    expect(await cluster.subscribe(onOne.clientId, 'room1')).toEqual({ success: true });
    expect(await cluster.publish('room1', 'still here')).toEqual({ success: 1, fail: 0, total: 1 });
    await users[0]!.received('still here');

    await devMesh.engines[1]!.start();
    await vi.waitFor(() => expect(summary(cluster.nodes)).toBe('1:open 2:open'), WAIT);
    // Popped again on the engine that came back (its queue started empty).
    await vi.waitFor(() => expect(consumersOf(devMesh, 'foo')).toEqual([1, 1]), WAIT);
    const back = await endUser(devMesh.engines[1]!.protocolUrl);
    back.send('back');
    const [message] = await take(stream, 1);
    expect(message).toMatchObject({ node: '2', topic: 'foo', data: { ctx: [], msg: 'back' } });
    expect(await message!.setContextValue('uid', 3)).toEqual({ success: true });
    expect(devMesh.engines[1]!.client(message!.clientId)?.context()).toEqual({ uid: 3 });
    expect(states).toEqual(['connecting', 'open']);
  });

  it('after a worker restart, finds the engine of a client it never saw and remembers it', async () => {
    const devMesh = await mesh();
    const { cluster: before, messages } = await consuming(devMesh);
    await before.close();
    // The restarted worker: a new cluster that has seen no message of these users.
    const { cluster: after, errors } = cluster({ center: devMesh.center.url });
    await after.connect({ timeoutMs: 5_000 });
    for (const [n, msg] of messages.entries()) {
      expect(await after.setContextValue(msg.clientId, 'uid', 10 + n)).toEqual({ success: true });
      expect(devMesh.engines[n]!.client(msg.clientId)?.context()).toEqual({ uid: 10 + n });
      // Remembered: the next call goes to that engine alone.
      const framesIn = () => devMesh.stats().map((stats) => stats.counters.apiFramesIn);
      const [one, two] = framesIn();
      expect(await after.subscribe(msg.clientId, 'room1')).toEqual({ success: true });
      expect(framesIn()).toEqual(n === 0 ? [one! + 1, two] : [one, two! + 1]);
      expect(devMesh.engines[n]!.client(msg.clientId)?.channels()).toEqual(['room1']);
    }
    expect(await after.publish('room1', 'after restart')).toEqual({ success: 2, fail: 0, total: 2 });
    expect(errors).toEqual([]);
  });

  it('in v1.0.3, the node of each message is the engine id the event carries', async () => {
    const devMesh = await mesh({ dialect: 'v1.0.3' });
    const { cluster, messages, users } = await consuming(devMesh, { dialect: 'v1.0.3' });
    expect(messages.map(({ node, data }) => ({ node, data }))).toEqual(
      devMesh.engines.map((engine, i) => ({ node: engine.node, data: { ctx: [], msg: `hello${i}` } })),
    );
    for (const msg of messages) expect(await msg.subscribe('room1')).toEqual({ success: true });
    // v1.0.3 answers a publish with { s: delivered, f: failed }.
    expect(await cluster.publish('room1', 'hi')).toEqual({ success: 2, fail: 0, total: 2 });
    await Promise.all(users.map((user) => user.received('hi')));
  });

  it('close() ends the iterators and leaves no API socket on any engine', async () => {
    const devMesh = await mesh();
    const { cluster, states, nodes, stream } = await consuming(devMesh);
    expect(devMesh.stats().map((stats) => stats.apiSockets)).toEqual([1, 1]);
    await cluster.close();
    expect(cluster.state).toBe('closed');
    expect(states.at(-1)).toBe('closed');
    expect(nodes.at(-1)).toEqual([]);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    await vi.waitFor(() => expect(devMesh.stats().map((stats) => stats.apiSockets)).toEqual([0, 0]), WAIT);
    expect(consumersOf(devMesh, 'foo')).toEqual([0, 0]);
  });
});

describe('cluster with access control (HTTP Basic)', () => {
  const worker: AccessUser = { username: 'worker', password: 's3cret', roles: ['read', 'write'] };
  const withCredentials = (url: string, password: string) =>
    url.replace('http://', `http://${worker.username}:${password}@`);
  const auth = { username: worker.username, password: worker.password };

  it('connectCluster authenticates discovery (center URL) and every engine (nodeTransport auth)', async () => {
    const devMesh = await mesh({ access: { users: [worker] } });
    const made = await connectCluster({
      ...FAST,
      center: withCredentials(devMesh.center.url, worker.password),
      transport: nodeTransport({ auth }),
      timeoutMs: 5_000,
    });
    clusters.push(made);
    expect(made.state).toBe('open');
    await vi.waitFor(() => expect(summary(made.nodes)).toBe('1:open 2:open'), WAIT);
    // The credentials are never shown.
    expect(made.nodes.map((node) => node.url)).toEqual(devMesh.engines.map((engine) => engine.apiUrl));
    expect(await made.pop('foo')).toEqual({ success: true });
    expect(consumersOf(devMesh, 'foo')).toEqual([1, 1]);
  });

  it('reports a refused discovery as a discovery error, without the password, and keeps trying', async () => {
    const devMesh = await mesh({ access: { users: [worker] } });
    const {
      cluster: made,
      errors,
      nodes,
    } = cluster({
      center: withCredentials(devMesh.center.url, 'n0t-th3-pa55'),
      transport: nodeTransport({ auth }),
    });
    await expect(made.connect({ timeoutMs: 500 })).rejects.toThrow('waiting for an open engine');
    const discovery = errors.filter((event) => event.kind === 'discovery');
    // One per resync (every 200 ms) while connect() waited.
    expect(discovery.length).toBeGreaterThanOrEqual(2);
    expect(discovery[0]).toMatchObject({ kind: 'discovery', center: expect.stringContaining('***@') });
    expect(discovery[0]!.error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/v1\/nodes answered HTTP 401/,
    );
    expect(JSON.stringify(errors.map((event) => [event.error.message, event]))).not.toContain('n0t-th3-pa55');
    expect([made.state, nodes]).toEqual(['connecting', []]);
    expect(devMesh.stats().map((stats) => stats.apiSockets)).toEqual([0, 0]);
  });
});
