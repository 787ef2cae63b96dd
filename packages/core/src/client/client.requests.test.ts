import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError } from '../errors/errors.ts';
import { openClient, peek, settle, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';

describe('results', () => {
  it('sends v1.0.2 frames and normalizes v1.0.2 results', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'hi');
    expect(socket.lastRequest()).toEqual({ m: 'mesh.send', p: [{ c: CID, d: 'hi' }], i: 1 });
    socket.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });

    const published = client.publish('room1', 'hello');
    socket.reply(2, { s: true, f: 2, t: 9 });
    await expect(published).resolves.toEqual({ success: 7, fail: 2, total: 9 });

    const called = client.call(CID, 'my_func', [1, 'a']);
    expect(socket.lastRequest()).toEqual({
      m: 'conn.call',
      p: [{ c: CID, f: 'my_func', a: [1, 'a'] }],
      i: 3,
    });
    socket.reply(3, { s: true });
    await expect(called).resolves.toEqual({ success: true });
    await client.close();
  });

  it('sends v1.0.3 frames and normalizes v1.0.3 results to the same shapes', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', heartbeat: false });
    const sent = client.send(CID, 'hi');
    expect(socket.lastRequest()).toEqual({ m: 'mesh.send', p: { c: CID, d: 'hi' }, i: 1 });
    socket.reply(1, { s: true });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });

    const published = client.publish('room1', 'hello');
    socket.reply(2, { s: 9, f: 1 });
    await expect(published).resolves.toEqual({ success: 9, fail: 1, total: 10 });
    await client.close();
  });

  it('sends bytes as base64 with type binary in v1.0.3', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', heartbeat: false });
    const sent = client.publish('room1', new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(socket.lastRequest().p).toEqual({ c: 'room1', d: '3q2+7w==', t: 'binary' });
    socket.reply(1, { s: 1, f: 0 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('shortcuts conn.call for the four documented functions', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const calls = [
      client.setContextValue(CID, 'uid', 10000),
      client.setContext(CID, { uid: 10000 }),
      client.subscribe(CID, 'room1', 'room2'),
      client.unsubscribe(CID, 'room1', { timeoutMs: 500 }),
    ];
    expect(socket.requests().map((r) => r.p)).toEqual([
      [{ c: CID, f: 'set_context_value', a: ['uid', 10000] }],
      [{ c: CID, f: 'set_context', a: [{ uid: 10000 }] }],
      [{ c: CID, f: 'subscribe', a: ['room1', 'room2'] }],
      [{ c: CID, f: 'unsubscribe', a: ['room1'] }],
    ]);
    for (const { i } of socket.requests()) socket.reply(i, { s: true });
    expect(await Promise.all(calls)).toEqual(Array(4).fill({ success: true }));
    await client.close();
  });

  it('passes any request through request() and normalizes its result', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const result = client.request({ method: 'mesh.publish', channel: 'r', data: 'x' });
    socket.reply(1, { s: true, f: 0, t: 3 });
    await expect(result).resolves.toEqual({ success: 3, fail: 0, total: 3 });
    await client.close();
  });

  it('measures ping round trips (server.ping in v1.0.2)', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const ping = client.ping();
    expect(socket.lastRequest()).toEqual({ m: 'server.ping', p: [], i: 1 });
    vi.advanceTimersByTime(42);
    socket.reply(1, { s: 'server.pong' });
    await expect(ping).resolves.toEqual({ rttMs: 42 });
    await client.close();
  });

  it('measures ping round trips with the text frame ping in v1.0.3, answered in order', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', heartbeat: false });
    const first = client.ping();
    vi.advanceTimersByTime(10);
    const second = client.ping();
    expect(socket.sent).toEqual(['ping', 'ping']);
    vi.advanceTimersByTime(5);
    socket.receive('pong');
    socket.receive('pong');
    await expect(first).resolves.toEqual({ rttMs: 15 });
    await expect(second).resolves.toEqual({ rttMs: 5 });
    await client.close();
  });
});

describe('calls while disconnected', () => {
  it('waits for the connection within its own deadline, then goes out once', async () => {
    const { client, fake } = startClient({
      heartbeat: false,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const sent = client.send(CID, 'x', { timeoutMs: 5_000 });
    expect(client.state).toBe('connecting');
    fake.last.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(fake.sockets).toHaveLength(2);
    expect(fake.sockets[1]!.requests()).toEqual([{ m: 'mesh.send', p: [{ c: CID, d: 'x' }], i: 1 }]);
    fake.last.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('times out if no connection comes within the deadline', async () => {
    const { client, fake } = startClient({ heartbeat: false });
    const sent = client.send(CID, 'x', { timeoutMs: 300 });
    const outcome = expect(sent).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TimeoutError: mesh.send (never sent: no open connection) got no answer within 300 ms]`,
    );
    vi.advanceTimersByTime(300);
    await outcome;
    fake.last.open();
    expect(fake.last.sent).toEqual([]);
    await client.close();
  });

  it('keeps a call queued when the transport refuses to send it, and sends it once on the next socket', async () => {
    const { client, socket, fake, errors } = await openClient({
      heartbeat: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 10 },
    });
    socket.sendError = new Error('buffer full');
    const sent = client.send(CID, 'x');
    expect(socket.closedBy).toEqual({ code: 4002, reason: 'send failed' });
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      ['transport', 'the transport refused to send a frame; the socket is replaced'],
    ]);
    vi.advanceTimersByTime(10);
    fake.last.open();
    expect(fake.last.requests()).toHaveLength(1);
    fake.last.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });
});

describe('in-flight requests when the socket dies', () => {
  it('rejects each sent request once with ConnectionClosedError and never re-sends it', async () => {
    const { client, socket, fake } = await openClient({
      heartbeat: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 10 },
    });
    const first = client.send(CID, 'a');
    const second = client.publish('room', 'b');
    socket.drop(1006, '');
    const third = client.send(CID, 'c');
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a).toMatchObject({ status: 'rejected', reason: { name: 'ConnectionClosedError', code: 1006 } });
    expect(b).toMatchObject({ status: 'rejected', reason: { name: 'ConnectionClosedError' } });
    expect((a as PromiseRejectedResult).reason.message).toMatchInlineSnapshot(
      `"mesh.send was sent, but the connection closed (code 1006) before its answer; not re-sent, as it may have taken effect"`,
    );
    vi.advanceTimersByTime(10);
    fake.last.open();
    // Only the call made while disconnected goes out on the new socket.
    expect(fake.last.requests()).toEqual([{ m: 'mesh.send', p: [{ c: CID, d: 'c' }], i: 3 }]);
    fake.last.reply(3, { s: true, f: 0, t: 1 });
    await expect(third).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('settles exactly once whatever comes after the first outcome', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false, reconnect: false });
    const controller = new AbortController();
    const onSettled = vi.fn();
    const sent = client.send(CID, 'a', { signal: controller.signal, timeoutMs: 1_000 });
    sent.then(onSettled, onSettled);
    socket.drop(1001, 'going away');
    controller.abort();
    vi.advanceTimersByTime(5_000);
    await client.close();
    await settle();
    expect(onSettled).toHaveBeenCalledTimes(1);
    expect(onSettled.mock.calls[0]![0]).toBeInstanceOf(ConnectionClosedError);
    expect(onSettled.mock.calls[0]![0]).toMatchObject({ code: 1001, reason: 'going away' });
    expect(errors).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects queued calls with ConnectionClosedError when reconnect is disabled', async () => {
    const { client, fake } = startClient({ heartbeat: false, reconnect: false });
    const sent = client.send(CID, 'x');
    fake.last.drop(1006, '');
    await expect(sent).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConnectionClosedError: mesh.send was not sent: the socket did not open (code 1006) and reconnect is disabled]`,
    );
    expect(client.state).toBe('closed');
  });
});

describe('correlation and bad frames', () => {
  it('reports a response to an unknown id on error and changes nothing else', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'a');
    socket.reply(99, { s: true });
    socket.replyError(98, 101, 'bad');
    expect(errors.map((e) => e.kind)).toEqual(['unknown-response', 'unknown-response']);
    expect(errors[0]).toMatchObject({ id: 99 });
    expect(errors[0]!.error.message).toMatchInlineSnapshot(
      `"received a response to request id 99, which no call is waiting for; ignored; frame: {"E":null,"r":{"s":true},"i":99}"`,
    );
    expect(errors[1]!.error.message).toMatchInlineSnapshot(
      `"received an error (code 101) for request id 98, which no call is waiting for; ignored; frame: {"E":{"c":101,"m":"bad"},"i":98}"`,
    );
    expect(await peek(sent)).toEqual({ status: 'pending' });
    expect(client.state).toBe('open');
    socket.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('skips bad frames mid-stream, reporting each, and later calls still work', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const first = client.send(CID, 'a');
    const second = client.send(CID, 'b');
    socket.receive('{not json');
    socket.receive(new Uint8Array([1, 2, 3]));
    socket.receive('{"hello":"world"}');
    socket.receive('[1,2]');
    socket.reply(2, { s: true, f: 0, t: 1 });
    socket.receive('{"e":"queue.pop","p":{"t":"foo"}}');
    socket.reply(1, { s: false, f: 1, t: 1 });
    await expect(first).resolves.toEqual({ success: 0, fail: 1, total: 1 });
    await expect(second).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    const third = client.send(CID, 'c');
    socket.reply(3, { s: true, f: 0, t: 1 });
    await expect(third).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    expect(errors.map((e) => e.kind)).toEqual(['protocol', 'protocol', 'protocol', 'protocol', 'protocol']);
    // The JSON.parse text differs between engine versions: only its frame is pinned.
    expect(errors[0]!.error.message).toMatch(/^received malformed JSON \(.+\); frame: \{not json$/);
    expect(errors.slice(1).map((e) => e.error.message)).toMatchInlineSnapshot(`
      [
        "received a binary frame; the connmix API sends JSON in text frames; frame: <binary frame of 3 bytes>",
        "neither a response (E, r, i) nor an event (e); frame: {"hello":"world"}",
        "expected a JSON object, got an array; frame: [1,2]",
        "a queue.pop event needs p.c, a decimal client id; frame: {"e":"queue.pop","p":{"t":"foo"}}",
      ]
    `);
    expect(client.state).toBe('open');
    await client.close();
  });

  it('reports an error response without id, an unknown event and a stray pong', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    socket.receive('{"E":{"c":101,"m":"invalid params"},"i":null}');
    socket.receive('{"e":"node.join","p":{"n":"x"},"id":null}');
    socket.receive('pong');
    expect(errors.map((e) => e.kind)).toEqual(['server', 'unknown-event', 'unknown-response']);
    expect(errors[1]).toMatchObject({ event: 'node.join', payload: { n: 'x' } });
    expect(errors.map((e) => e.error.message)).toMatchInlineSnapshot(`
      [
        "(a request the engine could not identify) failed with code 101: invalid params",
        "received the event "node.join", which this SDK does not know; ignored; frame: {"e":"node.join","p":{"n":"x"},"id":null}",
        "received a pong, but no ping is waiting for one; ignored; frame: pong",
      ]
    `);
    await client.close();
  });
});
