import { ErrorCode } from '@connmix/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { authorize, type AccessOptions } from './access.ts';
import { runRequest } from './apiMethods.ts';
import { parseRestBody } from './apiRequest.ts';
import { ApiConnection, type ApiConnectionHost } from './apiConnection.ts';
import { Outbox } from './faults.ts';
import { readBody, refuseUpgrade, sendJson, TrackedServer } from './httpServer.ts';
import type { EngineStats } from './stats.ts';

/** What the API server needs from its engine. */
export interface ApiServerHost extends ApiConnectionHost {
  readonly access: AccessOptions | undefined;
  stats(): EngineStats;
  /** The Prometheus text of `GET /metrics`. */
  metrics(): string;
}

/** Limits of an API server. */
export interface ApiLimits {
  idleTimeoutMs: number;
  maxPayloadBytes: number;
}

/** The path of the API WebSocket. */
export const API_PATH = '/ws/v1';
const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="connmix"' };

/**
 * An engine's API server: the WebSocket at `/ws/v1` for workers and, in v1.0.3, `POST /v1/mesh/send`,
 * `POST /v1/mesh/publish` and `GET /metrics`. HTTP Basic is checked on the upgrade itself, so a
 * refused worker gets a plain 401 and never a WebSocket.
 */
export class ApiServer {
  readonly http: TrackedServer;
  readonly #connections = new Set<ApiConnection>();
  /** Sockets that reached a frozen engine: accepted, never answered. */
  readonly #held = new Set<Duplex>();
  readonly #wss: WebSocketServer;

  readonly #host: ApiServerHost;
  readonly #limits: ApiLimits;

  constructor(port: number, host: ApiServerHost, limits: ApiLimits) {
    this.#host = host;
    this.#limits = limits;
    this.http = new TrackedServer(
      port,
      (req, res) => this.#onRequest(req, res),
      (req, socket, head) => this.#onUpgrade(req, socket, head),
    );
    this.#wss = new WebSocketServer({
      noServer: true,
      autoPong: false, // pongs go through the faults (delay, freeze)
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: limits.maxPayloadBytes,
    });
  }

  get socketCount(): number {
    return this.#connections.size;
  }

  get consumerCount(): number {
    return [...this.#connections].filter((connection) => this.#host.queue.topicsOf(connection).length > 0)
      .length;
  }

  async start(bindHost: string): Promise<void> {
    await this.http.listen(bindHost);
  }

  /** Closes the server and every socket; resolves when all of them are closed. */
  async stop(): Promise<void> {
    const closing = [...this.#connections].map((connection) => connection.closed);
    for (const connection of this.#connections) connection.ws.terminate();
    for (const socket of this.#held) socket.destroy();
    await this.http.close();
    await Promise.all(closing);
  }

  /** Freezes every open API socket (half-open from now on). */
  freeze(): void {
    for (const connection of this.#connections) connection.freeze();
  }

  /** Drops the sockets left half-open by a freeze; new connections are served again. */
  unfreeze(): void {
    for (const connection of this.#connections) if (connection.halfOpen) connection.ws.terminate();
    for (const socket of this.#held) socket.destroy();
  }

  /** Drops every API socket: abruptly (no close frame) unless a close code is given. */
  drop(close?: { code: number; reason?: string | undefined }): number {
    const count = this.#connections.size;
    for (const connection of this.#connections) {
      if (close === undefined) connection.ws.terminate();
      else connection.ws.close(close.code, close.reason);
    }
    return count;
  }

  /** Sends a frame as is to every API socket. */
  inject(frame: string | Uint8Array): number {
    let count = 0;
    for (const connection of this.#connections) {
      if (connection.halfOpen) continue;
      connection.send(frame);
      count++;
    }
    return count;
  }

  #hold(socket: Duplex): void {
    this.#held.add(socket);
    socket.once('close', () => this.#held.delete(socket));
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    if (this.#host.faults.frozen) return this.#hold(socket);
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== API_PATH) {
      return refuseUpgrade(socket, 404, `the API WebSocket is at ${API_PATH}`);
    }
    const decision = authorize(this.#host.access, request);
    if (!decision.ok) {
      return refuseUpgrade(
        socket,
        decision.status,
        decision.message,
        decision.status === 401 ? BASIC_CHALLENGE : {},
      );
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new ApiConnection(ws, this.#host, decision.principal, this.#limits.idleTimeoutMs);
      this.#connections.add(connection);
      ws.once('close', () => this.#connections.delete(connection));
    });
  }

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    if (this.#host.faults.frozen) return this.#hold(request.socket);
    const decision = authorize(this.#host.access, request);
    if (!decision.ok) {
      const headers = decision.status === 401 ? BASIC_CHALLENGE : {};
      return sendJson(response, decision.status, { error: decision.message }, headers);
    }
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const v103 = this.#host.dialect === 'v1.0.3';
    if (pathname === API_PATH)
      return sendJson(response, 426, { error: `connect a WebSocket to ${API_PATH}` });
    if (v103 && pathname === '/metrics' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void response.end(this.#host.metrics());
    }
    const method =
      pathname === '/v1/mesh/send' ? 'mesh.send' : pathname === '/v1/mesh/publish' ? 'mesh.publish' : null;
    if (!v103 || method === null) return sendJson(response, 404, { error: `no route ${pathname}` });
    if (request.method !== 'POST')
      return sendJson(response, 405, { error: `${pathname} takes POST` }, { allow: 'POST' });
    const principal = decision.principal;
    readBody(request, this.#limits.maxPayloadBytes).then(
      (body) => {
        this.#host.counters.restRequests++;
        const parsed = parseRestBody(method, body, this.#host.dialect);
        const outcome =
          typeof parsed === 'string'
            ? { ok: false as const, code: ErrorCode.InvalidParams, message: `invalid params: ${parsed}` }
            : runRequest(this.#host, { principal }, parsed);
        const answer = outcome.ok
          ? { E: null, r: outcome.result }
          : { E: { c: outcome.code, m: outcome.message } };
        const outbox = new Outbox(this.#host.faults);
        response.once('close', () => outbox.dispose());
        if (this.#host.faults.frozen) return this.#hold(request.socket);
        outbox.enqueue(() => sendJson(response, 200, answer));
      },
      (error: Error) =>
        sendJson(response, 413, { E: { c: ErrorCode.InvalidParams, m: `invalid params: ${error.message}` } }),
    );
  }
}
