import { describe, expect, it, vi } from 'vitest';
import { ServerError, TimeoutError } from '../errors/errors.ts';
import type { ClusterMessage } from './events.ts';
import {
  answer,
  engineUrl,
  entry,
  openCluster,
  push,
  settle,
  startCluster,
} from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const fastReconnect = { minDelayMs: 100, maxDelayMs: 100 };

describe('pop', () => {
  it('pops on every engine and succeeds when every engine accepted', async () => {
    const { cluster, socket } = await openCluster();
    const popped = cluster.pop('foo', 'bar', { timeoutMs: 1_000 });
    for (const n of [1, 2]) {
      expect(socket(engineUrl(n)).requests()).toEqual([{ m: 'queue.pop', p: ['foo', 'bar'], i: 1 }]);
      answer(socket(engineUrl(n)), { s: true });
    }
    await expect(popped).resolves.toEqual({ success: true });
    await cluster.close();
  });

  it('pops the remembered topics on an engine that joins later, once it opens', async () => {
    const { cluster, socket, center, fake } = await openCluster();
    const popped = cluster.pop('foo');
    answer(socket(engineUrl(1)), { s: true });
    answer(socket(engineUrl(2)), { s: true });
    await popped;
    center.nodes = [entry(1), entry(2), entry(3)];
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(fake.last.url).toBe(engineUrl(3));
    fake.last.open();
    await settle();
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 1 }]);
    answer(fake.last, { s: true });
    // Its client remembers them from then on: a new socket pops them again by itself.
    fake.last.drop();
    await settle();
    vi.advanceTimersByTime(30_000);
    fake.last.open();
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 2 }]);
    await cluster.close();
  });

  it('reports success: false when one engine refused, and retries that engine', async () => {
    const { cluster, socket, errors } = await openCluster({ reconnect: fastReconnect });
    const popped = cluster.pop('foo');
    answer(socket(engineUrl(1)), { s: true });
    socket(engineUrl(2)).replyError(1, 201, 'consume failed');
    await expect(popped).resolves.toEqual({ success: false });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'repop', node: '2', topics: ['foo'] });
    expect(errors[0]!.error).toBeInstanceOf(ServerError);
    vi.advanceTimersByTime(100);
    expect(socket(engineUrl(2)).requests()).toEqual([
      { m: 'queue.pop', p: ['foo'], i: 1 },
      { m: 'queue.pop', p: ['foo'], i: 2 },
    ]);
    answer(socket(engineUrl(2)), { s: true });
    await settle();
    vi.advanceTimersByTime(60_000);
    expect(socket(engineUrl(2)).requests()).toHaveLength(2);
    await cluster.close();
  });

  it('pops an engine that was down once it is back, even after the pop timed out there', async () => {
    const { cluster, socket, fake, errors } = await openCluster({
      reconnect: { minDelayMs: 5_000, maxDelayMs: 5_000 },
    });
    socket(engineUrl(2)).drop();
    await settle();
    const popped = cluster.pop('foo', { timeoutMs: 1_000 });
    answer(socket(engineUrl(1)), { s: true });
    vi.advanceTimersByTime(1_000);
    await expect(popped).resolves.toEqual({ success: false });
    expect(errors.map((e) => [e.kind, e.node, e.error.name])).toEqual([['repop', '2', 'TimeoutError']]);
    vi.advanceTimersByTime(4_000);
    fake.last.open();
    await settle();
    expect(fake.last.url).toBe(engineUrl(2));
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 2 }]);
    await cluster.close();
  });

  it('rejects with the first error and remembers nothing when no engine accepted', async () => {
    const { cluster, socket, center, fake } = await openCluster();
    const popped = cluster.pop('foo');
    socket(engineUrl(1)).replyError(1, 202, 'duplicate consume');
    socket(engineUrl(2)).replyError(1, 201, 'consume failed');
    const error = await popped.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe(202);
    center.nodes = [entry(1), entry(2), entry(3)];
    vi.advanceTimersByTime(60_000);
    await settle();
    fake.last.open();
    await settle();
    expect(fake.last.requests()).toEqual([]);
    await cluster.close();
  });

  it('pops on an engine that joined while the pop was in flight', async () => {
    const { cluster, socket, center, fake } = await openCluster({ resyncIntervalMs: 5_000 });
    const popped = cluster.pop('foo');
    center.nodes = [entry(1), entry(2), entry(3)];
    vi.advanceTimersByTime(5_000);
    await settle();
    fake.last.open();
    await settle();
    expect(fake.last.requests()).toEqual([]);
    answer(socket(engineUrl(1)), { s: true });
    answer(socket(engineUrl(2)), { s: true });
    await expect(popped).resolves.toEqual({ success: true });
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 1 }]);
    await cluster.close();
  });

  it('takes "duplicate consume" on a re-pop as done, and pops again on the next socket', async () => {
    const { cluster, socket, errors } = await openCluster({ reconnect: fastReconnect });
    const popped = cluster.pop('foo', { timeoutMs: 1_000 });
    answer(socket(engineUrl(1)), { s: true });
    vi.advanceTimersByTime(1_000);
    await expect(popped).resolves.toEqual({ success: false });
    await settle();
    // Engine 2 applies the pop but answers too late: its client still wants foo and pops it again.
    expect(socket(engineUrl(2)).requests()).toEqual([
      { m: 'queue.pop', p: ['foo'], i: 1 },
      { m: 'queue.pop', p: ['foo'], i: 2 },
    ]);
    socket(engineUrl(2)).reply(1, { s: true });
    socket(engineUrl(2)).replyError(2, 202, 'duplicate consume');
    await settle();
    vi.advanceTimersByTime(10_000);
    expect(socket(engineUrl(2)).requests()).toHaveLength(2);
    expect(errors.map((e) => [e.kind, e.node, e.error.name])).toEqual([['repop', '2', 'TimeoutError']]);
    socket(engineUrl(2)).drop();
    await settle();
    vi.advanceTimersByTime(100);
    socket(engineUrl(2)).open();
    await settle();
    expect(socket(engineUrl(2)).requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 3 }]);
    await cluster.close();
  });

  it('waits for an engine when none is known yet', async () => {
    const { cluster, center, fake } = startCluster({}, []);
    const popped = cluster.pop('foo', { timeoutMs: 5_000 });
    await settle();
    expect(cluster.nodes).toEqual([]);
    center.nodes = [entry(1)];
    vi.advanceTimersByTime(60_000);
    await expect(popped).rejects.toBeInstanceOf(TimeoutError);
    const again = cluster.pop('foo');
    await settle();
    fake.last.open();
    await settle();
    answer(fake.last, { s: true });
    await expect(again).resolves.toEqual({ success: true });
    await cluster.close();
  });
});

describe('unpop', () => {
  it('unpops on every engine and forgets the topics for engines that join later', async () => {
    const { cluster, socket, center, fake, errors } = await openCluster();
    const popped = cluster.pop('foo');
    answer(socket(engineUrl(1)), { s: true });
    answer(socket(engineUrl(2)), { s: true });
    await popped;
    const unpopped = cluster.unpop();
    expect(socket(engineUrl(1)).lastRequest()).toEqual({ m: 'queue.unpop', p: [], i: 2 });
    answer(socket(engineUrl(1)), { s: true });
    socket(engineUrl(2)).replyError(2, 203, 'unpop failed');
    await expect(unpopped).resolves.toEqual({ success: false });
    expect(errors.map((e) => [e.kind, e.node])).toEqual([['unpop', '2']]);
    center.nodes = [entry(1), entry(2), entry(3)];
    vi.advanceTimersByTime(60_000);
    await settle();
    fake.last.open();
    await settle();
    expect(fake.last.requests()).toEqual([]);
    await cluster.close();
  });
});

describe('messages', () => {
  it('sets node on v1.0.2 messages to the engine they came through; helpers act there', async () => {
    const { cluster, socket, messages } = await openCluster();
    push(socket(engineUrl(2)), 'foo', { ctx: [], msg: 'hi' }, CID);
    expect(messages).toEqual([{ node: '2', clientId: CID, topic: 'foo', data: { ctx: [], msg: 'hi' } }]);
    const [message] = messages as [ClusterMessage];
    void message.reply('hello').catch(() => {});
    void message.setContextValue('uid', 1).catch(() => {});
    expect(
      socket(engineUrl(2))
        .requests()
        .map((r) => r.m),
    ).toEqual(['mesh.send', 'conn.call']);
    expect(socket(engineUrl(1)).requests()).toEqual([]);
    await cluster.close();
  });

  it('names the engine by its cluster id in v1.0.3 too', async () => {
    const { cluster, socket, messages } = await openCluster({ dialect: 'v1.0.3', nodes: undefined });
    socket(engineUrl(1)).receive(
      JSON.stringify({ e: 'queue.pop', p: { n: 1, c: CID, t: 'foo', d: 'x' }, id: null }),
    );
    expect(messages.map((m) => m.node)).toEqual(['1']);
    await cluster.close();
  });

  it('merges every engine into messages(), filtered by topic, ended by close()', async () => {
    const { cluster, socket } = await openCluster();
    const all = cluster.messages();
    const foo = cluster.messages({ topic: 'foo' });
    push(socket(engineUrl(1)), 'foo', 1, CID);
    push(socket(engineUrl(2)), 'bar', 2, CID);
    push(socket(engineUrl(2)), 'foo', 3, CID);
    expect(all.buffered).toBe(3);
    await cluster.close();
    const read = async (stream: AsyncIterable<ClusterMessage>) => {
      const seen: Array<[string, unknown]> = [];
      for await (const message of stream) seen.push([message.node, message.data]);
      return seen;
    };
    await expect(read(all)).resolves.toEqual([
      ['1', 1],
      ['2', 2],
      ['2', 3],
    ]);
    await expect(read(foo)).resolves.toEqual([
      ['1', 1],
      ['2', 3],
    ]);
  });

  it('reports a slow messages() consumer once, with no node', async () => {
    const { cluster, socket, errors } = await openCluster({ highWaterMark: 2 });
    const stream = cluster.messages();
    for (let i = 0; i < 4; i++) push(socket(engineUrl((i % 2) + 1)), 'foo', i, CID);
    expect(errors).toMatchObject([{ kind: 'slow', buffered: 3, highWaterMark: 2, topic: undefined }]);
    expect(errors[0]!.node).toBeUndefined();
    expect(stream.buffered).toBe(4);
    await cluster.close();
  });
});

describe('consume', () => {
  it('pops on every engine, on one that joins later, and merges their messages into one subscription', async () => {
    const { cluster, socket, center, fake } = await openCluster({ recordMessages: false });
    const sub = cluster.consume('foo');
    expect(sub.topics).toEqual(['foo']);
    for (const n of [1, 2]) {
      expect(socket(engineUrl(n)).requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 1 }]);
      answer(socket(engineUrl(n)), { s: true });
    }
    push(socket(engineUrl(1)), 'foo', 'one', CID);
    center.nodes = [entry(1), entry(2), entry(3)];
    vi.advanceTimersByTime(60_000);
    await settle();
    fake.last.open();
    await settle();
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo'], i: 1 }]);
    answer(fake.last, { s: true });
    push(fake.last, 'foo', 'three', CID);
    const read = [(await sub.next()).value!, (await sub.next()).value!];
    expect(read.map(({ node, data }) => [node, data])).toEqual([
      ['1', 'one'],
      ['3', 'three'],
    ]);
    await cluster.close();
  });

  it('closing one subscription unpops every engine and pops again what the other wants', async () => {
    const { cluster, socket } = await openCluster({ recordMessages: false });
    const foo = cluster.consume('foo');
    const bar = cluster.consume('bar');
    for (const n of [1, 2]) {
      answer(socket(engineUrl(n)), { s: true });
      await settle();
      answer(socket(engineUrl(n)), { s: true });
    }
    await settle();
    await foo.close();
    await settle();
    for (const n of [1, 2]) {
      const requests = socket(engineUrl(n)).requests();
      expect(requests.slice(-2).map(({ m, p }) => [m, p])).toEqual([
        ['queue.unpop', []],
        ['queue.pop', ['bar']],
      ]);
      push(socket(engineUrl(n)), 'bar', `from ${n}`, CID);
    }
    expect([(await bar.next()).value!.data, (await bar.next()).value!.data]).toEqual(['from 1', 'from 2']);
    // A message of the closed topic already on its way is held for the next consumer.
    push(socket(engineUrl(1)), 'foo', 'late', CID);
    expect(cluster.messages().buffered).toBe(1);
    await cluster.close();
  });

  it('holds what arrives before messages() is opened, from any engine', async () => {
    const { cluster, socket } = await openCluster({ recordMessages: false });
    const popped = cluster.pop('foo');
    for (const n of [1, 2]) {
      answer(socket(engineUrl(n)), { s: true });
      push(socket(engineUrl(n)), 'foo', n, CID);
    }
    await popped;
    const stream = cluster.messages({ topic: 'foo' });
    expect(stream.buffered).toBe(2);
    await cluster.close();
  });
});
