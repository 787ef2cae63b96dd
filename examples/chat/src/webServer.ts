import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer, defaultClientConditions } from 'vite';
import type { AnnouncementReport, ChatWorker } from './chatWorker.ts';
import { ROOMS } from './protocol.ts';

/** One engine as the pages see it. */
export interface PageEngine {
  node: string;
  /** Engine API, for the dashboard (`@connmix/browser`). */
  apiUrl: string;
  /** End-user socket, for the chat page. */
  protocolUrl: string;
}

/** What both pages fetch first (`GET /api/config`). */
export interface PageConfig {
  engines: PageEngine[];
  rooms: readonly string[];
  /** How often the chat page sends its keepalive: well inside the engine's idle limit. */
  keepaliveMs: number;
}

export interface WebServer {
  /** The chat page for end users. */
  readonly chatUrl: string;
  /** The live dashboard. */
  readonly dashboardUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface WebServerOptions {
  engines: readonly PageEngine[];
  worker: ChatWorker;
  /** The engines' idle limit for end users; the chat page pings at a third of it. */
  idleTimeoutMs: number;
  host?: string | undefined;
  /** Tried first; the next free one is taken if it is busy, and 0 lets the OS choose. @default 5173 */
  port?: number | undefined;
  /** Where Vite keeps its pre-bundled dependencies; servers running side by side need their own. @default node_modules/.vite */
  cacheDir?: string | undefined;
}

/** Live state pushes: on every change, at most this often, and at least once a second for the chart. */
const STATE_THROTTLE_MS = 250;
const STATE_TICK_MS = 1_000;

/**
 * Serves the chat page (`/`) and the dashboard (`/dashboard/`) through Vite, the SDK packages
 * resolved to their TypeScript source, plus the worker's small JSON API the pages read.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { host = '127.0.0.1', port = 5173 } = options;
  const api = chatApi(options);
  // Middleware mode: Vite then leaves the process's signals and stdin alone (its own server
  // exits the process on SIGTERM, before anyone else has cleaned up).
  const vite = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../web', import.meta.url)),
    appType: 'mpa',
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    logLevel: 'warn',
    clearScreen: false,
    resolve: { conditions: ['@connmix/source', ...defaultClientConditions] },
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  const http = createHttpServer((req, res) => {
    if (!api.handle(req, res)) vite.middlewares(req, res);
  });
  let listening: number;
  try {
    listening = await listen(http, host, port);
  } catch (error) {
    api.close();
    await vite.close();
    throw error;
  }
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${listening}/`;
  return {
    chatUrl: base,
    dashboardUrl: `${base}dashboard/`,
    port: listening,
    async close() {
      api.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await Promise.all([closed, vite.close()]);
    },
  };
}

/** Listens on `port`, or on the next free one if it is taken (0: the OS chooses); resolves with the port. */
async function listen(http: Server, host: string, port: number): Promise<number> {
  for (let candidate = port; ; candidate++) {
    const outcome = await new Promise<number | Error>((resolve) => {
      const onError = (error: Error) => resolve(error);
      http.once('error', onError);
      http.listen(candidate, host, () => {
        http.off('error', onError);
        resolve((http.address() as AddressInfo).port);
      });
    });
    if (typeof outcome === 'number') return outcome;
    const busy = (outcome as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!busy || port === 0 || candidate >= port + 20) throw outcome;
  }
}

function chatApi({ engines, worker, idleTimeoutMs }: WebServerOptions): {
  /** Answers a request to `/api/...`; false for any other. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
} {
  const config: PageConfig = {
    engines: [...engines],
    rooms: ROOMS,
    keepaliveMs: Math.max(200, Math.floor(idleTimeoutMs / 3)),
  };
  const streams = new Set<ServerResponse>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  const push = () => {
    pending = undefined;
    const frame = `data: ${JSON.stringify(worker.snapshot())}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const unsubscribe = worker.onChange(() => {
    pending ??= setTimeout(push, STATE_THROTTLE_MS);
  });
  const tick = setInterval(push, STATE_TICK_MS);

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    'GET /api/config': (_req, res) => sendJson(res, 200, config),
    'GET /api/state': (req, res) => {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(`data: ${JSON.stringify(worker.snapshot())}\n\n`);
      streams.add(res);
      req.once('close', () => streams.delete(res));
    },
    'POST /api/announcements': (req, res) => {
      readJson(req).then(
        (body) => {
          const report = announcementReport(body);
          if (!report) return sendJson(res, 400, { error: 'expected { room, text, success, total }' });
          worker.announced(report);
          sendJson(res, 204, undefined);
        },
        () => sendJson(res, 400, { error: 'expected a JSON body' }),
      );
    },
  };

  return {
    handle(req, res) {
      const route = routes[`${req.method} ${(req.url ?? '').split('?')[0]}`];
      route?.(req, res);
      return route !== undefined;
    },
    close() {
      unsubscribe();
      clearInterval(tick);
      clearTimeout(pending);
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.once('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.once('error', reject);
  });
}

function announcementReport(body: unknown): AnnouncementReport | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { room, text, success, total } = body as Record<string, unknown>;
  if (typeof room !== 'string' || typeof text !== 'string') return undefined;
  if (!Number.isSafeInteger(success) || !Number.isSafeInteger(total)) return undefined;
  return { room, text: text.slice(0, 500), success: success as number, total: total as number };
}
