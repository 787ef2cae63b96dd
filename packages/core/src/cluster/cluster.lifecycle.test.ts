import { describe, expect, it, vi } from 'vitest';
import { AbortError, ConnectionClosedError, TimeoutError } from '../errors/errors.ts';
import { answer, engineUrl, openCluster, push, settle, startCluster } from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const fastReconnect = { minDelayMs: 100, maxDelayMs: 100 };

describe('state', () => {
  it('is open while any engine is open and reconnecting when none is, each change emitted once', async () => {
    const { cluster, socket, states } = startCluster({ reconnect: fastReconnect });
    expect(cluster.state).toBe('idle');
    const connected = cluster.connect();
    expect(cluster.state).toBe('connecting');
    await settle();
    socket(engineUrl(1)).open();
    await connected;
    socket(engineUrl(2)).open();
    socket(engineUrl(1)).drop();
    await settle();
    expect(cluster.state).toBe('open');
    socket(engineUrl(2)).drop();
    await settle();
    expect(cluster.state).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    socket(engineUrl(2)).open();
    socket(engineUrl(1)).open();
    await cluster.close();
    expect(states).toEqual([
      'idle→connecting',
      'connecting→open',
      'open→reconnecting',
      'reconnecting→open',
      'open→closed',
    ]);
  });

  it('is started by the first call, like a client', async () => {
    const { cluster, center } = startCluster();
    void cluster.publish('room', 'x').catch(() => {});
    expect(cluster.state).toBe('connecting');
    expect(center.requests).toHaveLength(1);
    await cluster.close();
  });
});

describe('connect()', () => {
  it('resolves once one engine is open, is idempotent, and honours timeoutMs and signal', async () => {
    const { cluster, socket, center } = startCluster();
    const timed = cluster.connect({ timeoutMs: 1_000 });
    const controller = new AbortController();
    const aborted = cluster.connect({ signal: controller.signal });
    const plain = cluster.connect();
    expect(center.requests).toHaveLength(1);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    vi.advanceTimersByTime(1_000);
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);
    await settle();
    socket(engineUrl(2)).open();
    await expect(plain).resolves.toBeUndefined();
    await expect(cluster.connect()).resolves.toBeUndefined();
    expect(center.requests).toHaveLength(1);
    await cluster.close();
    await expect(cluster.connect()).rejects.toThrow(
      'cannot connect: the cluster is closed; create a new cluster',
    );
  });
});

describe('close()', () => {
  it('leaves no timer: resync, heartbeats, reconnects, pop retries, a discovery in flight', async () => {
    const { cluster, socket, center, states } = await openCluster({
      heartbeat: { intervalMs: 100_000, timeoutMs: 500 },
      reconnect: fastReconnect,
    });
    center.next.push('hang');
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(center.requests).toHaveLength(2);
    const popped = cluster.pop('foo');
    answer(socket(engineUrl(1)), { s: true });
    socket(engineUrl(2)).replyError(1, 201, 'consume failed');
    await popped;
    socket(engineUrl(1)).drop();
    await settle();
    // The resync, the discovery deadline, a heartbeat, a reconnect and a pop retry; and the
    // deadline timer of each engine's client, which stays armed after its pop settled until its
    // wake-up finds nothing due (one call at a time re-arms nothing), and stops when the client closes.
    expect(vi.getTimerCount()).toBe(7);
    await cluster.close();
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(cluster.state).toBe('closed');
    expect(cluster.nodes).toEqual([]);
    expect(states.at(-1)).toBe('open→closed');
  });

  it('closes every engine client, ends the iterators, and refuses later calls', async () => {
    const { cluster, fake, nodesEvents } = await openCluster();
    const stream = cluster.messages();
    const pending = cluster.publish('room', 'x');
    await cluster.close();
    expect(fake.sockets.map((s) => s.closedBy)).toEqual([
      { code: 1000, reason: 'client closed' },
      { code: 1000, reason: 'client closed' },
    ]);
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    expect(nodesEvents.at(-1)).toEqual([]);
    await expect(cluster.pop('foo')).rejects.toThrow('queue.pop request was not sent: the cluster is closed');
    await expect(cluster.close()).resolves.toBeUndefined();
    expect(cluster.messages().buffered).toBe(0);
  });
});

describe('events', () => {
  it("re-emits an engine client's errors with its node", async () => {
    const { cluster, socket, errors } = await openCluster();
    socket(engineUrl(2)).receive('not json');
    socket(engineUrl(1)).fail(new Error('ECONNRESET'));
    expect(errors.map((e) => [e.kind, e.node])).toEqual([
      ['protocol', '2'],
      ['transport', '1'],
    ]);
    await cluster.close();
  });

  it('reports a throwing handler and carries on; on() returns the unsubscribe', async () => {
    const { cluster, socket, errors, messages } = await openCluster();
    const off = cluster.on('message', () => {
      throw new Error('boom');
    });
    const offNodes = cluster.on('nodes', () => {
      throw new Error('boom');
    });
    push(socket(engineUrl(1)), 'foo', 1, CID);
    socket(engineUrl(1)).drop();
    await settle();
    off();
    offNodes();
    push(socket(engineUrl(2)), 'foo', 2, CID);
    expect(messages).toHaveLength(2);
    expect(errors.map((e) => (e.kind === 'handler' ? `${e.kind}:${e.event}` : e.kind))).toEqual([
      'handler:message',
      'handler:nodes',
    ]);
    await cluster.close();
  });
});
