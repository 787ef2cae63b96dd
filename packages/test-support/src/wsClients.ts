// Raw `ws` clients for the tests: the mesh is checked against the protocol on its own, not
// through the SDK.
import { createServer } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';

// A deadline, not a delay: waits end as soon as the frame or condition is there. It is generous
// because a loaded machine can take seconds to close sockets.
const WAIT_MS = 8000;

/** Frames received on a socket, read in order with a deadline. */
export class FrameQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(item: T) => void> = [];

  put(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  get size(): number {
    return this.items.length;
  }

  next(timeoutMs = WAIT_MS): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (value: T) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves true if nothing arrives within `ms` (for "answers nothing" checks). */
  async silentFor(ms: number): Promise<boolean> {
    try {
      await this.next(ms);
      return false;
    } catch {
      return true;
    }
  }
}

export interface Client {
  ws: WebSocket;
  /** Text frames as strings, binary frames as Buffers. */
  frames: FrameQueue<string | Buffer>;
  closed: Promise<{ code: number; reason: string }>;
  pongs: FrameQueue<true>;
  /** Sends a JSON (or raw) frame. */
  send(frame: unknown): void;
  /** The next frame, parsed as JSON. */
  json(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `{m, p, i}` and returns the parsed answer carrying that id (events in between are kept). */
  call(m: string, p: unknown, i?: number): Promise<Record<string, unknown>>;
  /** The next queue.pop event. */
  event(timeoutMs?: number): Promise<{ e: string; p: Record<string, unknown>; id: null }>;
  close(): Promise<void>;
}

const open = new Set<WebSocket>();
let nextId = 1;

/** Connects a raw client; it is closed by `closeAllClients`. */
export async function connect(url: string, options: ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(url, options);
  open.add(ws);
  const frames = new FrameQueue<string | Buffer>();
  const pongs = new FrameQueue<true>();
  const pending: Record<string, unknown>[] = [];
  const events: Array<Record<string, unknown>> = [];
  ws.on('message', (data: Buffer, isBinary) => frames.put(isBinary ? data : data.toString('utf8')));
  ws.on('pong', () => pongs.put(true));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      open.delete(ws);
      resolve({ code, reason: reason.toString('utf8') });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const json = async (timeoutMs?: number) => {
    const frame = await frames.next(timeoutMs);
    return JSON.parse(String(frame)) as Record<string, unknown>;
  };
  const client: Client = {
    ws,
    frames,
    closed,
    pongs,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    json,
    async call(m, p, i = nextId++) {
      client.send({ m, p, i });
      const kept = pending.findIndex((f) => f['i'] === i);
      if (kept >= 0) return pending.splice(kept, 1)[0] as Record<string, unknown>;
      for (;;) {
        const frame = await json();
        if (frame['i'] === i) return frame;
        if (typeof frame['e'] === 'string') events.push(frame);
        else pending.push(frame);
      }
    },
    async event(timeoutMs) {
      const kept = events.shift();
      if (kept) return kept as never;
      for (;;) {
        const frame = await json(timeoutMs);
        if (typeof frame['e'] === 'string') return frame as never;
        pending.push(frame);
      }
    },
    async close() {
      if (ws.readyState === ws.CLOSED) return;
      ws.terminate();
      await closed;
    },
  };
  return client;
}

/** Terminates every client a test opened and waits until each is closed. */
export async function closeAllClients(): Promise<void> {
  const closing = [...open].map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.terminate();
      }),
  );
  await Promise.all(closing);
}

/** The HTTP status a WebSocket upgrade is refused with. */
export function upgradeStatus(url: string, options: ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
  });
}

/** A port the OS says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function basic(username: string, password: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } };
}

/** Waits until `check` holds (polling every 10 ms), for state the mesh updates asynchronously. */
export async function until(check: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Connects an end user to an engine and learns its client id from the engine. */
export async function joinUser(
  engine: { protocolUrl: string; clients(): Array<{ clientId: string }> },
  path = '',
): Promise<Client & { clientId: string }> {
  const before = new Set(engine.clients().map((c) => c.clientId));
  const user = await connect(engine.protocolUrl + path);
  await until(() => engine.clients().some((c) => !before.has(c.clientId)));
  const clientId = engine.clients().find((c) => !before.has(c.clientId))?.clientId as string;
  return Object.assign(user, { clientId });
}
