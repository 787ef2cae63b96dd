import { describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  ConnectionClosedError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../errors/errors.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';
import { openClient, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';

describe('errors', () => {
  it('rejects an E response with ServerError (code, method, server text)', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'hi');
    socket.replyError(1, 401, 'the connection is gone');
    const error = await sent.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      name: 'ServerError',
      code: 401,
      method: 'mesh.send',
      serverMessage: 'the connection is gone',
    });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"mesh.send failed with code 401: the connection is gone"`,
    );
    await client.close();
  });

  it('rejects with TimeoutError after requestTimeoutMs and ignores the late answer quietly', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false, requestTimeoutMs: 1_000 });
    const sent = client.send(CID, 'hi');
    const outcome = expect(sent).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TimeoutError: mesh.send got no answer within 1000 ms]`,
    );
    vi.advanceTimersByTime(1_000);
    await outcome;
    socket.reply(1, { s: true, f: 0, t: 1 });
    expect(errors).toEqual([]);
    await client.close();
  });

  it('uses the per-call timeoutMs over requestTimeoutMs', async () => {
    const { client } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'hi', { timeoutMs: 50 });
    vi.advanceTimersByTime(50);
    await expect(sent).rejects.toBeInstanceOf(TimeoutError);
    await expect(sent).rejects.toMatchObject({ timeoutMs: 50 });
    await client.close();
  });

  it('rejects invalid arguments with ValidationError before anything is sent', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    await expect(
      client.send(1627581697287520263 as unknown as string, 'x'),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid mesh.send request at clientId: client ids are 64-bit and must be passed as decimal strings; the number 1627581697287520300 may already have lost precision]`,
    );
    await expect(client.send('abc', 'x')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid mesh.send request at clientId: a client id is a string of 1 to 20 decimal digits]`,
    );
    await expect(client.send(CID, 42 as unknown as string)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid mesh.send request at data: data is a string or a Uint8Array]`,
    );
    await expect(client.publish('two words', 'x')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid mesh.publish request at channel: a channel name is a non-empty string without spaces]`,
    );
    await expect(client.pop()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid queue.pop request at topics: pop at least one topic]`,
    );
    await expect(client.pop('a', 7 as unknown as string)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid queue.pop request at topics.1: topics are strings, optionally followed by call options]`,
    );
    await expect(client.subscribe(CID)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid conn.call request at channels: give at least one channel]`,
    );
    await expect(
      client.setContext(CID, [] as unknown as Record<string, unknown>),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid setContext() arguments at context: a context is a plain object of JSON values]`,
    );
    await expect(client.send(CID, 'x', { timeoutMs: -1 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid call options at timeoutMs: timeoutMs is a positive number of ms]`,
    );
    await expect(
      client.send(CID, 'x', { signal: {} as AbortSignalLike }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid call options at signal: signal is an AbortSignal]`,
    );
    await expect(client.request({ method: 'nope' } as never)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid nope request at method: unknown method "nope"]`,
    );
    expect(socket.sent).toEqual([]);
    await client.close();
  });

  it('refuses binary data in v1.0.2 and server.ping in v1.0.3, sending nothing', async () => {
    const v102 = await openClient({ heartbeat: false });
    await expect(v102.client.send(CID, new Uint8Array([1]))).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid mesh.send request at type: binary messages need the v1.0.3 dialect; v1.0.2 sends text only]`,
    );
    expect(v102.socket.sent).toEqual([]);
    await v102.client.close();
    const v103 = await openClient({ heartbeat: false, dialect: 'v1.0.3' });
    await expect(v103.client.request({ method: 'server.ping' })).rejects.toBeInstanceOf(ValidationError);
    expect(v103.socket.sent).toEqual([]);
    await v103.client.close();
  });

  it('rejects calls on a closed client with ConnectionClosedError', async () => {
    const { client, fake } = startClient();
    await client.close();
    await expect(client.send(CID, 'x')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConnectionClosedError: mesh.send was not sent: the client is closed]`,
    );
    await expect(client.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(fake.sockets).toHaveLength(0);
  });

  it('rejects a bad result shape with ProtocolError', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'hi');
    socket.reply(1, { s: 'yes' });
    await expect(sent).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ProtocolError: unexpected result for mesh.send; frame: {"s":"yes"}]`,
    );
    await client.close();
  });
});

describe('abort', () => {
  it('rejects at once when the signal is already aborted, sending and opening nothing', async () => {
    const { client, fake } = startClient();
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    const sent = client.send(CID, 'x', { signal: controller.signal });
    await expect(sent).rejects.toThrowErrorMatchingInlineSnapshot(`[AbortError: mesh.send was aborted]`);
    await expect(sent).rejects.toMatchObject({ cause: new Error('user left') });
    expect(fake.sockets).toHaveLength(0);
    expect(client.state).toBe('idle');
    await client.close();
  });

  it('rejects while waiting for a connection, and the call never goes out', async () => {
    const { client, fake } = startClient({ heartbeat: false });
    const controller = new AbortController();
    const sent = client.send(CID, 'x', { signal: controller.signal });
    expect(client.state).toBe('connecting');
    controller.abort();
    await expect(sent).rejects.toBeInstanceOf(AbortError);
    fake.last.open();
    expect(fake.last.sent).toEqual([]);
    await client.close();
  });

  it('rejects after the frame went out, and the late answer passes quietly', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const controller = new AbortController();
    const sent = client.send(CID, 'x', { signal: controller.signal });
    expect(socket.sent).toHaveLength(1);
    controller.abort();
    await expect(sent).rejects.toBeInstanceOf(AbortError);
    socket.reply(1, { s: true, f: 0, t: 1 });
    expect(errors).toEqual([]);
    await client.close();
  });

  it('does nothing once the call settled, and leaves no listener on the signal', async () => {
    const listeners = new Set<() => void>();
    const signal: AbortSignalLike = {
      aborted: false,
      addEventListener: (_type, listener) => listeners.add(listener),
      removeEventListener: (_type, listener) => listeners.delete(listener),
    };
    const { client, socket } = await openClient({ heartbeat: false });
    const sent = client.send(CID, 'x', { signal });
    expect(listeners.size).toBe(1);
    socket.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    expect(listeners.size).toBe(0);
    await client.close();
  });

  it('aborts connect() on its own signal or deadline without closing the client', async () => {
    const { client, fake } = startClient();
    const controller = new AbortController();
    const first = client.connect({ signal: controller.signal });
    controller.abort();
    await expect(first).rejects.toThrowErrorMatchingInlineSnapshot(`[AbortError: connect() was aborted]`);
    const second = client.connect({ timeoutMs: 100 });
    vi.advanceTimersByTime(100);
    await expect(second).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TimeoutError: connect() got no answer within 100 ms]`,
    );
    expect(client.state).toBe('connecting');
    const third = client.connect();
    fake.last.open();
    await expect(third).resolves.toBeUndefined();
    expect(fake.sockets).toHaveLength(1);
    await client.close();
  });
});
