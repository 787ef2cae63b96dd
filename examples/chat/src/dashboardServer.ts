import { fileURLToPath } from 'node:url';
import { createServer, defaultClientConditions } from 'vite';

export interface DashboardServer {
  /** The page, with the engines' API URLs in its query. */
  readonly url: string;
  close(): Promise<void>;
}

export interface DashboardOptions {
  host?: string | undefined;
  /** Tried first; the next free one is taken if it is busy, and 0 lets the OS choose. @default 5173 */
  port?: number | undefined;
}

/** Serves the dashboard page with Vite; the SDK packages resolve to their TypeScript source. */
export async function startDashboard(
  apiUrls: readonly string[],
  { host = '127.0.0.1', port = 5173 }: DashboardOptions = {},
): Promise<DashboardServer> {
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../dashboard', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    resolve: { conditions: ['@connmix/source', ...defaultClientConditions] },
    server: { host, port, strictPort: false },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('the dashboard server did not report its URL');
  return {
    url: `${base}?api=${apiUrls.join(',')}`,
    close: () => server.close(),
  };
}
