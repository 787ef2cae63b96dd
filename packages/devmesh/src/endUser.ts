import type { IncomingHttpHeaders } from 'node:http';
import { CHANNEL_PATTERN, isPlainObject } from '@connmix/core/internal';
import type { Delivery } from './apiReply.ts';
import type { Entry, EntryConnection, EntryEvent, EntryHookName, EntryMessage } from './entry.ts';
import { IdleTimer } from './idleTimer.ts';
import type { SendScenario } from './sendDurations.ts';
import type { EngineCounters } from './stats.ts';

/** What a connection needs from its engine. */
export interface EndUserHost {
  readonly node: string;
  readonly entry: Entry;
  readonly counters: EngineCounters;
  push(clientId: string, topic: string, data: unknown): Promise<void>;
  meshSend(clientId: string, payload: string | Uint8Array): boolean;
  meshPublish(channel: string, payload: string | Uint8Array): Delivery;
  /** How long a send to an end user took, for the send-duration summary. */
  recordSend(scenario: SendScenario, seconds: number): void;
}

/**
 * The socket under a connection: a WebSocket (frames) or, for an entry with
 * `protocol: 'socket'`, a TCP socket (bytes).
 */
export interface EndUserLink {
  readonly isOpen: boolean;
  /** A frame (WebSocket: a string as text, bytes as binary) or bytes as they are (TCP). */
  write(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drops the socket at once, without a close frame. */
  terminate(): void;
}

/** The handshake facts of a connection. */
export interface EndUserInit {
  clientId: string;
  headers: IncomingHttpHeaders;
  path: string;
  remoteAddress: string;
  idleTimeoutMs: number;
}

/** What a `waitContextValue` rejects with when its connection closes first. */
class ConnectionGoneError extends Error {
  override name = 'ConnectionGoneError' as const;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * One end user on a protocol server: its snowflake id, context map and channels, and the entry
 * hooks run for it one at a time, in order (a hook waiting in `waitContextValue` holds the rest).
 */
export class EndUserConnection implements EntryConnection {
  readonly clientId: string;
  readonly headers: Readonly<IncomingHttpHeaders>;
  readonly path: string;
  readonly remoteAddress: string;
  readonly closed: Promise<void>;
  #ctx: Record<string, unknown> = {};
  readonly #subs = new Set<string>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #chain: Promise<void> = Promise.resolve();
  #open = true;
  #abandoned = false;
  readonly #idle: IdleTimer;

  #markClosed: () => void = () => undefined;

  /** The link's events come in through `received`, `receivedBytes`, `touched` and `ended`. */
  readonly #link: EndUserLink;
  readonly #host: EndUserHost;

  constructor(link: EndUserLink, init: EndUserInit, host: EndUserHost) {
    this.#link = link;
    this.#host = host;
    this.clientId = init.clientId;
    this.headers = init.headers;
    this.path = init.path;
    this.remoteAddress = init.remoteAddress;
    this.#idle = new IdleTimer(init.idleTimeoutMs, () => {
      host.counters.idleTimeouts++;
      link.terminate();
    });
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
    this.#run('onHandshake', (event) => host.entry.onHandshake?.(event));
  }

  /** A frame from the end user (WebSocket). */
  received(message: EntryMessage): void {
    this.#host.counters.protocolFramesIn++;
    this.#idle.touch();
    this.#run('onMessage', (event) => this.#host.entry.onMessage?.({ ...event, message }));
  }

  /** Bytes from the end user (`protocol: 'socket'`). */
  receivedBytes(data: Uint8Array): void {
    this.#host.counters.protocolFramesIn++;
    this.#idle.touch();
    this.#run('onData', (event) => this.#host.entry.onData?.({ ...event, data }));
  }

  /** The end user showed signs of life (a ping or pong). */
  touched(): void {
    this.#idle.touch();
  }

  /** The socket closed. */
  ended(code: number, reason: string): void {
    this.#onClose(code, reason);
    this.#markClosed();
  }

  get node(): string {
    return this.#host.node;
  }

  context(): Record<string, unknown> {
    return { ...this.#ctx };
  }

  contextValue(key: string): unknown {
    return this.#ctx[key];
  }

  setContext(context: Record<string, unknown>): void {
    if (!isPlainObject(context)) throw new TypeError('setContext takes an object');
    this.#ctx = {};
    for (const [key, value] of Object.entries(context)) this.setContextValue(key, value);
  }

  setContextValue(key: string, value: unknown): void {
    // A JSON null is Lua's nil: setting it removes the key.
    if (value === null || value === undefined) {
      delete this.#ctx[key];
      return;
    }
    this.#ctx[key] = value;
    const waiting = this.#waiters.get(key);
    this.#waiters.delete(key);
    for (const waiter of waiting ?? []) {
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      waiter.resolve(value);
    }
  }

  waitContextValue(key: string, options: { timeoutMs?: number | undefined } = {}): Promise<unknown> {
    if (this.#ctx[key] !== undefined) return Promise.resolve(this.#ctx[key]);
    if (!this.#open) return Promise.reject(new ConnectionGoneError(`connection ${this.clientId} is closed`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      const set = this.#waiters.get(key) ?? new Set<Waiter>();
      this.#waiters.set(key, set);
      set.add(waiter);
      if (options.timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          set.delete(waiter);
          reject(new Error(`context value ${key} was not set within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
    });
  }

  channels(): string[] {
    return [...this.#subs];
  }

  isSubscribed(channel: string): boolean {
    return this.#subs.has(channel);
  }

  subscribe(...channels: string[]): void {
    for (const channel of channels) {
      if (typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel)) {
        throw new TypeError(
          `a channel name is a non-empty string without spaces, got ${JSON.stringify(channel)}`,
        );
      }
      this.#subs.add(channel);
    }
  }

  unsubscribe(...channels: string[]): void {
    for (const channel of channels) this.#subs.delete(channel);
  }

  send(data: string | Uint8Array): void {
    if (!this.#link.isOpen) {
      this.#host.counters.sendErrors++;
      return;
    }
    const started = performance.now();
    this.#host.counters.protocolFramesOut++;
    this.#link.write(data);
    this.#host.recordSend('local', (performance.now() - started) / 1000);
  }

  /**
   * Sends what a worker sent (mesh.send, mesh.publish) if the socket is open; false when it is not,
   * or when a `protocol: 'socket'` entry's `encode` gives nothing to send (a failed delivery).
   */
  deliver(data: string | Uint8Array, scenario: SendScenario = 'local'): boolean {
    if (!this.#link.isOpen) {
      this.#host.counters.sendErrors++;
      return false;
    }
    const started = performance.now();
    let out: string | Uint8Array | undefined = data;
    const { entry } = this.#host;
    if (entry.protocol === 'socket') {
      try {
        out = entry.encode?.({ ...this.#event(), data }) ?? undefined;
      } catch (error) {
        this.#host.counters.sendErrors++;
        this.#reportError('encode', error);
        return false;
      }
      if (out === undefined || out.length === 0) {
        this.#host.counters.sendErrors++;
        return false;
      }
    }
    this.#host.counters.protocolFramesOut++;
    this.#link.write(out);
    this.#host.recordSend(scenario, (performance.now() - started) / 1000);
    return true;
  }

  close(code = 1000, reason = ''): void {
    this.#link.close(code, reason);
  }

  /** Drops the connection without a close frame and without `onClose`: its engine died. */
  abandon(): void {
    this.#abandoned = true;
    this.#link.terminate();
  }

  #event(): EntryEvent {
    return {
      conn: this,
      push: (topic, data) => this.#host.push(this.clientId, topic, data),
      meshSend: (clientId, data) => this.#host.meshSend(clientId, data),
      meshPublish: (channel, data) => this.#host.meshPublish(channel, data),
    };
  }

  #reportError(hook: EntryHookName, error: unknown): void {
    this.#host.counters.hookErrors++;
    try {
      this.#host.entry.onError?.({ ...this.#event(), hook, error });
    } catch {
      // an error reporter that throws has nowhere left to report to
    }
  }

  /** Queues a hook behind the ones before it; after close only `onClose` still runs. */
  #run(hook: EntryHookName, call: (event: EntryEvent) => void | Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#abandoned || (!this.#open && hook !== 'onClose')) return;
      const event = this.#event();
      try {
        await call(event);
      } catch (error) {
        if (error instanceof ConnectionGoneError && hook !== 'onClose') return;
        this.#reportError(hook, error);
        if (this.#open) this.#link.close(1011, `entry ${hook} failed`);
      }
    });
  }

  #onClose(code: number, reason: string): void {
    this.#open = false;
    this.#idle.stop();
    const gone = new ConnectionGoneError(`connection ${this.clientId} closed`);
    for (const set of this.#waiters.values()) {
      for (const waiter of set) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.reject(gone);
      }
    }
    this.#waiters.clear();
    this.#run('onClose', (event) => this.#host.entry.onClose?.({ ...event, code, reason }));
  }
}
