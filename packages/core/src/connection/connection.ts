import { ConnectionClosedError, TimeoutError, ValidationError } from '../errors/errors.ts';
import type { Transport, TransportCloseInfo, TransportFactory } from '../transport/transport.ts';
import { now, Timer } from '../runtime/timers.ts';

/** Close codes the client uses when it abandons a socket itself (4000-4999 are free for applications). */
export const CLOSE_CODES = {
  /** `close()` was called. */
  normal: 1000,
  /** The socket died without a close frame, or the transport could not be created. */
  abnormal: 1006,
  /** A heartbeat probe went unanswered. */
  heartbeatTimeout: 4000,
  /** The socket did not open within `connectTimeoutMs`. */
  connectTimeout: 4001,
  /** The transport refused to send a frame. */
  sendFailed: 4002,
} as const;

/** Where an open connection hands what it hears: straight to the client's router, no relay between. */
export interface FrameSink {
  frame(frame: string | Uint8Array): void;
  /** A reply to a native ping frame. */
  pong(): void;
}

export interface ConnectionHandlers {
  open(): void;
  error(error: Error): void;
  /** Called exactly once per connection, whatever ended it; nothing is called after it. */
  closed(info: TransportCloseInfo): void;
}

export interface ConnectionSettings {
  factory: TransportFactory;
  url: string;
  connectTimeoutMs: number;
}

/**
 * One socket, from the attempt to open it to its end. It turns whatever the adapter does (calls
 * made during the factory call, a second `onClose`, events after `close()`) into a clean
 * sequence: at most one `open`, then frames, then exactly one `closed`.
 */
export class Connection {
  readonly #settings: ConnectionSettings;
  readonly #handlers: ConnectionHandlers;
  readonly #sink: FrameSink;
  readonly #connectTimer = new Timer();
  #transport: Transport | undefined;
  #phase: 'new' | 'connecting' | 'open' | 'closed' = 'new';
  #openedAt: number | undefined;

  constructor(settings: ConnectionSettings, handlers: ConnectionHandlers, sink: FrameSink) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#sink = sink;
  }

  get isOpen(): boolean {
    return this.#phase === 'open';
  }

  get isClosed(): boolean {
    return this.#phase === 'closed';
  }

  /** When the socket opened; undefined if it never did. */
  get openedAt(): number | undefined {
    return this.#openedAt;
  }

  get hasNativePing(): boolean {
    return typeof this.#transport?.ping === 'function';
  }

  start(): void {
    if (this.#phase !== 'new') return;
    this.#phase = 'connecting';
    // An adapter may call back while the factory runs (a socket that fails at once); those calls
    // wait until the transport is known, so a handler never sees a half-made connection.
    let deferred: Array<() => void> | undefined = [];
    const guard =
      <A extends unknown[]>(callback: (...args: A) => void) =>
      (...args: A): void => {
        if (deferred) deferred.push(() => callback(...args));
        else if (this.#phase !== 'closed') callback(...args);
      };
    try {
      this.#transport = this.#settings.factory(this.#settings.url, {
        onOpen: guard(() => this.#opened()),
        onMessage: guard((frame: string | Uint8Array) => {
          if (this.#phase === 'open') this.#sink.frame(frame);
        }),
        onClose: guard((info: TransportCloseInfo) => this.#finish(info)),
        onError: guard((error: Error) => this.#handlers.error(error)),
        onPong: guard(() => {
          if (this.#phase === 'open') this.#sink.pong();
        }),
      });
    } catch (cause) {
      deferred = undefined;
      // A factory that throws cannot be helped by retrying: the URL or its settings are wrong.
      const problem = cause instanceof Error ? cause.message : String(cause);
      const message = `the transport factory threw (${problem}); no socket was opened`;
      this.#handlers.error(new ValidationError('transport', [{ path: ['transport'], message }], { cause }));
      this.#finish({ code: CLOSE_CODES.abnormal, reason: 'the transport could not be created' });
      return;
    }
    const early = deferred;
    deferred = undefined;
    if (!this.isClosed) {
      const { connectTimeoutMs } = this.#settings;
      this.#connectTimer.start(connectTimeoutMs, () => {
        this.#handlers.error(new TimeoutError({ what: 'opening the socket', timeoutMs: connectTimeoutMs }));
        this.kill(CLOSE_CODES.connectTimeout, 'connect timeout');
      });
    }
    for (const callback of early) {
      if (!this.isClosed) callback();
    }
  }

  /** Sends one text frame; throws if the socket is not open. */
  send(frame: string): void {
    if (this.#phase !== 'open' || !this.#transport) {
      throw new ConnectionClosedError({
        message: 'the socket is not open',
        code: CLOSE_CODES.abnormal,
        reason: 'not open',
      });
    }
    this.#transport.send(frame);
  }

  /** Sends a native ping frame; only when `hasNativePing`. */
  ping(): void {
    if (this.#phase !== 'open') return;
    try {
      this.#transport?.ping?.();
    } catch {
      // A ping that cannot go out is a probe left unanswered: the heartbeat deadline handles it.
    }
  }

  /** Abandons the socket now: reports `closed` at once, without waiting for the close handshake. */
  kill(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    try {
      this.#transport?.close(code, reason);
    } catch {
      // The socket is being abandoned either way; a transport that cannot close has nothing to add.
    }
    this.#finish({ code, reason });
  }

  #opened(): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'open';
    this.#openedAt = now();
    this.#connectTimer.stop();
    this.#handlers.open();
  }

  #finish(info: TransportCloseInfo): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#connectTimer.stop();
    const { code, reason, httpStatus } = info;
    this.#handlers.closed(httpStatus === undefined ? { code, reason } : { code, reason, httpStatus });
  }
}
