// The client of @connmix/core over browserTransport, in headless Chromium, against the protocol
// test server started by global-setup.ts.
import { describe, expect, it, onTestFinished } from 'vitest';
import { recordClient as record } from '@connmix/test-support/recordClient';
import {
  browserTransport,
  connect,
  ConnectionClosedError,
  createClient,
  ProtocolError,
  TimeoutError,
  type Client,
  type ClientOptions,
} from '../src/index.ts';
import { testServer } from './support/testServer.ts';

/** A client of this test's own tagged connections, with fast reconnects, closed when the test ends. */
function client(url: string, options: Partial<ClientOptions> = {}): Client {
  const made = createClient({
    url,
    transport: browserTransport(),
    heartbeat: false,
    reconnect: { minDelayMs: 5, maxDelayMs: 20 },
    requestTimeoutMs: 3_000,
    ...options,
  });
  onTestFinished(() => made.close());
  return made;
}

describe('client over browserTransport in Chromium', () => {
  it('connect() resolves with an open client', async () => {
    const made = await connect(testServer('connect').url, { heartbeat: false });
    onTestFinished(() => made.close());
    expect(made.state).toBe('open');
    const { rttMs } = await made.ping();
    expect(rttMs).toBeGreaterThanOrEqual(0);
  });

  it('pops a topic and receives its events through messages() and on("message")', async () => {
    const server = testServer('pop');
    const made = client(server.url);
    const heard: unknown[] = [];
    made.on('message', (msg) => heard.push(msg.data));
    await made.connect();
    expect(await made.pop('browser-foo')).toEqual({ success: true });
    const stream = made.messages({ topic: 'browser-foo' });
    await server.push('browser-foo', { ctx: [], msg: 'hello' });
    await server.push('browser-foo', { ctx: { uid: 1 }, msg: 'again' }, '1463819408261513216');
    const received = [];
    for await (const msg of stream) {
      received.push({ clientId: msg.clientId, topic: msg.topic, data: msg.data });
      if (received.length === 2) break;
    }
    expect(received).toEqual([
      { clientId: '1627581697287520263', topic: 'browser-foo', data: { ctx: [], msg: 'hello' } },
      { clientId: '1463819408261513216', topic: 'browser-foo', data: { ctx: { uid: 1 }, msg: 'again' } },
    ]);
    expect(heard).toEqual([
      { ctx: [], msg: 'hello' },
      { ctx: { uid: 1 }, msg: 'again' },
    ]);
    const requests = await server.requests();
    expect(requests.map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'queue.pop', params: ['browser-foo'] },
    ]);
  });

  it('publishes and sends, with normalized results and the v1.0.2 wire layout', async () => {
    const server = testServer('publish');
    const made = client(server.url);
    await made.connect();
    expect(await made.publish('room1', 'hello')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await made.send('1463819408261513216', 'hi')).toEqual({ success: 1, fail: 0, total: 1 });
    const requests = await server.requests();
    expect(requests.map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'mesh.publish', params: [{ c: 'room1', d: 'hello' }] },
      { method: 'mesh.send', params: [{ c: '1463819408261513216', d: 'hi' }] },
    ]);
  });

  it('reconnects after the server drops the socket, pops again and keeps receiving', async () => {
    const server = testServer('reconnect');
    const made = client(server.url);
    const { states } = record(made);
    await made.connect();
    await made.pop('browser-bar');
    const stream = made.messages({ topic: 'browser-bar' });
    await server.push('browser-bar', 'before');
    expect((await stream.next()).value?.data).toBe('before');

    expect(await server.drop({ mode: 'terminate' })).toEqual({ dropped: 1 });
    // The push waits on the server until a connection with this tag has popped the topic again.
    await server.push('browser-bar', 'after');
    expect((await stream.next()).value?.data).toBe('after');
    expect(made.state).toBe('open');
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    const pops = (await server.requests()).filter((request) => request.method === 'queue.pop');
    expect(pops).toHaveLength(2);
    await stream.return();
  });

  it('rejects a call in flight with ConnectionClosedError when the server closes, and never re-sends it', async () => {
    const server = testServer('close-in-flight');
    const made = client(server.url);
    const { states } = record(made);
    await made.connect();
    const error = await made.publish('close-me', 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code: 4001, reason: 'bye' });
    await expect.poll(() => made.state).toBe('open');
    expect(await made.publish('room1', 'after')).toEqual({ success: 1, fail: 0, total: 1 });
    const published = (await server.requests()).filter((request) => request.method === 'mesh.publish');
    expect(published.map((request) => request.params)).toEqual([
      [{ c: 'close-me', d: 'x' }],
      [{ c: 'room1', d: 'after' }],
    ]);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('rejects with TimeoutError when the server never answers', async () => {
    const made = client(testServer('never-answer').url);
    await made.connect();
    const error = await made
      .publish('never-answer', 'x', { timeoutMs: 50 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50 });
    expect(made.state).toBe('open');
  });

  it('reports a binary frame as a ProtocolError and stays open', async () => {
    const server = testServer('binary');
    const made = client(server.url);
    const { errors } = record(made);
    await made.connect();
    await server.sendFrame({ bytes: [1, 2, 3] });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]?.kind).toBe('protocol');
    expect(errors[0]?.error).toBeInstanceOf(ProtocolError);
    expect(made.state).toBe('open');
    await made.ping();
  });

  it('keeps a v1.0.3 connection alive with text pings, since browsers send no ping frames', async () => {
    const server = testServer('heartbeat', 'v1.0.3');
    const made = client(server.url, { dialect: 'v1.0.3', heartbeat: { intervalMs: 20, timeoutMs: 1_000 } });
    const { errors } = record(made);
    await made.connect();
    await expect
      .poll(async () => (await server.connections())[0]?.textPings ?? 0, { timeout: 2_000 })
      .toBeGreaterThanOrEqual(1);
    const [connection] = await server.connections();
    expect(connection?.pings).toBe(0);
    expect(errors).toEqual([]);
    expect(made.state).toBe('open');
  });
});
