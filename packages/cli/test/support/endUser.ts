import { WebSocket } from 'ws';

/** A raw end user on a protocol server, as a browser would be, with its frames in order. */
export interface EndUser {
  ws: WebSocket;
  /** The next frame: text as a string, binary as bytes. */
  next(): Promise<string | Uint8Array>;
}

const sockets: WebSocket[] = [];

export function openEndUser(url: string): Promise<EndUser> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: Array<string | Uint8Array> = [];
  const waiting: Array<(frame: string | Uint8Array) => void> = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? new Uint8Array(data) : data.toString('utf8');
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const next = () =>
    frames.length > 0
      ? Promise.resolve(frames.shift() as string | Uint8Array)
      : new Promise<string | Uint8Array>((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

/** Terminates every end user opened so far and waits until each is closed (for `afterEach`). */
export async function closeEndUsers(): Promise<void> {
  await Promise.all(
    sockets.splice(0).map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
}
