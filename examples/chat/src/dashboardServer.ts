import { fileURLToPath } from 'node:url';
import { createServer, defaultClientConditions } from 'vite';

export interface DashboardServer {
  /** The page, with the engines' API URLs in its query. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the dashboard page with Vite; the SDK packages resolve to their TypeScript source. */
export async function startDashboard(
  apiUrls: readonly string[],
  host = '127.0.0.1',
): Promise<DashboardServer> {
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../dashboard', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    resolve: { conditions: ['@connmix/source', ...defaultClientConditions] },
    server: { host, port: 5173, strictPort: false },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0] ?? `http://${host}:5173/`;
  return {
    url: `${base}?api=${apiUrls.join(',')}`,
    close: () => server.close(),
  };
}
