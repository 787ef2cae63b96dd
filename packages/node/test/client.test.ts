// The client of @connmix/core over nodeTransport, against a real `ws` server speaking the protocol.
import {
  ConnectionClosedError,
  ConnmixError,
  ProtocolError,
  ServerError,
  TimeoutError,
  type Client,
  type ClientOptions,
} from '@connmix/node';
import { describe, expect, it, onTestFinished } from 'vitest';
import { rejection } from '@connmix/test-support/rejection';
import { recordClient as record } from '@connmix/test-support/recordClient';
import { connect, createClient, nodeTransport } from '../src/index.ts';
import {
  DEFAULT_CLIENT_ID,
  startProtocolServer,
  type ProtocolServerOptions,
} from '@connmix/test-support/protocolServer';

async function server(options: ProtocolServerOptions = {}) {
  const started = await startProtocolServer(options);
  onTestFinished(() => started.close());
  return started;
}

/** A client with fast reconnects and no heartbeat unless asked, closed when the test ends. */
function client(url: string, options: Partial<ClientOptions> = {}): Client {
  const made = createClient({
    url,
    transport: nodeTransport(),
    heartbeat: false,
    reconnect: { minDelayMs: 5, maxDelayMs: 20 },
    requestTimeoutMs: 2_000,
    ...options,
  });
  onTestFinished(() => made.close());
  return made;
}

describe('client over nodeTransport: requests', () => {
  it('connects, pings and goes idle -> connecting -> open', async () => {
    const engine = await server();
    const made = client(engine.url);
    const { states } = record(made);
    await made.connect();
    expect(made.state).toBe('open');
    const { rttMs } = await made.ping();
    expect(rttMs).toBeGreaterThanOrEqual(0);
    expect(states).toEqual(['connecting', 'open']);
    expect(engine.requests.map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'server.ping', params: [] },
    ]);
  });

  it('sends every method in the v1.0.2 layout and normalizes the results', async () => {
    const engine = await server();
    const made = client(engine.url);
    await made.connect();
    const cid = '1463819408261513216';
    expect(await made.publish('room1', 'hello')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await made.send(cid, 'hi')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await made.setContextValue(cid, 'uid', 10000)).toEqual({ success: true });
    expect(await made.subscribe(cid, 'room1', 'room2')).toEqual({ success: true });
    expect(await made.unpop()).toEqual({ success: true });
    expect(engine.requests.map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'mesh.publish', params: [{ c: 'room1', d: 'hello' }] },
      { method: 'mesh.send', params: [{ c: cid, d: 'hi' }] },
      { method: 'conn.call', params: [{ c: cid, f: 'set_context_value', a: ['uid', 10000] }] },
      { method: 'conn.call', params: [{ c: cid, f: 'subscribe', a: ['room1', 'room2'] }] },
      { method: 'queue.unpop', params: [] },
    ]);
  });

  it('speaks v1.0.3: object params, and the text ping for ping()', async () => {
    const engine = await server({ dialect: 'v1.0.3' });
    const made = client(engine.url, { dialect: 'v1.0.3' });
    await made.connect();
    await made.ping();
    expect(await made.publish('room1', 'hello')).toEqual({ success: 1, fail: 0, total: 1 });
    await made.pop('foo');
    expect(engine.requests.map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'mesh.publish', params: { c: 'room1', d: 'hello' } },
      { method: 'queue.pop', params: { t: ['foo'] } },
    ]);
  });

  it('rejects with ServerError when the engine answers with an error', async () => {
    const engine = await server({
      script: (request) =>
        request.method === 'queue.pop' ? { error: { code: 202, message: 'duplicate consume' } } : undefined,
    });
    const made = client(engine.url);
    await made.connect();
    const error = await rejection(made.pop('foo'));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 202, method: 'queue.pop', serverMessage: 'duplicate consume' });
    expect(made.state).toBe('open');
  });

  it('rejects with TimeoutError when the engine never answers', async () => {
    const engine = await server({
      script: (request) => (request.method === 'mesh.send' ? { silent: true } : undefined),
    });
    const made = client(engine.url);
    await made.connect();
    const error = await rejection(made.send('1', 'x', { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50 });
    expect(await made.publish('room1', 'still works')).toEqual({ success: 1, fail: 0, total: 1 });
  });

  it('reports a binary frame as a protocol error and stays open', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const made = client(engine.url);
    const { errors } = record(made);
    await made.connect();
    (await connected).send(new Uint8Array([1, 2, 3]));
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]?.kind).toBe('protocol');
    expect(errors[0]?.error).toBeInstanceOf(ProtocolError);
    expect(errors[0]?.error.message).toContain('binary frame');
    expect(made.state).toBe('open');
    await made.ping();
  });
});

describe('client over nodeTransport: events', () => {
  it('delivers queue events to messages() and on("message"), with exact 64-bit client ids', async () => {
    const engine = await server();
    const made = client(engine.url);
    const heard: string[] = [];
    made.on('message', (msg) => heard.push(msg.clientId));
    await made.connect();
    await made.pop('foo');
    const connection = await engine.consumer('foo');
    const stream = made.messages({ topic: 'foo' });
    connection.push('foo', { ctx: [], msg: 'hello' });
    connection.push('foo', { ctx: { uid: 1 }, msg: 'again' }, '1463819408261513216');
    const received = [];
    for await (const msg of stream) {
      received.push({ clientId: msg.clientId, topic: msg.topic, data: msg.data });
      if (received.length === 2) break;
    }
    expect(received).toEqual([
      { clientId: DEFAULT_CLIENT_ID, topic: 'foo', data: { ctx: [], msg: 'hello' } },
      { clientId: '1463819408261513216', topic: 'foo', data: { ctx: { uid: 1 }, msg: 'again' } },
    ]);
    expect(heard).toEqual([DEFAULT_CLIENT_ID, '1463819408261513216']);
  });

  it("answers a message through its helpers, on the message's own client id", async () => {
    const engine = await server();
    const made = client(engine.url);
    await made.connect();
    await made.pop('foo');
    const connection = await engine.consumer('foo');
    const stream = made.messages({ topic: 'foo' });
    connection.push('foo', 'hi');
    const { value: msg } = await stream.next();
    expect(await msg?.reply('welcome')).toEqual({ success: 1, fail: 0, total: 1 });
    await msg?.setContext({ uid: 7 });
    await stream.return();
    expect(engine.requests.slice(-2).map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'mesh.send', params: [{ c: DEFAULT_CLIENT_ID, d: 'welcome' }] },
      { method: 'conn.call', params: [{ c: DEFAULT_CLIENT_ID, f: 'set_context', a: [{ uid: 7 }] }] },
    ]);
  });
});

describe('client over nodeTransport: connection loss', () => {
  it('rejects a request in flight with ConnectionClosedError when the server closes, never re-sends it, reconnects and pops again', async () => {
    const engine = await server({
      script: (request) =>
        request.method === 'mesh.send' ? { close: { code: 1012, reason: 'restart' } } : undefined,
    });
    const made = client(engine.url);
    const { states } = record(made);
    await made.connect();
    await made.pop('foo');
    const error = await rejection(made.send('1', 'once'));
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code: 1012 });
    const second = await engine.consumer('foo');
    await expect.poll(() => made.state).toBe('open');
    expect(engine.requests.filter((request) => request.method === 'mesh.send')).toHaveLength(1);
    expect(engine.requests.filter((request) => request.method === 'queue.pop')).toHaveLength(2);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    const stream = made.messages();
    second.push('foo', 'after the restart');
    expect((await stream.next()).value?.data).toBe('after the restart');
    await stream.return();
  });

  it('reconnects after the server drops the socket without a close frame', async () => {
    const engine = await server();
    const made = client(engine.url);
    await made.connect();
    await made.pop('bar');
    const first = await engine.consumer('bar');
    first.terminate();
    await first.closed;
    const second = await engine.consumer('bar');
    expect(second.id).not.toBe(first.id);
    await expect.poll(() => made.state).toBe('open');
    expect(await made.publish('room', 'x')).toEqual({ success: 1, fail: 0, total: 1 });
  });

  it('closes on a frame over maxPayload: the error names the option and requests fail with code 1009', async () => {
    const engine = await server({
      script: (request) =>
        request.method === 'mesh.publish'
          ? { result: { s: true, f: 0, t: 1, pad: 'x'.repeat(4096) } }
          : undefined,
    });
    const made = client(engine.url, { transport: nodeTransport({ maxPayload: 1024 }), reconnect: false });
    const { errors } = record(made);
    await made.connect();
    const error = await rejection(made.publish('room1', 'big answer'));
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code: 1009 });
    const transportErrors = errors.filter((event) => event.kind === 'transport');
    expect(transportErrors).toHaveLength(1);
    expect(transportErrors[0]?.error).toBeInstanceOf(ProtocolError);
    expect(transportErrors[0]?.error.message).toMatch(
      /larger than maxPayload \(1024 bytes\).*nodeTransport\(\{ maxPayload \}\)/,
    );
    expect(made.state).toBe('closed');
  });

  it('uses native ping frames for the v1.0.3 heartbeat', async () => {
    const engine = await server({ dialect: 'v1.0.3' });
    const connected = engine.nextConnection();
    const made = client(engine.url, { dialect: 'v1.0.3', heartbeat: { intervalMs: 20, timeoutMs: 1_000 } });
    const { errors } = record(made);
    await made.connect();
    const connection = await connected;
    await expect.poll(() => connection.pings, { timeout: 2_000 }).toBeGreaterThanOrEqual(1);
    expect(connection.textPings).toBe(0);
    expect(errors).toEqual([]);
    expect(made.state).toBe('open');
  });

  it('replaces a socket whose native pings go unanswered', async () => {
    const engine = await server({ dialect: 'v1.0.3' });
    const made = client(engine.url, { dialect: 'v1.0.3', heartbeat: { intervalMs: 20, timeoutMs: 60 } });
    const { errors, states } = record(made);
    // A transport that swallows pongs: the engine looks alive at the TCP level but never answers.
    const deaf = nodeTransport();
    const factory: typeof deaf = (url, handlers) => deaf(url, { ...handlers, onPong: () => {} });
    const silent = client(engine.url, {
      dialect: 'v1.0.3',
      transport: factory,
      heartbeat: { intervalMs: 20, timeoutMs: 60 },
    });
    const silentEvents = record(silent);
    await Promise.all([made.connect(), silent.connect()]);
    await expect
      .poll(() => silentEvents.errors.map((event) => event.kind), { timeout: 2_000 })
      .toContain('heartbeat');
    expect(silentEvents.states.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
    expect(errors).toEqual([]);
    expect(states).toEqual(['connecting', 'open']);
  });
});

describe('client over nodeTransport: HTTP Basic auth', () => {
  const auth = { username: 'worker', password: 's3cret' };

  it('is accepted from user:pass@ in the URL', async () => {
    const engine = await server({ auth });
    const connected = engine.nextConnection();
    const made = client(engine.url.replace('ws://', 'ws://worker:s3cret@'));
    await made.connect();
    expect((await connected).headers.authorization).toBe(
      `Basic ${Buffer.from('worker:s3cret').toString('base64')}`,
    );
    await made.ping();
  });

  it('is accepted from the auth option', async () => {
    const engine = await server({ auth });
    const connected = engine.nextConnection();
    const made = client(engine.url, { transport: nodeTransport({ auth }) });
    await made.connect();
    expect((await connected).headers.authorization).toBe(
      `Basic ${Buffer.from('worker:s3cret').toString('base64')}`,
    );
    expect(await made.ping()).toEqual({ rttMs: expect.any(Number) });
    expect(engine.refused).toEqual([]);
  });

  it('is refused with a clear error that never shows the password', async () => {
    const engine = await server({ auth });
    const made = client(engine.url.replace('ws://', 'ws://worker:hunter2@'), { reconnect: false });
    const { errors } = record(made);
    const error = await rejection(made.connect());
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(errors.map((event) => event.kind)).toEqual(['transport']);
    expect(errors[0]?.error).toBeInstanceOf(ConnmixError);
    expect(errors[0]?.error.message).toMatch(
      /refused the WebSocket upgrade with HTTP 401 Unauthorized; check the credentials/,
    );
    const everything = [error, ...errors.map((event) => event.error)]
      .flatMap((e) => [String(e), JSON.stringify(e), String((e as Error).cause)])
      .join('\n');
    expect(everything).not.toContain('hunter2');
    expect(everything).toContain('ws://***@127.0.0.1');
    expect(engine.refused).toHaveLength(1);
  });
});

describe('connect()', () => {
  it('resolves with an open client over nodeTransport', async () => {
    const engine = await server();
    const made = await connect(engine.url, { heartbeat: false });
    onTestFinished(() => made.close());
    expect(made.state).toBe('open');
    expect(await made.publish('room1', 'hi')).toEqual({ success: 1, fail: 0, total: 1 });
  });

  it('gives up after timeoutMs while reconnecting, and closes the client', async () => {
    const engine = await server({ auth: { username: 'a', password: 'b' } });
    let attempts = 0;
    const inner = nodeTransport();
    const counting: typeof inner = (url, handlers) => {
      attempts++;
      return inner(url, handlers);
    };
    const error = await rejection(
      connect(engine.url, {
        transport: counting,
        heartbeat: false,
        reconnect: { minDelayMs: 5, maxDelayMs: 10 },
        timeoutMs: 100,
      }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100 });
    const attemptsSoFar = attempts;
    expect(attemptsSoFar).toBeGreaterThanOrEqual(2);
    // Closed: no attempt is started after the rejection (retries were 5-10 ms apart).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(attemptsSoFar);
  });

  it('rejects, and closes the client, when it cannot open', async () => {
    const engine = await server({ auth: { username: 'a', password: 'b' } });
    const error = await rejection(connect(engine.url, { heartbeat: false, reconnect: false }));
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(engine.connections).toHaveLength(0);
  });
});
