// A small scripted server that speaks the connmix engine API over a real `ws` socket, for the
// adapter tests of both packages (the browser tests start it from their global setup). Every
// piece of state lives in the server returned by `startProtocolServer`: two servers in one
// process share nothing.
import { ErrorCode } from '@connmix/core';
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Dialect = 'v1.0.2' | 'v1.0.3';

/** A request as the server read it. */
export interface ReceivedRequest {
  /** The tag of the connection it came on. */
  tag: string | undefined;
  method: string;
  params: unknown;
  /** `i` (or `id`, as the docs' own examples write it); null when absent. */
  id: number | null;
  raw: string;
}

/** What the server does with one request, instead of its default answer. */
export type Reply =
  | { result: unknown }
  | { error: { code: number; message: string } }
  /** Never answer (a hung engine). */
  | { silent: true }
  /** Send this frame instead of an answer (a malformed or binary frame, say). */
  | { frame: string | Uint8Array }
  /** Close the socket with a close frame instead of answering. */
  | { close: { code: number; reason?: string } }
  /** Destroy the socket, with no close frame (code 1006 on the client). */
  | { terminate: true };

export interface ServerConnection {
  readonly id: number;
  /** The `tag` query parameter of the URL it connected to: how tests sharing a server tell theirs apart. */
  readonly tag: string | undefined;
  /** Headers of the upgrade request. */
  readonly headers: IncomingHttpHeaders;
  readonly topics: ReadonlySet<string>;
  readonly requests: readonly ReceivedRequest[];
  /** Native ping frames received. */
  readonly pings: number;
  /** Text frames `ping` received (the v1.0.3 heartbeat without native pings). */
  readonly textPings: number;
  send(frame: string | Uint8Array): void;
  /** Pushes one queue event to this connection. */
  push(topic: string, data: unknown, clientId?: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  /** Resolves when the socket is closed, with the code the server saw. */
  readonly closed: Promise<number>;
}

export interface ProtocolServerOptions {
  /** @default 'v1.0.2' */
  dialect?: Dialect | undefined;
  /** Refuse the upgrade with 401 unless these HTTP Basic credentials come with it. */
  auth?: { username: string; password: string } | undefined;
  /** Serve `wss://` with this certificate and key (PEM). `ca` + `requestCert` ask for client certificates. */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean } | undefined;
  /** Answers a request differently from the default engine behaviour; `undefined` keeps the default. */
  script?: ((request: ReceivedRequest, connection: ServerConnection) => Reply | undefined) | undefined;
}

export interface DropOptions {
  /** @default 'terminate' */
  mode?: 'close' | 'terminate' | undefined;
  /** Close code of `close`. @default 1012 */
  code?: number | undefined;
  /** @default 'service restart' */
  reason?: string | undefined;
  tag?: string | undefined;
}

export interface ProtocolServer {
  /** `ws://127.0.0.1:PORT/ws/v1` (or `wss://localhost:PORT/ws/v1`). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: the control endpoints live under `/control/`. */
  readonly httpUrl: string;
  /** Open connections, oldest first. */
  readonly connections: readonly ServerConnection[];
  /** Every request received on any connection, in order. */
  readonly requests: readonly ReceivedRequest[];
  /** Upgrade requests refused (wrong credentials), as their `authorization` header. */
  readonly refused: ReadonlyArray<string | undefined>;
  /** Resolves with the next connection that opens. */
  nextConnection(): Promise<ServerConnection>;
  /** Resolves with a connection consuming `topic` (with this tag, if given), waiting up to `timeoutMs`. */
  consumer(
    topic: string,
    options?: { tag?: string | undefined; timeoutMs?: number | undefined },
  ): Promise<ServerConnection>;
  /** Resolves with an open connection with this tag, waiting up to `timeoutMs` for one. */
  tagged(tag: string, timeoutMs?: number): Promise<ServerConnection>;
  /**
   * Drops open connections (with this tag, if given): `terminate` without a close frame (1006 on
   * the client), `close` with the close frame `code`. Returns how many.
   */
  drop(options?: DropOptions): number;
  close(): Promise<void>;
}

/** The client id used in pushed events when the caller names none: above 2^53, as in production. */
export const DEFAULT_CLIENT_ID = '1627581697287520263';
const ENGINE_PATH = '/ws/v1';

/**
 * Starts a server on 127.0.0.1, port 0. Control endpoints, CORS-open for the browser tests; each
 * takes an optional `tag` to act only on connections made with `?tag=` in their URL:
 * - `POST /control/push` `{ topic, data, clientId?, tag? }`: waits up to 5 s for a consumer of
 *   the topic and pushes one queue event to it; answers `{ delivered: 1 }`.
 * - `POST /control/send` `{ tag, text? , bytes? }`: sends a text or binary frame (bytes: numbers).
 * - `POST /control/drop` `{ mode?, code?, reason?, tag? }`: answers `{ dropped }`.
 * - `GET /control/requests?tag=`: the requests received so far.
 * - `GET /control/connections?tag=`: the open connections, as `{ id, topics, pings, textPings }`.
 */
export async function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const dialect = options.dialect ?? 'v1.0.2';
  const connections: ServerConnectionImpl[] = [];
  const requests: ReceivedRequest[] = [];
  const refused: Array<string | undefined> = [];
  const waitingForConnection: Array<(connection: ServerConnection) => void> = [];
  /** Checks re-run whenever a connection opens or pops a topic. */
  const waiters = new Set<() => void>();
  let nextId = 1;

  const httpServer = options.tls
    ? createHttpsServer({
        cert: options.tls.cert,
        key: options.tls.key,
        ...(options.tls.ca !== undefined && { ca: options.tls.ca }),
        requestCert: options.tls.requestCert ?? false,
        rejectUnauthorized: options.tls.requestCert ?? false,
      })
    : createHttpServer();
  const wss = new WebSocketServer({ noServer: true });

  httpServer.on('upgrade', (request, socket, head) => {
    // Node takes its own 'error' listener off a socket it hands to 'upgrade'. A client that
    // resets a refused socket (nodeTransport terminates it at once) makes it emit ECONNRESET,
    // which would otherwise be thrown as an uncaught exception into whichever test is running.
    // `ws` listens for the errors of the sockets it accepts on its own.
    socket.on('error', () => socket.destroy());
    if (new URL(request.url ?? '/', 'http://x').pathname !== ENGINE_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (options.auth && request.headers.authorization !== basic(options.auth)) {
      refused.push(request.headers.authorization);
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="connmix"\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    const tag = new URL(request.url ?? '/', 'http://x').searchParams.get('tag') ?? undefined;
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request.headers, tag));
  });

  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void control(request, response);
  });

  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const scheme = options.tls ? 'wss' : 'ws';
  const host = options.tls ? 'localhost' : '127.0.0.1';

  function accept(ws: WebSocket, headers: IncomingHttpHeaders, tag: string | undefined): void {
    const connection = new ServerConnectionImpl(nextId++, tag, ws, headers, dialect);
    connections.push(connection);
    ws.on('close', () => {
      const index = connections.indexOf(connection);
      if (index >= 0) connections.splice(index, 1);
    });
    ws.on('ping', () => connection.pingCount++);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === 'ping' && dialect === 'v1.0.3') {
        connection.textPingCount++;
        ws.send('pong');
        return;
      }
      const request = parseRequest(text, connection.tag);
      if (!request) {
        ws.send(JSON.stringify({ E: { c: ErrorCode.InvalidParams, m: 'invalid request' }, i: null }));
        return;
      }
      requests.push(request);
      connection.received.push(request);
      answer(
        connection,
        request,
        options.script?.(request, connection) ?? defaultReply(request, connection, dialect),
      );
      if (request.method === 'queue.pop') wakeWaiters();
    });
    for (const resolve of waitingForConnection.splice(0)) resolve(connection);
    wakeWaiters();
  }

  function wakeWaiters(): void {
    for (const check of [...waiters]) check();
  }

  /** Resolves with the first open connection `find` accepts, now or when one appears. */
  function waitFor(what: string, find: (connection: ServerConnectionImpl) => boolean, timeoutMs: number) {
    return new Promise<ServerConnection>((resolve, reject) => {
      const check = () => {
        // A connection the server is closing still sits in the list until its close completes.
        const found = connections.find((connection) => connection.isOpen && find(connection));
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no connection ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  }

  function answer(connection: ServerConnectionImpl, request: ReceivedRequest, reply: Reply): void {
    if ('silent' in reply) return;
    if ('frame' in reply) return connection.send(reply.frame);
    if ('close' in reply) return connection.close(reply.close.code, reply.close.reason);
    if ('terminate' in reply) return connection.terminate();
    if ('error' in reply) {
      connection.send(JSON.stringify({ E: { c: reply.error.code, m: reply.error.message }, i: request.id }));
    } else {
      connection.send(JSON.stringify({ E: null, r: reply.result, i: request.id }));
    }
  }

  function consumer(
    topic: string,
    { tag, timeoutMs = 5_000 }: { tag?: string | undefined; timeoutMs?: number | undefined } = {},
  ): Promise<ServerConnection> {
    const matches = (connection: ServerConnectionImpl) =>
      connection.topics.has(topic) && (tag === undefined || connection.tag === tag);
    return waitFor(
      `consumed topic ${topic}${tag === undefined ? '' : ` with tag ${tag}`}`,
      matches,
      timeoutMs,
    );
  }

  function tagged(tag: string, timeoutMs = 5_000): Promise<ServerConnection> {
    return waitFor(`with tag ${tag}`, (connection) => connection.tag === tag, timeoutMs);
  }

  function drop({
    mode = 'terminate',
    code = 1012,
    reason = 'service restart',
    tag,
  }: DropOptions = {}): number {
    const chosen = connections.filter((connection) => tag === undefined || connection.tag === tag);
    for (const connection of chosen) {
      if (mode === 'close') connection.close(code, reason);
      else connection.terminate();
    }
    return chosen.length;
  }

  async function control(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
      });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === 'OPTIONS') return reply(204, null);
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const { pathname, searchParams } = new URL(request.url ?? '/', 'http://x');
      const text = (name: string) => (typeof input[name] === 'string' ? input[name] : undefined);
      const tag = text('tag') ?? searchParams.get('tag') ?? undefined;
      switch (`${request.method} ${pathname}`) {
        case 'POST /control/push': {
          const topic = String(input['topic']);
          const connection = await consumer(topic, { tag });
          connection.push(topic, input['data'], text('clientId'));
          return reply(200, { delivered: 1 });
        }
        case 'POST /control/send': {
          const connection = await tagged(String(tag));
          const bytes = input['bytes'];
          connection.send(Array.isArray(bytes) ? new Uint8Array(bytes as number[]) : String(input['text']));
          return reply(200, { sent: 1 });
        }
        case 'POST /control/drop': {
          const mode = input['mode'] === 'close' ? 'close' : 'terminate';
          const code = typeof input['code'] === 'number' ? input['code'] : undefined;
          return reply(200, { dropped: drop({ mode, code, reason: text('reason'), tag }) });
        }
        case 'GET /control/connections':
          return reply(
            200,
            connections
              .filter((connection) => tag === undefined || connection.tag === tag)
              .map(({ id, topics, pings, textPings }) => ({ id, topics: [...topics], pings, textPings })),
          );
        case 'GET /control/requests':
          return reply(
            200,
            requests.filter((received) => tag === undefined || received.tag === tag),
          );
        default:
          return reply(404, { error: `no control endpoint ${request.method} ${request.url}` });
      }
    } catch (error) {
      reply(500, { error: (error as Error).message });
    }
  }

  return {
    url: `${scheme}://${host}:${port}${ENGINE_PATH}`,
    httpUrl: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    get connections() {
      return [...connections];
    },
    requests,
    refused,
    nextConnection: () => new Promise((resolve) => waitingForConnection.push(resolve)),
    consumer,
    tagged,
    drop,
    async close() {
      for (const connection of connections) connection.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

class ServerConnectionImpl implements ServerConnection {
  readonly topicSet = new Set<string>();
  readonly received: ReceivedRequest[] = [];
  pingCount = 0;
  textPingCount = 0;
  readonly closed: Promise<number>;

  constructor(
    readonly id: number,
    readonly tag: string | undefined,
    private readonly ws: WebSocket,
    readonly headers: IncomingHttpHeaders,
    private readonly dialect: Dialect,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  get topics(): ReadonlySet<string> {
    return this.topicSet;
  }

  get requests(): readonly ReceivedRequest[] {
    return this.received;
  }

  get pings(): number {
    return this.pingCount;
  }

  get textPings(): number {
    return this.textPingCount;
  }

  send(frame: string | Uint8Array): void {
    this.ws.send(frame, { binary: typeof frame !== 'string' });
  }

  push(topic: string, data: unknown, clientId = DEFAULT_CLIENT_ID): void {
    const p =
      this.dialect === 'v1.0.3'
        ? { n: 'node-1', c: clientId, t: topic, d: data }
        : { c: clientId, t: topic, d: data };
    this.send(JSON.stringify({ e: 'queue.pop', p, id: null }));
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** What the engine answers by default (PROTOCOL.md section 4). */
function defaultReply(request: ReceivedRequest, connection: ServerConnectionImpl, dialect: Dialect): Reply {
  switch (request.method) {
    case 'server.ping':
      return dialect === 'v1.0.2' ? { result: { s: 'server.pong' } } : unknownMethod(request);
    case 'queue.pop': {
      const topics = Array.isArray(request.params) ? request.params : (request.params as { t?: unknown })?.t;
      if (
        !Array.isArray(topics) ||
        topics.length === 0 ||
        !topics.every((t) => typeof t === 'string' && t !== '')
      ) {
        return { error: { code: ErrorCode.InvalidParams, message: 'invalid params' } };
      }
      for (const topic of topics) connection.topicSet.add(topic);
      return { result: { s: true } };
    }
    case 'queue.unpop':
      connection.topicSet.clear();
      return { result: { s: true } };
    case 'conn.call':
      return { result: { s: true } };
    case 'mesh.send':
      return { result: dialect === 'v1.0.2' ? { s: true, f: 0, t: 1 } : { s: true } };
    case 'mesh.publish':
      return { result: dialect === 'v1.0.2' ? { s: true, f: 0, t: 1 } : { s: 1, f: 0 } };
    default:
      return unknownMethod(request);
  }
}

function unknownMethod(request: ReceivedRequest): Reply {
  return { error: { code: ErrorCode.InvalidParams, message: `unknown method ${request.method}` } };
}

function parseRequest(text: string, tag: string | undefined): ReceivedRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { m, p } = value as Record<string, unknown>;
  const id = (value as Record<string, unknown>)['i'] ?? (value as Record<string, unknown>)['id'];
  if (typeof m !== 'string') return undefined;
  return { tag, method: m, params: p, id: typeof id === 'number' ? id : null, raw: text };
}

function basic(auth: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}
