import { describe, expect, it, vi } from 'vitest';
import { ConnmixError } from '../errors/errors.ts';
import type { QueueMessage } from './queueMessage.ts';
import type { FakeSocket } from './testing/fakeTransport.ts';
import { openClient, settle, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const fastReconnect = { minDelayMs: 100, maxDelayMs: 100 };

function push(socket: FakeSocket, topic: string, data: unknown) {
  socket.receive(JSON.stringify({ e: 'queue.pop', p: { c: CID, t: topic, d: data }, id: null }));
}

/** What the socket sent, as `method topics` lines. */
function sent(socket: FakeSocket): string[] {
  return socket.requests().map(({ m, p }) => `${m} ${JSON.stringify(p)}`);
}

async function read(stream: AsyncIterator<QueueMessage>, count: number): Promise<unknown[]> {
  const data: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const next = await stream.next();
    if (next.done) throw new Error(`the stream ended after ${i} messages`);
    data.push(next.value.data);
  }
  return data;
}

describe('messages nobody consumes', () => {
  it('holds what the pop brings for the messages() stream opened after it (the taught order)', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const popped = client.pop('foo');
    socket.reply(1, { s: true });
    // The engine sends its backlog right behind the answer, before the caller's await returns.
    for (let i = 1; i <= 20; i++) push(socket, 'foo', i);
    await popped;
    const stream = client.messages({ topic: 'foo' });
    expect(stream.buffered).toBe(20);
    expect(await read(stream, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(errors).toEqual([]);
    await client.close();
  });

  it('gives held messages to the first stream of their topic only, and keeps the others held', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    push(socket, 'foo', 1);
    push(socket, 'bar', 2);
    push(socket, 'foo', 3);
    const foo = client.messages({ topic: 'foo' });
    const again = client.messages({ topic: 'foo' });
    expect([foo.buffered, again.buffered]).toEqual([2, 0]);
    // A handler added later gets what arrives from then on; 'bar' stays held for a stream of it.
    const heard: unknown[] = [];
    client.on('message', (message) => heard.push(message.data));
    await settle();
    push(socket, 'foo', 4);
    expect(heard).toEqual([4]);
    expect(client.messages({ topic: 'bar' }).buffered).toBe(1);
    expect(await read(foo, 3)).toEqual([1, 3, 4]);
    expect(await read(again, 1)).toEqual([4]);
    await client.close();
  });

  it('reports held messages past highWaterMark once per episode, and those still held at close as lost', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false, highWaterMark: 3 });
    for (let i = 1; i <= 6; i++) push(socket, 'foo', i);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'unconsumed', held: 4 });
    expect(errors[0]!.error.message).toMatchInlineSnapshot(
      `"4 messages have no consumer; held for the next one"`,
    );
    const stream = client.messages();
    // The stream that takes them starts 6 behind its mark of 3.
    expect(errors.map((e) => e.kind)).toEqual(['unconsumed', 'slow']);
    expect(await read(stream, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    await stream.close();
    for (let i = 7; i <= 10; i++) push(socket, 'bar', i);
    expect(errors.map((e) => e.kind)).toEqual(['unconsumed', 'slow', 'unconsumed']);
    await client.close();
    expect(errors.map((e) => e.kind)).toEqual(['unconsumed', 'slow', 'unconsumed', 'unconsumed']);
    expect(errors[3]).toMatchObject({ kind: 'unconsumed', held: 4 });
    expect(errors[3]!.error).toBeInstanceOf(ConnmixError);
    expect(errors[3]!.error.message).toMatchInlineSnapshot(
      `"closed with 4 unconsumed messages; they are lost"`,
    );
  });

  it('gives back what a stream left unread, unless another consumer saw it too', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const first = client.messages({ topic: 'foo' });
    const everything = client.messages();
    push(socket, 'foo', 'shared');
    await everything.close(); // 'shared' went to `first` as well
    push(socket, 'foo', 'sole');
    await first.close();
    const next = client.messages({ topic: 'foo' });
    expect(await read(next, 1)).toEqual(['sole']);
    expect(next.buffered).toBe(0);
    await client.close();
  });
});

describe('consume', () => {
  it('buffers before its pop goes out and pops on open; a subscription made while disconnected pops on the next socket', async () => {
    const { client, fake } = startClient({ heartbeat: false });
    const sub = client.consume('foo', 'bar', { highWaterMark: 50 });
    expect(sub.topics).toEqual(['foo', 'bar']);
    expect(client.state).toBe('connecting'); // consume() starts the connection
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo","bar"]']);
    // Messages can come right behind the answer: the subscription is there already.
    fake.last.reply(1, { s: true });
    push(fake.last, 'foo', 1);
    push(fake.last, 'bar', 2);
    expect(await read(sub, 2)).toEqual([1, 2]);
    await client.close();
  });

  it('keeps its intent across sockets, and a re-pop that fails on the dying socket goes out on the next', async () => {
    const { client, socket, fake } = await openClient({ heartbeat: false, reconnect: fastReconnect });
    const sub = client.consume('foo');
    expect(sent(socket)).toEqual(['queue.pop ["foo"]']);
    socket.drop(); // before the answer: the pop is lost with its socket
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo"]']);
    fake.last.reply(2, { s: true });
    await settle();
    fake.last.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo"]']);
    expect(fake.sockets).toHaveLength(3);
    await sub.close();
    await client.close();
  });

  it('closing one of two subscriptions unpops, then pops what the other still wants; its messages keep flowing', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const foo = client.consume('foo');
    const bar = client.consume('bar');
    expect(sent(socket)).toEqual(['queue.pop ["foo"]']); // one step at a time
    socket.reply(1, { s: true });
    await settle();
    expect(sent(socket)).toEqual(['queue.pop ["foo"]', 'queue.pop ["bar"]']);
    socket.reply(2, { s: true });
    await settle();
    await foo.close();
    await settle();
    expect(sent(socket).slice(2)).toEqual(['queue.unpop []']);
    // Sent before the engine read the unpop: still delivered.
    push(socket, 'bar', 'before unpop');
    socket.reply(3, { s: true });
    await settle();
    expect(sent(socket).slice(2)).toEqual(['queue.unpop []', 'queue.pop ["bar"]']);
    push(socket, 'bar', 'between');
    socket.reply(4, { s: true });
    await settle();
    push(socket, 'bar', 'after');
    expect(await read(bar, 3)).toEqual(['before unpop', 'between', 'after']);
    // A message of the closed topic that was already on its way is held, not lost.
    push(socket, 'foo', 'late');
    const later = client.consume('foo');
    expect(await read(later, 1)).toEqual(['late']);
    await client.close();
  });

  it('does not unpop while another subscription or a pop() still wants the topic', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const popped = client.pop('foo');
    socket.reply(1, { s: true });
    await popped;
    const first = client.consume('foo');
    const second = client.consume('foo');
    await settle();
    await first.close();
    await second.close();
    await settle();
    expect(sent(socket)).toEqual(['queue.pop ["foo"]']);
    // unpop() forgets pop()'s topics; an open subscription's are popped again right after.
    const sub = client.consume('bar');
    socket.reply(socket.lastRequest().i, { s: true });
    await settle();
    const unpopped = client.unpop();
    socket.reply(socket.lastRequest().i, { s: true });
    await unpopped;
    await settle();
    expect(sent(socket).slice(-2)).toEqual(['queue.unpop []', 'queue.pop ["bar"]']);
    await sub.close();
    await client.close();
  });

  it('closes on its signal, and is closed from the start with an aborted one', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const controller = new AbortController();
    const sub = client.consume('foo', { signal: controller.signal });
    socket.reply(1, { s: true });
    await settle();
    push(socket, 'foo', 1);
    controller.abort();
    await settle();
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    expect(sent(socket)).toEqual(['queue.pop ["foo"]', 'queue.unpop []']);
    const aborted = client.consume('bar', { signal: AbortSignal.abort() });
    expect(await aborted.next()).toEqual({ value: undefined, done: true });
    expect(sent(socket)).toHaveLength(2);
    await client.close();
  });

  it('ends after what it buffered when the client closes', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const sub = client.consume('foo');
    socket.reply(1, { s: true });
    push(socket, 'foo', 1);
    await client.close();
    expect(await read(sub, 1)).toEqual([1]);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    const late = client.consume('foo');
    expect(await late.next()).toEqual({ value: undefined, done: true });
  });

  it('reports a refused pop as repop and retries it; "duplicate consume" counts as consuming', async () => {
    const { client, socket, errors } = await openClient({
      heartbeat: false,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const sub = client.consume('foo');
    socket.replyError(1, 201, 'consume failed');
    await settle();
    expect(errors).toMatchObject([{ kind: 'repop', topics: ['foo'], error: { code: 201 } }]);
    vi.advanceTimersByTime(100);
    expect(sent(socket)).toEqual(['queue.pop ["foo"]', 'queue.pop ["foo"]']);
    socket.replyError(2, 202, 'duplicate consume');
    await settle();
    vi.advanceTimersByTime(10_000);
    expect(sent(socket)).toHaveLength(2);
    expect(errors).toHaveLength(1);
    await sub.close();
    await client.close();
  });

  it('rejects bad arguments with a ValidationError and pops nothing', () => {
    const { client, fake } = startClient();
    expect(() => client.consume()).toThrowError(/topics/);
    expect(() => client.consume('')).toThrowError(/topic/);
    expect(() => client.consume('foo', { highWaterMark: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid consume() options at highWaterMark: highWaterMark is a positive integer (a message count)]`,
    );
    expect(() => client.consume('foo', { signal: 'no' as never })).toThrowError(/signal/);
    expect(() => client.consume(1 as never)).toThrowError(/topics/);
    expect(fake.sockets).toHaveLength(0);
    void client.close();
  });
});

describe('pop() intent', () => {
  it('re-issues a first pop whose socket died before the answer (a worker on a flapping socket)', async () => {
    const { client, fake } = startClient({ heartbeat: false, reconnect: fastReconnect });
    const popped = client.pop('foo');
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo"]']);
    fake.last.drop();
    await expect(popped).rejects.toMatchObject({ name: 'ConnectionClosedError' });
    vi.advanceTimersByTime(100);
    fake.last.fail(new Error('refused')); // the socket flaps again before it opens
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo"]']);
    fake.last.reply(2, { s: true });
    push(fake.last, 'foo', 'finally');
    const stream = client.messages({ topic: 'foo' });
    expect(await read(stream, 1)).toEqual(['finally']);
    await client.close();
  });

  it('re-pops on the same socket a pop that timed out, without a duplicate for one still queued', async () => {
    const { client, socket, fake } = await openClient({
      heartbeat: false,
      requestTimeoutMs: 1_000,
      reconnect: fastReconnect,
    });
    const timedOut = client.pop('foo');
    vi.advanceTimersByTime(1_000);
    await expect(timedOut).rejects.toMatchObject({ name: 'TimeoutError' });
    await settle();
    expect(sent(socket)).toEqual(['queue.pop ["foo"]', 'queue.pop ["foo"]']);
    socket.reply(2, { s: true });
    await settle();
    socket.drop();
    const queued = client.pop('bar'); // waits for the next socket, which pops it itself
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(sent(fake.last)).toEqual(['queue.pop ["foo"]', 'queue.pop ["bar"]']);
    void queued.catch(() => {});
    await client.close();
  });
});
