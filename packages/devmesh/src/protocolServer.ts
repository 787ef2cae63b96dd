import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { EndUserConnection, type EndUserHost } from './endUser.ts';
import { TrackedServer } from './httpServer.ts';

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
 * An engine's protocol server: the WebSocket end users (browsers, apps) connect to, on any path.
 * Each connection gets a snowflake id and runs through the entry hooks.
 */
export class ProtocolServer {
  readonly http: TrackedServer;
  /** Open connections by client id. */
  readonly connections = new Map<string, EndUserConnection>();
  private readonly wss: WebSocketServer;

  constructor(
    port: number,
    private readonly host: ProtocolServerHost,
    private readonly limits: ProtocolLimits,
  ) {
    this.http = new TrackedServer(port, answerPlainHttp, (req, socket, head) =>
      this.onUpgrade(req, socket, head),
    );
    this.wss = new WebSocketServer({
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

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const clientId = this.host.nextClientId();
      const conn = new EndUserConnection(
        ws,
        {
          clientId,
          headers: request.headers,
          path: request.url ?? '/',
          remoteAddress: request.socket.remoteAddress ?? '',
          idleTimeoutMs: this.limits.idleTimeoutMs,
        },
        this.host,
      );
      this.host.counters.connectionsOpened++;
      this.connections.set(clientId, conn);
      ws.once('close', () => this.connections.delete(clientId));
    });
  }
}

function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
  response.end('connmix dev protocol server: connect a WebSocket\n');
}
