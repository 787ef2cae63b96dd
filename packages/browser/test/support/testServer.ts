// The browser side of the protocol test server: its URL and its control endpoints. Every test
// tags its connections (`?tag=`) so that tests sharing the server never touch each other's sockets.
import { inject } from 'vitest';

/** A URL of the test server whose connections only this test acts on. */
export function taggedUrl(name: string): { url: string; tag: string } {
  const tag = `${name}-${crypto.randomUUID()}`;
  return { url: `${inject('serverUrl')}?tag=${encodeURIComponent(tag)}`, tag };
}

async function control<T>(path: string, body?: Record<string, unknown>): Promise<T> {
  const url = new URL(path, `http://${new URL(inject('serverUrl')).host}`);
  // No custom headers: a simple CORS request, no preflight.
  const response = await fetch(url, body ? { method: 'POST', body: JSON.stringify(body) } : undefined);
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`control ${path} failed: ${JSON.stringify(answer)}`);
  return answer;
}

/** Pushes one queue event to the (next) consumer of `topic` with this tag. */
export const push = (tag: string, topic: string, data: unknown, clientId?: string) =>
  control<{ delivered: number }>('/control/push', { tag, topic, data, ...(clientId && { clientId }) });

/** Sends a raw frame to the connection with this tag. */
export const sendFrame = (tag: string, frame: { text: string } | { bytes: number[] }) =>
  control<{ sent: number }>('/control/send', { tag, ...frame });

/** Drops the connections with this tag; `close` sends a close frame with `code`. */
export const drop = (
  tag: string,
  options: { mode?: 'close' | 'terminate'; code?: number; reason?: string } = {},
) => control<{ dropped: number }>('/control/drop', { tag, ...options });

/** The requests the server received on connections with this tag. */
export const receivedRequests = (tag: string) =>
  control<Array<{ method: string; params: unknown; id: number | null }>>(
    `/control/requests?tag=${encodeURIComponent(tag)}`,
  );
