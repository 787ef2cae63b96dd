import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * A server that knows every socket it accepted (upgraded ones too), so `close()` leaves nothing
 * open, and that can listen again on the port it had. `create` makes a fresh server per listen.
 */
export class TrackedListener {
  #server: NetServer | undefined;
  readonly #sockets = new Set<Duplex>();
  /** The bound port: the one asked for, or the one the OS chose on the first listen. */
  port: number;

  readonly #create: () => NetServer;

  constructor(port: number, create: () => NetServer) {
    this.#create = create;
    this.port = port;
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  async listen(host: string): Promise<void> {
    if (this.#server !== undefined) return;
    const server = this.#create();
    server.on('connection', (socket: Duplex) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: this.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
    this.#server = server;
  }

  /** Stops listening and destroys every socket; resolves once all of them are closed. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

/** A tracked `node:http` server, with an upgrade handler for WebSockets. */
export class TrackedServer extends TrackedListener {
  constructor(
    port: number,
    onRequest: (request: IncomingMessage, response: ServerResponse) => void,
    onUpgrade?: UpgradeHandler,
  ) {
    super(port, () => {
      const server = createServer(onRequest);
      if (onUpgrade !== undefined) server.on('upgrade', onUpgrade);
      return server;
    });
  }
}

/** Writes a JSON answer and ends the response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Answers an upgrade request on its raw socket with a plain HTTP error. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const lines = [
    `HTTP/1.1 ${status} ${statusText(status)}`,
    'connection: close',
    'content-type: text/plain',
    `content-length: ${Buffer.byteLength(message)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${message}`);
}

/** Reads a request body up to `limit` bytes; rejects beyond it. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is drained and dropped, so the caller can still answer 413.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > limit) reject(new RangeError(`the body is larger than ${limit} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/** `ws://HOST:PORT` for a bind address: a wildcard bind is reached on loopback, IPv6 in brackets. */
export function urlHost(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function statusText(status: number): string {
  switch (status) {
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    default:
      return 'Error';
  }
}
