import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '@connmix/core';
import { authorize, type AccessOptions } from './access.ts';
import { nodeIdJson } from './apiReply.ts';
import { centerMetrics, type RegistryFigures } from './engineMetrics.ts';
import { sendJson, TrackedServer, urlHost } from './httpServer.ts';

/** One engine as the center lists it. */
export interface CenterNode {
  /** The node id. */
  id: string;
  /** `HOST:PORT` of its API server. */
  apiServer: string;
}

/** What the center is built from. */
export interface CenterConfig {
  port: number;
  bindHost: string;
  dialect: Dialect;
  access: AccessOptions | undefined;
  /** The engines running now. */
  listNodes(): CenterNode[];
  /** What `/metrics` counts (v1.0.3). */
  registry(): RegistryFigures;
}

/**
 * The center's HTTP API: `GET /version`, `GET /v1/nodes` (the engines running now) and, in
 * v1.0.3, `GET /metrics` with the registry's documented metrics. Access control applies to all
 * of it. The
 * registry port engines use to join (6786) has no counterpart: engines join in process.
 */
export interface DevCenter {
  /** `http://HOST:PORT`, the base URL of the center's HTTP API. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The engines the center lists now. */
  nodes(): CenterNode[];
  /** Starts serving again on the same port (after `stop()`). */
  start(): Promise<void>;
  /** Stops serving, as if the center's process died; the engines keep running. */
  stop(): Promise<void>;
}

/** The `DevCenter` a mesh builds from its engines. */
export class Center implements DevCenter {
  readonly #http: TrackedServer;
  readonly #bindHost: string;
  readonly #access: AccessOptions | undefined;
  readonly #listNodes: () => CenterNode[];

  readonly #config: CenterConfig;

  constructor(config: CenterConfig) {
    this.#config = config;
    this.#bindHost = config.bindHost;
    this.#access = config.access;
    this.#listNodes = () => config.listNodes();
    this.#http = new TrackedServer(config.port, (req, res) => this.#onRequest(req, res));
  }

  /** `http://HOST:PORT`, the base URL of the center's HTTP API. */
  get url(): string {
    return `http://${urlHost(this.#bindHost, this.#http.port)}`;
  }

  get port(): number {
    return this.#http.port;
  }

  /** The engines the center lists now. */
  nodes(): CenterNode[] {
    return this.#listNodes();
  }

  async start(): Promise<void> {
    await this.#http.listen(this.#bindHost);
  }

  async stop(): Promise<void> {
    await this.#http.close();
  }

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    const decision = authorize(this.#access, request);
    if (!decision.ok) {
      const headers: Record<string, string> =
        decision.status === 401 ? { 'www-authenticate': 'Basic realm="connmix"' } : {};
      return sendJson(response, decision.status, { error: decision.message }, headers);
    }
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET')
      return sendJson(response, 405, { error: 'the center API takes GET' }, { allow: 'GET' });
    if (pathname === '/version') return sendJson(response, 200, { apis: ['v1'] });
    if (pathname === '/metrics' && this.#config.dialect === 'v1.0.3') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return void response.end(centerMetrics(this.#config.registry()));
    }
    if (pathname === '/v1/nodes') {
      const nodes = this.#listNodes().map((node) => ({
        id: JSON.parse(nodeIdJson(node.id)) as unknown,
        api_server: node.apiServer,
      }));
      return sendJson(response, 200, { nodes });
    }
    return sendJson(response, 404, { error: `no route ${pathname}` });
  }
}
