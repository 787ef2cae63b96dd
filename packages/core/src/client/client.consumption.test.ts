import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ServerError, TimeoutError } from '../errors/errors.ts';
import type { QueueMessage } from './queueMessage.ts';
import type { FakeSocket } from './testing/fakeTransport.ts';
import { openClient, settle, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const fastReconnect = { minDelayMs: 100, maxDelayMs: 100 };

function push(socket: FakeSocket, topic: string, data: unknown, clientId = CID) {
  socket.receive(JSON.stringify({ e: 'queue.pop', p: { c: clientId, t: topic, d: data }, id: null }));
}

/** Pops `topics` on an open socket and answers the pop. */
async function popped(
  client: { pop(...topics: string[]): Promise<unknown> },
  socket: FakeSocket,
  ...topics: string[]
) {
  const result = client.pop(...topics);
  socket.reply(socket.lastRequest().i, { s: true });
  await result;
}

describe('pop and re-pop', () => {
  it('pops topics in each dialect', async () => {
    const v102 = await openClient({ heartbeat: false });
    const result = v102.client.pop('foo', 'bar', { timeoutMs: 1_000 });
    expect(v102.socket.lastRequest()).toEqual({ m: 'queue.pop', p: ['foo', 'bar'], i: 1 });
    v102.socket.reply(1, { s: true });
    await expect(result).resolves.toEqual({ success: true });
    await v102.client.close();

    const v103 = await openClient({ heartbeat: false, dialect: 'v1.0.3' });
    void v103.client.pop('foo').catch(() => {});
    expect(v103.socket.lastRequest()).toEqual({ m: 'queue.pop', p: { t: ['foo'] }, i: 1 });
    await v103.client.close();
  });

  it('pops the remembered topics again on every new socket, before the calls queued meanwhile', async () => {
    const { client, socket, fake } = await openClient({ heartbeat: false, reconnect: fastReconnect });
    await popped(client, socket, 'foo', 'bar');
    await popped(client, socket, 'baz');
    socket.drop();
    const queued = client.publish('room', 'x');
    const newTopic = client.pop('qux');
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(fake.last.requests()).toEqual([
      { m: 'queue.pop', p: ['foo', 'bar', 'baz'], i: 5 },
      { m: 'mesh.publish', p: [{ c: 'room', d: 'x' }], i: 3 },
      { m: 'queue.pop', p: ['qux'], i: 4 },
    ]);
    fake.last.reply(5, { s: true });
    fake.last.reply(3, { s: true, f: 0, t: 1 });
    fake.last.reply(4, { s: true });
    await expect(queued).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await newTopic;
    // Every new socket, not only the first replacement.
    fake.last.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(fake.last.requests()).toEqual([{ m: 'queue.pop', p: ['foo', 'bar', 'baz', 'qux'], i: 6 }]);
    await client.close();
  });

  it('does not remember topics whose pop failed', async () => {
    const { client, socket, fake } = await openClient({ heartbeat: false, reconnect: fastReconnect });
    const result = client.pop('foo');
    socket.replyError(1, 202, 'duplicate consume');
    await expect(result).rejects.toBeInstanceOf(ServerError);
    socket.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(fake.last.sent).toEqual([]);
    await client.close();
  });

  it('forgets every topic on unpop(), even if its answer never comes', async () => {
    const { client, socket, fake } = await openClient({ heartbeat: false, reconnect: fastReconnect });
    await popped(client, socket, 'foo');
    const result = client.unpop();
    expect(socket.lastRequest()).toEqual({ m: 'queue.unpop', p: [], i: 2 });
    socket.drop();
    await expect(result).rejects.toMatchObject({ name: 'ConnectionClosedError' });
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(fake.last.sent).toEqual([]);
    await client.close();
  });

  it('reports a failed re-pop on error and retries it with backoff until it succeeds', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(1);
    onTestFinished(() => random.mockRestore());
    const { client, socket, fake, errors } = await openClient({
      heartbeat: false,
      reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    });
    await popped(client, socket, 'foo');
    socket.drop();
    vi.advanceTimersByTime(200);
    const next = fake.last;
    next.open();
    expect(next.lastRequest()).toEqual({ m: 'queue.pop', p: ['foo'], i: 2 });
    next.replyError(2, 201, 'consume failed');
    await settle();
    expect(errors.map((e) => e.kind)).toEqual(['repop']);
    expect(errors[0]).toMatchObject({ topics: ['foo'], error: { name: 'ServerError', code: 201 } });
    // Retry after the first backoff delay (ceiling 200 with random pinned to the top).
    vi.advanceTimersByTime(199);
    expect(next.requests()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(next.lastRequest()).toEqual({ m: 'queue.pop', p: ['foo'], i: 3 });
    next.replyError(3, 201, 'consume failed');
    await settle();
    vi.advanceTimersByTime(399);
    expect(next.requests()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(next.lastRequest()).toEqual({ m: 'queue.pop', p: ['foo'], i: 4 });
    next.reply(4, { s: true });
    await settle();
    vi.advanceTimersByTime(10_000);
    expect(next.requests()).toHaveLength(3);
    expect(errors).toHaveLength(2);
    await client.close();
  });

  it('reports a re-pop that times out, and stops retrying once the topics are forgotten', async () => {
    const { client, socket, fake, errors } = await openClient({
      heartbeat: false,
      requestTimeoutMs: 1_000,
      reconnect: fastReconnect,
    });
    await popped(client, socket, 'foo');
    socket.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    vi.advanceTimersByTime(1_000);
    await settle();
    expect(errors.map((e) => e.kind)).toEqual(['repop']);
    expect(errors[0]!.error).toBeInstanceOf(TimeoutError);
    void client.unpop().catch(() => {});
    vi.advanceTimersByTime(10_000);
    expect(fake.last.requests().map((r) => r.m)).toEqual(['queue.pop', 'queue.unpop']);
    await client.close();
  });
});

describe('messages', () => {
  it('emits each queue message with its data and helpers bound to its connection', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const received: QueueMessage[] = [];
    client.on('message', (message) => received.push(message));
    push(socket, 'foo', { ctx: [], msg: 'hi' });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message).toEqual({ clientId: CID, topic: 'foo', data: { ctx: [], msg: 'hi' } });
    expect(Object.keys(message!)).toEqual(['clientId', 'topic', 'data']);
    expect(JSON.parse(JSON.stringify(message))).toEqual({
      clientId: CID,
      topic: 'foo',
      data: { ctx: [], msg: 'hi' },
    });
    expect({ ...message }).toEqual({ clientId: CID, topic: 'foo', data: { ctx: [], msg: 'hi' } });

    const { reply } = message!; // helpers work detached, too
    const replied = reply('welcome');
    void message!.setContextValue('uid', 10000);
    void message!.setContext({ uid: 10000 });
    void message!.subscribe('room1', 'room2');
    void message!.unsubscribe('room1', { timeoutMs: 500 });
    expect(socket.requests().map((r) => [r.m, r.p])).toEqual([
      ['mesh.send', [{ c: CID, d: 'welcome' }]],
      ['conn.call', [{ c: CID, f: 'set_context_value', a: ['uid', 10000] }]],
      ['conn.call', [{ c: CID, f: 'set_context', a: [{ uid: 10000 }] }]],
      ['conn.call', [{ c: CID, f: 'subscribe', a: ['room1', 'room2'] }]],
      ['conn.call', [{ c: CID, f: 'unsubscribe', a: ['room1'] }]],
    ]);
    for (const { i } of socket.requests().slice(1)) socket.reply(i, { s: true });
    socket.reply(1, { s: true, f: 0, t: 1 });
    await expect(replied).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('keeps the node of a v1.0.3 message', async () => {
    const { client, socket } = await openClient({ heartbeat: false, dialect: 'v1.0.3' });
    const stream = client.messages();
    socket.receive(
      `{"e":"queue.pop","p":{"n":"c9gn78jin5670olm1rhg","c":${CID},"t":"foo","d":"x"},"id":null}`,
    );
    expect((await stream.next()).value).toEqual({
      node: 'c9gn78jin5670olm1rhg',
      clientId: CID,
      topic: 'foo',
      data: 'x',
    });
    await client.close();
  });

  it('iterates messages, filtered by topic, and ends on close() after the buffered ones', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const all = client.messages();
    const foo = client.messages({ topic: 'foo' });
    push(socket, 'foo', 1);
    push(socket, 'bar', 2);
    push(socket, 'foo', 3);
    await client.close();
    const read = async (stream: AsyncIterable<QueueMessage>) => {
      const data: unknown[] = [];
      for await (const message of stream) data.push(message.data);
      return data;
    };
    expect(await read(all)).toEqual([1, 2, 3]);
    expect(await read(foo)).toEqual([1, 3]);
    expect(await read(client.messages())).toEqual([]);
  });

  it('stops buffering for an iterator left with break', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const stream = client.messages();
    push(socket, 'foo', 1);
    push(socket, 'foo', 2);
    for await (const message of stream) {
      expect(message.data).toBe(1);
      break;
    }
    push(socket, 'foo', 3);
    expect(stream.buffered).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await client.close();
  });

  it('signals a slow consumer once per episode and drops nothing', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const stream = client.messages({ topic: 'foo', highWaterMark: 4 });
    for (let i = 1; i <= 10; i++) push(socket, 'foo', i);
    expect(errors.map((e) => e.kind)).toEqual(['slow']);
    expect(errors[0]).toMatchObject({ buffered: 5, highWaterMark: 4, topic: 'foo' });
    expect(errors[0]!.error.message).toMatchInlineSnapshot(
      `"a messages() consumer of topic foo is 5 messages behind (highWaterMark 4); nothing is dropped, the buffer grows until it catches up"`,
    );
    expect(stream.buffered).toBe(10);
    const data: unknown[] = [];
    for (let i = 0; i < 10; i++) data.push((await stream.next()).value!.data);
    expect(data).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let i = 11; i <= 15; i++) push(socket, 'foo', i);
    expect(errors.map((e) => e.kind)).toEqual(['slow', 'slow']);
    await client.close();
  });

  it('uses the client highWaterMark by default', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false, highWaterMark: 2 });
    const stream = client.messages();
    for (let i = 0; i < 3; i++) push(socket, 'foo', i);
    expect(errors).toMatchObject([{ kind: 'slow', buffered: 3, highWaterMark: 2, topic: undefined }]);
    expect(stream.buffered).toBe(3);
    await client.close();
  });

  it('rejects bad messages() options', () => {
    const { client } = startClient();
    expect(() => client.messages({ topic: '' })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid messages() options at topic: topic is a non-empty string]`,
    );
    expect(() => client.messages({ highWaterMark: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid messages() options at highWaterMark: highWaterMark is a positive integer (a message count)]`,
    );
    void client.close();
  });
});
