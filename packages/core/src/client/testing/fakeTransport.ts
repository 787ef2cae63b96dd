import type {
  Transport,
  TransportCloseInfo,
  TransportFactory,
  TransportHandlers,
} from '../../transport/transport.ts';

/** One request as the fake engine read it off the wire. */
export interface SentRequest {
  m: string;
  p: unknown;
  i: number;
}

/**
 * The engine side of one fake socket: the test opens it, feeds it frames, drops it, and reads
 * what the client sent. Nothing happens on its own, so every step of a test is explicit.
 */
export class FakeSocket implements Transport {
  readonly url: string;
  /** Every text frame the client sent, in order. */
  readonly sent: string[] = [];
  /** Native ping frames the client sent. */
  pings = 0;
  /** Set when the client closed the socket itself. */
  closedBy: TransportCloseInfo | undefined;
  /** When set, the next `send` throws it (a transport that refuses a frame). */
  sendError: Error | undefined;
  #state: 'connecting' | 'open' | 'closed' = 'connecting';
  readonly #handlers: TransportHandlers;

  constructor(url: string, handlers: TransportHandlers, nativePing: boolean) {
    this.url = url;
    this.#handlers = handlers;
    if (nativePing) {
      this.ping = () => {
        this.pings += 1;
      };
    }
  }

  get state(): 'connecting' | 'open' | 'closed' {
    return this.#state;
  }

  // --- the Transport the client sees ---

  send(frame: string): void {
    if (this.sendError) {
      const error = this.sendError;
      this.sendError = undefined;
      throw error;
    }
    if (this.#state !== 'open') throw new Error(`send on a ${this.#state} socket`);
    this.sent.push(frame);
  }

  close(code = 1000, reason = ''): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.closedBy = { code, reason };
    // A real socket reports its end after the close handshake, never inside close().
    void Promise.resolve().then(() => this.#handlers.onClose({ code, reason }));
  }

  /** Present only with `nativePing` (Node sockets have it, browser sockets do not). */
  ping?: () => void;

  // --- the engine side, driven by the test ---

  open(): void {
    if (this.#state !== 'connecting') throw new Error(`cannot open a ${this.#state} socket`);
    this.#state = 'open';
    this.#handlers.onOpen();
  }

  receive(frame: string | Uint8Array): void {
    if (this.#state !== 'open') throw new Error(`cannot receive on a ${this.#state} socket`);
    this.#handlers.onMessage(frame);
  }

  /** Answers request `id` with the result `r`. */
  reply(id: number, r: unknown): void {
    this.receive(JSON.stringify({ E: null, r, i: id }));
  }

  /** Answers request `id` with an error. */
  replyError(id: number, code: number, message: string): void {
    this.receive(JSON.stringify({ E: { c: code, m: message }, i: id }));
  }

  /** Replies to a native ping frame. */
  pong(): void {
    this.#handlers.onPong?.();
  }

  /** The engine (or the network) ended the socket. */
  drop(code = 1006, reason = ''): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#handlers.onClose({ code, reason });
  }

  /** The socket failed: an error, then the close, as WebSocket reports it. */
  fail(error: Error): void {
    if (this.#state === 'closed') return;
    this.#handlers.onError(error);
    this.drop(1006, '');
  }

  /** The server refused the upgrade with this HTTP status: an error, then the close, as `ws` reports it. */
  refuse(httpStatus: number, error: Error = new Error(`HTTP ${httpStatus}`)): void {
    if (this.#state !== 'connecting') throw new Error(`cannot refuse a ${this.#state} socket`);
    this.#state = 'closed';
    this.#handlers.onError(error);
    this.#handlers.onClose({ code: 1006, reason: '', httpStatus });
  }

  /** The JSON requests sent so far (text pings left out). */
  requests(): SentRequest[] {
    return this.sent.filter((frame) => frame !== 'ping').map((frame) => JSON.parse(frame) as SentRequest);
  }

  /** The last JSON request sent; throws if there is none. */
  lastRequest(): SentRequest {
    const request = this.requests().at(-1);
    if (!request) throw new Error('no request was sent');
    return request;
  }
}

export interface FakeTransportOptions {
  /** Whether sockets have `ping()` (native ping frames, as in Node). @default false */
  nativePing?: boolean | undefined;
}

export interface FakeTransport {
  readonly factory: TransportFactory;
  /** Every socket the client asked for, oldest first. */
  readonly sockets: readonly FakeSocket[];
  /** The newest socket; throws if none was asked for. */
  readonly last: FakeSocket;
  /** When set, the factory throws it instead of returning a socket. */
  factoryError: Error | undefined;
}

/** A `TransportFactory` for tests: records each socket and lets the test play the engine. */
export function createFakeTransport(options: FakeTransportOptions = {}): FakeTransport {
  const sockets: FakeSocket[] = [];
  const fake: FakeTransport = {
    factory: (url, handlers) => {
      if (fake.factoryError) throw fake.factoryError;
      const socket = new FakeSocket(url, handlers, options.nativePing ?? false);
      sockets.push(socket);
      return socket;
    },
    sockets,
    get last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
    factoryError: undefined,
  };
  return fake;
}
