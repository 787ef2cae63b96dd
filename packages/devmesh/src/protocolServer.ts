import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EndUserConnection, EndUserHost } from './endUser.ts';
import { tcpEndUser, webSocketEndUser } from './endUserLinks.ts';
import { TrackedListener, TrackedServer } from './httpServer.ts';

/** What the protocol server needs from its engine. */
export interface ProtocolServerHost extends EndUserHost {
  nextClientId(): string;
}

/** Limits of a protocol server. */
export interface ProtocolLimits {
  idleTimeoutMs: number;
  maxPayloadBytes: number;
}

/**
 * An engine's protocol server: the WebSocket end users (browsers, apps) connect to, on any path;
 * or, for an entry with `protocol: 'socket'`, a TCP port whose bytes go to the entry as they are.
 * Each connection gets a snowflake id and runs through the entry hooks.
 */
export class ProtocolServer {
  readonly http: TrackedListener;
  /** Open connections by client id. */
  readonly connections = new Map<string, EndUserConnection>();
  readonly #wss: WebSocketServer;

  readonly #host: ProtocolServerHost;
  readonly #limits: ProtocolLimits;

  constructor(port: number, host: ProtocolServerHost, limits: ProtocolLimits) {
    this.#host = host;
    this.#limits = limits;
    this.http =
      host.entry.protocol === 'socket'
        ? new TrackedListener(port, () => createServer((socket) => this.#onSocket(socket)))
        : new TrackedServer(port, answerPlainHttp, (req, socket, head) => this.#onUpgrade(req, socket, head));
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: limits.maxPayloadBytes,
    });
  }

  async start(bindHost: string): Promise<void> {
    await this.http.listen(bindHost);
  }

  /** Drops every end user (no close frame, as when an engine dies) and closes the server. */
  async stop(): Promise<void> {
    const closing = [...this.connections.values()].map((conn) => conn.closed);
    for (const conn of this.connections.values()) conn.abandon();
    await this.http.close();
    await Promise.all(closing);
  }

  #track(conn: EndUserConnection): void {
    this.#host.counters.connectionsOpened++;
    this.connections.set(conn.clientId, conn);
    void conn.closed.then(() => this.connections.delete(conn.clientId));
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const init = {
        clientId: this.#host.nextClientId(),
        headers: request.headers,
        path: request.url ?? '/',
        remoteAddress: request.socket.remoteAddress ?? '',
        idleTimeoutMs: this.#limits.idleTimeoutMs,
      };
      this.#track(webSocketEndUser(ws, init, this.#host));
    });
  }

  #onSocket(socket: Socket): void {
    const init = {
      clientId: this.#host.nextClientId(),
      remoteAddress: socket.remoteAddress ?? '',
      idleTimeoutMs: this.#limits.idleTimeoutMs,
    };
    this.#track(tcpEndUser(socket, init, this.#host));
  }
}

function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
  response.end('connmix dev protocol server: connect a WebSocket\n');
}
