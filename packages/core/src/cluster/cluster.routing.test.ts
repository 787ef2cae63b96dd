import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, TimeoutError } from '../errors/errors.ts';
import { answer, engineUrl, openCluster, push, settle, startCluster } from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const OTHER = '1627581697287520999';

describe('conn.call routing', () => {
  it('goes to the engine the client last sent a message through', async () => {
    const { cluster, socket } = await openCluster();
    push(socket(engineUrl(2)), 'foo', 'hi', CID);
    push(socket(engineUrl(1)), 'foo', 'hi', OTHER);
    const subscribed = cluster.subscribe(CID, 'room1', 'room2');
    const set = cluster.setContextValue(OTHER, 'uid', 7);
    expect(socket(engineUrl(2)).requests()).toEqual([
      { m: 'conn.call', p: [{ c: CID, f: 'subscribe', a: ['room1', 'room2'] }], i: 1 },
    ]);
    expect(socket(engineUrl(1)).requests()).toEqual([
      { m: 'conn.call', p: [{ c: OTHER, f: 'set_context_value', a: ['uid', 7] }], i: 1 },
    ]);
    answer(socket(engineUrl(2)), { s: true });
    answer(socket(engineUrl(1)), { s: true });
    await expect(subscribed).resolves.toEqual({ success: true });
    await expect(set).resolves.toEqual({ success: true });
    // The client moved: its newest message wins.
    push(socket(engineUrl(1)), 'foo', 'again', CID);
    void cluster.setContext(CID, { uid: 1 }).catch(() => {});
    expect(socket(engineUrl(1)).lastRequest().p).toEqual([{ c: CID, f: 'set_context', a: [{ uid: 1 }] }]);
    await cluster.close();
  });

  it('routes a raw conn.call request() the same way, and conn.call through { node }', async () => {
    const { cluster, socket } = await openCluster();
    push(socket(engineUrl(1)), 'foo', 'hi', CID);
    void cluster
      .request({ method: 'conn.call', clientId: CID, func: 'unsubscribe', args: ['r'] })
      .catch(() => {});
    expect(socket(engineUrl(1)).requests()).toHaveLength(1);
    // { node } overrides what was learned, and needs nothing learned.
    void cluster.call(CID, 'subscribe', ['r'], { node: '2', timeoutMs: 500 }).catch(() => {});
    void cluster.unsubscribe(OTHER, 'r', { node: '2' }).catch(() => {});
    expect(
      socket(engineUrl(2))
        .requests()
        .map((r) => r.p),
    ).toEqual([[{ c: CID, f: 'subscribe', a: ['r'] }], [{ c: OTHER, f: 'unsubscribe', a: ['r'] }]]);
    await cluster.close();
  });

  it('rejects bad input and an unknown { node } with ValidationError, sending nothing', async () => {
    const { cluster, fake } = await openCluster();
    await expect(cluster.call(CID, 'subscribe', ['r'], { node: '9' })).rejects.toThrow(
      'invalid conn.call request at node: no engine 9 in this cluster (nodes: 1, 2)',
    );
    // Bad input is reported as such before any routing.
    await expect(cluster.call(1627581697287520263 as unknown as string, 'f', [])).rejects.toThrow(
      /client ids are 64-bit/,
    );
    expect(fake.sockets.flatMap((s) => s.sent)).toEqual([]);
    await cluster.close();
  });

  it('forgets the routes through an engine that left: the engines left are asked', async () => {
    const { cluster, socket, center } = await openCluster();
    push(socket(engineUrl(2)), 'foo', 'hi', CID);
    center.nodes = center.nodes.slice(0, 1);
    vi.advanceTimersByTime(60_000);
    await settle();
    const called = cluster.call(CID, 'subscribe', ['r']);
    expect(socket(engineUrl(1)).lastRequest().p).toEqual([{ c: CID, f: 'subscribe', a: ['r'] }]);
    socket(engineUrl(1)).replyError(socket(engineUrl(1)).lastRequest().i, 301, 'not on this node');
    await expect(called).rejects.toMatchObject({ name: 'ServerError', code: 301 });
    await cluster.close();
  });

  it('remembers at most routeCapacity clients, the least recently seen forgotten first', async () => {
    const { cluster, socket } = await openCluster({ routeCapacity: 2 });
    const ids = ['1000000000000000001', '1000000000000000002', '1000000000000000003'];
    push(socket(engineUrl(1)), 'foo', 1, ids[0]!);
    push(socket(engineUrl(1)), 'foo', 2, ids[1]!);
    push(socket(engineUrl(1)), 'foo', 3, ids[0]!);
    push(socket(engineUrl(1)), 'foo', 4, ids[2]!);
    void cluster.call(ids[0]!, 'f', []).catch(() => {});
    void cluster.call(ids[2]!, 'f', []).catch(() => {});
    expect([socket(engineUrl(1)).requests().length, socket(engineUrl(2)).requests().length]).toEqual([2, 0]);
    // Forgotten: every engine is asked.
    void cluster.call(ids[1]!, 'f', []).catch(() => {});
    expect([socket(engineUrl(1)).requests().length, socket(engineUrl(2)).requests().length]).toEqual([3, 1]);
    await cluster.close();
  });
});

describe('mesh.* and ping', () => {
  it('go to the open engines in turn, skipping engines that are not open', async () => {
    const { cluster, socket } = await openCluster({ reconnect: { minDelayMs: 100, maxDelayMs: 100 } }, 3);
    const sentTo = () => [1, 2, 3].map((n) => socket(engineUrl(n)).requests().length);
    for (let i = 0; i < 6; i++) void cluster.publish('room', `m${i}`).catch(() => {});
    expect(sentTo()).toEqual([2, 2, 2]);
    socket(engineUrl(2)).drop();
    await settle();
    expect(cluster.nodes.map((n) => n.state)).toEqual(['open', 'reconnecting', 'open']);
    for (let i = 0; i < 4; i++) void cluster.send(CID, `m${i}`).catch(() => {});
    void cluster.request({ method: 'mesh.publish', channel: 'room', data: 'x' }).catch(() => {});
    void cluster.ping().catch(() => {});
    expect([1, 3].map((n) => socket(engineUrl(n)).requests().length)).toEqual([2 + 3, 2 + 3]);
    expect(socket(engineUrl(1)).requests().at(-1)!.m).toBe('mesh.publish');
    expect(socket(engineUrl(3)).requests().at(-1)!.m).toBe('server.ping');
    await cluster.close();
  });

  it('resolve with the engine result; ping names the engine that answered', async () => {
    const { cluster, socket } = await openCluster({}, 1);
    const published = cluster.publish('room', 'hello', { timeoutMs: 1_000 });
    expect(socket(engineUrl(1)).lastRequest()).toEqual({
      m: 'mesh.publish',
      p: [{ c: 'room', d: 'hello' }],
      i: 1,
    });
    answer(socket(engineUrl(1)), { s: true, f: 1, t: 3 });
    await expect(published).resolves.toEqual({ success: 2, fail: 1, total: 3 });
    const pinged = cluster.ping();
    vi.advanceTimersByTime(7);
    answer(socket(engineUrl(1)), { s: 'server.pong' });
    await expect(pinged).resolves.toEqual({ rttMs: 7, node: '1' });
    await cluster.close();
  });

  it('go through { node } when given', async () => {
    const { cluster, socket } = await openCluster();
    void cluster.send(CID, 'x', { node: '2' }).catch(() => {});
    void cluster.send(CID, 'y', { node: '2' }).catch(() => {});
    expect(socket(engineUrl(2)).requests()).toHaveLength(2);
    expect(socket(engineUrl(1)).requests()).toHaveLength(0);
    await cluster.close();
  });

  it('wait for an open engine within their deadline', async () => {
    const { cluster, fake } = startCluster({ requestTimeoutMs: 5_000 });
    const published = cluster.publish('room', 'x');
    const late = cluster.publish('room', 'y', { timeoutMs: 1_000 });
    await settle();
    expect(cluster.state).toBe('connecting');
    vi.advanceTimersByTime(1_000);
    await expect(late).rejects.toBeInstanceOf(TimeoutError);
    vi.advanceTimersByTime(1_000);
    fake.sockets[1]!.open();
    await settle();
    expect(fake.sockets[1]!.lastRequest()).toEqual({ m: 'mesh.publish', p: [{ c: 'room', d: 'x' }], i: 1 });
    // What is left of the 5 s deadline goes with it.
    vi.advanceTimersByTime(3_000);
    await expect(published).rejects.toThrow(/within 3000 ms/);
    await cluster.close();
  });

  it('reject waiting calls when the cluster closes, and later calls at once', async () => {
    const { cluster } = startCluster();
    const waiting = cluster.publish('room', 'x');
    await settle();
    await cluster.close();
    await expect(waiting).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(cluster.send(CID, 'x')).rejects.toThrow(
      'mesh.send request was not sent: the cluster is closed',
    );
  });
});
