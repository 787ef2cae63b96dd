import { startDevMesh, type DevMesh, type DevMeshOptions, type Entry } from '@connmix/devmesh';
import { startBots, type Bots } from './bots.ts';
import { startChatWorker, type ChatWorker } from './chatWorker.ts';
import { chatEntry } from './entry.ts';
import { startWebServer, type WebServer } from './webServer.ts';

export interface ChatAppOptions {
  /** Engines in the dev mesh. @default 2 */
  engines?: number | undefined;
  /** Simulated users that keep talking. @default 2 */
  bots?: number | undefined;
  /** The web server's port (the next free one if busy; 0: any). @default 5173 */
  port?: number | undefined;
  /** The engines' idle limit for end users (the engine's is 60 s). @default 60000 */
  idleTimeoutMs?: number | undefined;
  /** The entry hooks the engines run. @default chatEntry */
  entry?: Entry | undefined;
  /** Where the worker and the bots say what they do. */
  log?: ((line: string) => void) | undefined;
  /** Vite's cache of pre-bundled dependencies (one per app running side by side). */
  cacheDir?: string | undefined;
  /** Extra dev mesh options (tests). */
  mesh?: Omit<DevMeshOptions, 'engines' | 'entry' | 'protocol'> | undefined;
}

export interface ChatApp {
  readonly mesh: DevMesh;
  readonly worker: ChatWorker;
  readonly web: WebServer;
  readonly bots: Bots;
  /** Stops everything it started, in reverse order; safe to call twice. */
  close(): Promise<void>;
}

/** The whole example: a dev mesh, the worker, the web server (chat page and dashboard) and bots. */
export async function startChatApp(options: ChatAppOptions = {}): Promise<ChatApp> {
  const { engines = 2, bots: botCount = 2, port = 5173, idleTimeoutMs = 60_000, log = () => {} } = options;
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const mesh = await startDevMesh({
      ...options.mesh,
      engines,
      entry: options.entry ?? chatEntry,
      protocol: { idleTimeoutMs },
    });
    cleanups.push(() => mesh.close());
    const worker = await startChatWorker({ center: mesh.center.url, log });
    cleanups.push(() => worker.close());
    const web = await startWebServer({
      engines: mesh.engines.map(({ node, apiUrl, protocolUrl }) => ({ node, apiUrl, protocolUrl })),
      worker,
      idleTimeoutMs,
      port,
      cacheDir: options.cacheDir,
    });
    cleanups.push(() => web.close());
    const bots = startBots({
      protocolUrls: mesh.engines.map((engine) => engine.protocolUrl),
      count: botCount,
      keepaliveMs: Math.max(100, Math.floor(idleTimeoutMs / 3)),
      log,
    });
    cleanups.push(() => bots.stop());
    let closing: Promise<void> | undefined;
    return { mesh, worker, web, bots, close: () => (closing ??= closeAll()) };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
