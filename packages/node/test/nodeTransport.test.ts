import { Agent, type AgentOptions } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { inspect } from 'node:util';
import { ConnectionClosedError, ConnmixError, ProtocolError, ValidationError } from '@connmix/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { nodeTransport } from '../src/index.ts';
import { startProtocolServer, type ProtocolServerOptions } from '@connmix/test-support/protocolServer';
import { recordTransport } from '@connmix/test-support/recordTransport';
// The matrix is the core's, so that every package searches for the same parts.
import {
  leaks,
  PASSWORDS,
  userinfo,
  USERNAME,
  type UrlForm,
} from '../../core/src/errors/testing/credentialMatrix.ts';

async function server(options: ProtocolServerOptions = {}) {
  const started = await startProtocolServer(options);
  onTestFinished(() => started.close());
  return started;
}

/** Lets already queued socket events run, so a late handler call would be seen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

const ping = (id: number) => JSON.stringify({ m: 'server.ping', p: [], i: id });

describe('nodeTransport: frames', () => {
  it('sends text frames and passes text frames on as strings', async () => {
    const engine = await server();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    recorded.transport.send(ping(7));
    expect(await recorded.nextMessage()).toBe('{"E":null,"r":{"s":"server.pong"},"i":7}');
    expect(engine.requests.map((r) => r.raw)).toEqual([ping(7)]);
    recorded.transport.close();
    await recorded.closed;
  });

  it('passes a binary frame on as a plain Uint8Array with the exact bytes', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    (await connected).send(new Uint8Array([0, 1, 2, 250, 255]));
    const frame = await recorded.nextMessage();
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(frame)).toBe(false);
    expect([...(frame as Uint8Array)]).toEqual([0, 1, 2, 250, 255]);
    recorded.transport.close();
    await recorded.closed;
  });

  it('sends a native ping frame and reports the pong', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    const connection = await connected;
    expect(recorded.transport.ping).toBeTypeOf('function');
    recorded.transport.ping?.();
    await expect.poll(() => recorded.events.filter((event) => event.type === 'pong').length).toBe(1);
    expect(connection.pings).toBe(1);
    recorded.transport.close();
    await recorded.closed;
  });
});

describe('nodeTransport: the upgrade request', () => {
  it('sends the configured headers', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(
      nodeTransport({ headers: { 'x-app': 'dashboard', 'user-agent': 'sdk-test' } }),
      engine.url,
    );
    await recorded.opened;
    const { headers } = await connected;
    expect(headers['x-app']).toBe('dashboard');
    expect(headers['user-agent']).toBe('sdk-test');
    expect(headers.authorization).toBeUndefined();
    recorded.transport.close();
    await recorded.closed;
  });

  it('turns user:pass@ in the URL into HTTP Basic auth, percent-decoded', async () => {
    const engine = await server({ auth: { username: 'ops@team', password: 'p:ss wörd' } });
    const connected = engine.nextConnection();
    const url = engine.url.replace('ws://', 'ws://ops%40team:p%3Ass%20w%C3%B6rd@');
    const recorded = recordTransport(nodeTransport(), url);
    await recorded.opened;
    const { headers } = await connected;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('ops@team:p:ss wörd').toString('base64')}`);
    recorded.transport.close();
    await recorded.closed;
  });

  it('lets the auth option win over URL credentials and an Authorization header', async () => {
    const engine = await server({ auth: { username: 'worker', password: 'right' } });
    const connected = engine.nextConnection();
    const factory = nodeTransport({
      auth: { username: 'worker', password: 'right' },
      headers: { authorization: 'Bearer stale' },
    });
    const recorded = recordTransport(factory, engine.url.replace('ws://', 'ws://worker:wrong@'));
    await recorded.opened;
    expect((await connected).headers.authorization).toBe(
      `Basic ${Buffer.from('worker:right').toString('base64')}`,
    );
    recorded.transport.close();
    await recorded.closed;
  });

  it.each(PASSWORDS)(
    'never shows the password %s: URL (raw, encoded) or auth, refused or invalid',
    async (password) => {
      const engine = await server({ auth: { username: USERNAME, password: 'another' } });
      const withCredentials = (form: UrlForm) =>
        engine.url.replace('ws://', `ws://${userinfo(password, form)}`);
      const attempts = [
        recordTransport(nodeTransport(), withCredentials('percent-encoded')),
        recordTransport(nodeTransport(), withCredentials('raw')),
        recordTransport(nodeTransport({ auth: { username: USERNAME, password } }), engine.url),
      ];
      const errors: Error[] = [];
      for (const attempt of attempts) {
        await attempt.closed;
        errors.push(...attempt.errors());
      }
      // Each one refused (401), or invalid before anything was sent (a raw / ? # cannot be in a URL).
      expect(
        errors.map((error) =>
          /refused the WebSocket upgrade with HTTP 401|not a valid URL/.test(error.message),
        ),
      ).toEqual([true, true, true]);
      expect(errors[0]!.message).toMatch(/^ws:\/\/\*\*\*@127\.0\.0\.1:\d+\/ws\/v1 refused/);
      expect(leaks(inspect(errors, { depth: Infinity }), password)).toEqual([]);
    },
  );

  it('reports a refused upgrade (401) once, with a hint and without the credentials, and its HTTP status', async () => {
    const engine = await server({ auth: { username: 'worker', password: 'right' } });
    const recorded = recordTransport(nodeTransport(), engine.url.replace('ws://', 'ws://worker:hunter2@'));
    // The status lets the client tell refused credentials from an engine that is down.
    expect(await recorded.closed).toEqual({ code: 1006, reason: '', httpStatus: 401 });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['error', 'close']);
    const [error] = recorded.errors();
    expect(error).toBeInstanceOf(ConnmixError);
    expect(error?.message.replace(/:\d+\//, ':PORT/')).toMatchInlineSnapshot(
      `"ws://***@127.0.0.1:PORT/ws/v1 refused the WebSocket upgrade with HTTP 401 Unauthorized; check the credentials (nodeTransport({ auth }) or user:pass@ in the URL)"`,
    );
    expect(JSON.stringify(recorded.events)).not.toContain('hunter2');
    expect(String((error?.cause as Error).message)).not.toContain('hunter2');
    expect(engine.refused).toEqual([`Basic ${Buffer.from('worker:hunter2').toString('base64')}`]);
  });

  it('uses the given agent for the connection', async () => {
    const engine = await server();
    let connections = 0;
    class CountingAgent extends Agent {
      constructor(options?: AgentOptions) {
        super(options);
      }
      override createConnection(...args: Parameters<Agent['createConnection']>): Duplex {
        connections++;
        return super.createConnection(...args) as Duplex;
      }
    }
    const agent = new CountingAgent();
    onTestFinished(() => agent.destroy());
    const recorded = recordTransport(nodeTransport({ agent }), engine.url);
    await recorded.opened;
    expect(connections).toBe(1);
    recorded.transport.close();
    await recorded.closed;
  });

  it('gives up on a server that never answers the upgrade after handshakeTimeoutMs', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { port } = silent.address() as { port: number };
    const recorded = recordTransport(
      nodeTransport({ handshakeTimeoutMs: 50 }),
      `ws://127.0.0.1:${port}/ws/v1`,
    );
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    expect(recorded.errors().map((error) => error.message)).toEqual([
      `WebSocket error on ws://127.0.0.1:${port}/ws/v1: Opening handshake has timed out`,
    ]);
  });
});

describe('nodeTransport: closing', () => {
  it('calls onClose once with the code and reason of the close frame, then refuses to send', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    (await connected).close(4001, 'bye');
    expect(await recorded.closed).toEqual({ code: 4001, reason: 'bye' });
    recorded.transport.close();
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['open', 'close']);
    expect(() => recorded.transport.send(ping(1))).toThrow(ConnectionClosedError);
  });

  it('reports 1006 when the server drops the socket without a close frame', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    (await connected).terminate();
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.filter((event) => event.type === 'close')).toHaveLength(1);
  });

  it('throws ConnectionClosedError from send as soon as close() was called', async () => {
    const engine = await server();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    recorded.transport.close(1000, 'done');
    recorded.transport.close(1000, 'twice');
    let thrown: unknown;
    try {
      recorded.transport.send(ping(1));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConnectionClosedError);
    expect(thrown).toMatchObject({ code: 1000, reason: 'done' });
    expect((thrown as Error).message).toMatch(
      /^cannot send: the connection to ws:\/\/127\.0\.0\.1:\d+\/ws\/v1 is closing or closed$/,
    );
    expect(await recorded.closed).toEqual({ code: 1000, reason: 'done' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['open', 'close']);
  });

  it('throws ConnectionClosedError from send before the socket is open', async () => {
    const engine = await server();
    const recorded = recordTransport(nodeTransport(), engine.url);
    expect(() => recorded.transport.send(ping(1))).toThrow(ConnectionClosedError);
    await recorded.opened;
    recorded.transport.close();
    await recorded.closed;
  });

  it('closing while connecting ends with onClose only: no open, no error', async () => {
    const engine = await server();
    const recorded = recordTransport(nodeTransport(), engine.url);
    recorded.transport.close();
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['close']);
  });

  it('reports a failed open as one error and one close with code 1006', async () => {
    const engine = await server();
    const url = engine.url;
    await engine.close();
    const recorded = recordTransport(nodeTransport(), url);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['error', 'close']);
    expect(recorded.errors()[0]?.message).toMatch(
      /^WebSocket error on ws:\/\/127\.0\.0\.1:\d+\/ws\/v1: connect ECONNREFUSED/,
    );
  });

  it('reports an invalid URL through onError and onClose, with the credentials redacted', async () => {
    const recorded = recordTransport(nodeTransport(), 'ws://admin:hunter2@exa mple/ws/v1');
    expect(recorded.events).toEqual([]);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    const [error] = recorded.errors();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toMatchInlineSnapshot(
      `"invalid WebSocket URL at url: ws://***@exa mple/ws/v1 is not a valid URL (expected ws://host:port/ws/v1; percent-encode / ? # @ % in credentials, or pass them as auth)"`,
    );
    expect(error?.cause).toBeUndefined();
    expect(() => recorded.transport.send('x')).toThrow(ConnectionClosedError);
  });
});

describe('nodeTransport: maxPayload', () => {
  it('closes with 1009 and a ProtocolError naming the option when a frame is too big', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport({ maxPayload: 1024 }), engine.url);
    await recorded.opened;
    const connection = await connected;
    connection.send('a'.repeat(1024));
    expect(await recorded.nextMessage()).toHaveLength(1024);
    connection.send('b'.repeat(1025));
    expect(await recorded.closed).toEqual({ code: 1009, reason: 'frame exceeds maxPayload' });
    const [error] = recorded.errors();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error?.message.replace(/:\d+\//, ':PORT/')).toMatchInlineSnapshot(
      `"received a frame larger than maxPayload (1024 bytes) from ws://127.0.0.1:PORT/ws/v1, so the connection was closed; raise nodeTransport({ maxPayload }) if the engine legitimately sends frames this large; frame: <a frame over 1024 bytes>"`,
    );
    expect(await connection.closed).toBe(1009);
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['open', 'message', 'error', 'close']);
  });

  it('accepts frames of several MiB by default', async () => {
    const engine = await server();
    const connected = engine.nextConnection();
    const recorded = recordTransport(nodeTransport(), engine.url);
    await recorded.opened;
    (await connected).send('x'.repeat(8 * 1024 * 1024));
    expect(await recorded.nextMessage()).toHaveLength(8 * 1024 * 1024);
    recorded.transport.close();
    await recorded.closed;
  });
});

describe('nodeTransport: options', () => {
  it('rejects invalid options when the factory is made', () => {
    expect(() => nodeTransport({ maxPayload: 0, handshakeTimeoutMs: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid nodeTransport options at maxPayload: maxPayload is a positive whole number of bytes (and 1 more)]`,
    );
    expect(() => nodeTransport({ auth: { username: 'a:b', password: 'c' } })).toThrow(ValidationError);
  });

  it('each call of the factory is a fresh, independent transport', async () => {
    const engine = await server();
    const factory = nodeTransport();
    const first = recordTransport(factory, engine.url);
    const second = recordTransport(factory, engine.url);
    await Promise.all([first.opened, second.opened]);
    first.transport.close();
    await first.closed;
    second.transport.send(ping(2));
    expect(await second.nextMessage()).toBe('{"E":null,"r":{"s":"server.pong"},"i":2}');
    second.transport.close();
    await second.closed;
  });
});
