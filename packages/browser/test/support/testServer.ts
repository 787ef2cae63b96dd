// The browser side of the protocol test servers: a URL of one's own and the control endpoints.
// Every test tags its connections (`?tag=`), so tests sharing a server never touch each other's sockets.
import { inject } from 'vitest';

export interface ServerRequest {
  method: string;
  params: unknown;
  id: number | null;
}

export interface ServerConnectionInfo {
  id: number;
  topics: string[];
  pings: number;
  textPings: number;
}

export interface TestServer {
  /** The engine URL with this test's tag. */
  url: string;
  tag: string;
  /** Pushes one queue event to this test's consumer of `topic`, waiting on the server for one to pop it. */
  push(topic: string, data: unknown, clientId?: string): Promise<{ delivered: number }>;
  /** Sends a raw frame to this test's connection. */
  sendFrame(frame: { text: string } | { bytes: number[] }): Promise<{ sent: number }>;
  /** Drops this test's connections; `close` sends a close frame with `code`. */
  drop(options?: {
    mode?: 'close' | 'terminate';
    code?: number;
    reason?: string;
  }): Promise<{ dropped: number }>;
  /** The requests the server received on this test's connections. */
  requests(): Promise<ServerRequest[]>;
  /** This test's open connections. */
  connections(): Promise<ServerConnectionInfo[]>;
}

/** A tagged view of the v1.0.2 (default) or v1.0.3 test server. */
export function testServer(name: string, dialect: 'v1.0.2' | 'v1.0.3' = 'v1.0.2'): TestServer {
  const engineUrl = inject(dialect === 'v1.0.2' ? 'serverUrl' : 'serverUrlV103');
  const tag = `${name}-${crypto.randomUUID()}`;
  const query = `tag=${encodeURIComponent(tag)}`;
  const controlBase = `http://${new URL(engineUrl).host}`;

  async function control<T>(path: string, body?: Record<string, unknown>): Promise<T> {
    // No custom headers: a simple CORS request, no preflight.
    const init = body ? { method: 'POST', body: JSON.stringify({ tag, ...body }) } : undefined;
    const response = await fetch(`${controlBase}${path}`, init);
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`control ${path} failed: ${JSON.stringify(answer)}`);
    return answer;
  }

  return {
    url: `${engineUrl}?${query}`,
    tag,
    push: (topic, data, clientId) => control('/control/push', { topic, data, ...(clientId && { clientId }) }),
    sendFrame: (frame) => control('/control/send', frame),
    drop: (options = {}) => control('/control/drop', options),
    requests: () => control(`/control/requests?${query}`),
    connections: () => control(`/control/connections?${query}`),
  };
}
