import type { IncomingHttpHeaders } from 'node:http';
import { CHANNEL_PATTERN, isPlainObject } from '@connmix/core/internal';
import type { WebSocket } from 'ws';
import { toBuffer } from './rawData.ts';
import type { Entry, EntryConnection, EntryEvent, EntryHookName, EntryMessage } from './entry.ts';
import { IdleTimer } from './idleTimer.ts';
import type { EngineCounters } from './stats.ts';

/** What a connection needs from its engine. */
export interface EndUserHost {
  readonly node: string;
  readonly entry: Entry;
  readonly counters: EngineCounters;
  push(clientId: string, topic: string, data: unknown): Promise<void>;
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
  private ctx: Record<string, unknown> = {};
  private readonly subs = new Set<string>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private chain: Promise<void> = Promise.resolve();
  private open = true;
  private abandoned = false;
  private readonly idle: IdleTimer;

  constructor(
    private readonly ws: WebSocket,
    init: EndUserInit,
    private readonly host: EndUserHost,
  ) {
    this.clientId = init.clientId;
    this.headers = init.headers;
    this.path = init.path;
    this.remoteAddress = init.remoteAddress;
    this.idle = new IdleTimer(init.idleTimeoutMs, () => {
      host.counters.idleTimeouts++;
      ws.terminate();
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => {
      host.counters.protocolFramesIn++;
      this.idle.touch();
      const buffer = toBuffer(data);
      const message: EntryMessage = isBinary
        ? { type: 'binary', data: new Uint8Array(buffer) }
        : { type: 'text', data: buffer.toString('utf8') };
      this.run('onMessage', (event) => host.entry.onMessage?.({ ...event, message }));
    });
    ws.on('ping', () => this.idle.touch());
    ws.on('pong', () => this.idle.touch());
    ws.on('error', () => undefined); // e.g. a frame over maxPayload: ws closes with 1009
    ws.once('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
    this.run('onHandshake', (event) => host.entry.onHandshake?.(event));
  }

  get node(): string {
    return this.host.node;
  }

  context(): Record<string, unknown> {
    return { ...this.ctx };
  }

  contextValue(key: string): unknown {
    return this.ctx[key];
  }

  setContext(context: Record<string, unknown>): void {
    if (!isPlainObject(context)) throw new TypeError('setContext takes an object');
    this.ctx = {};
    for (const [key, value] of Object.entries(context)) this.setContextValue(key, value);
  }

  setContextValue(key: string, value: unknown): void {
    // A JSON null is Lua's nil: setting it removes the key.
    if (value === null || value === undefined) {
      delete this.ctx[key];
      return;
    }
    this.ctx[key] = value;
    const waiting = this.waiters.get(key);
    this.waiters.delete(key);
    for (const waiter of waiting ?? []) {
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      waiter.resolve(value);
    }
  }

  waitContextValue(key: string, options: { timeoutMs?: number | undefined } = {}): Promise<unknown> {
    if (this.ctx[key] !== undefined) return Promise.resolve(this.ctx[key]);
    if (!this.open) return Promise.reject(new ConnectionGoneError(`connection ${this.clientId} is closed`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      const set = this.waiters.get(key) ?? new Set<Waiter>();
      this.waiters.set(key, set);
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
    return [...this.subs];
  }

  isSubscribed(channel: string): boolean {
    return this.subs.has(channel);
  }

  subscribe(...channels: string[]): void {
    for (const channel of channels) {
      if (typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel)) {
        throw new TypeError(
          `a channel name is a non-empty string without spaces, got ${JSON.stringify(channel)}`,
        );
      }
      this.subs.add(channel);
    }
  }

  unsubscribe(...channels: string[]): void {
    for (const channel of channels) this.subs.delete(channel);
  }

  send(data: string | Uint8Array): void {
    this.deliver(data);
  }

  /** Sends a frame if the socket is open; false when it is not (a failed delivery). */
  deliver(data: string | Uint8Array): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    this.host.counters.protocolFramesOut++;
    this.ws.send(data, { binary: typeof data !== 'string' });
    return true;
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }

  /** Drops the connection without a close frame and without `onClose`: its engine died. */
  abandon(): void {
    this.abandoned = true;
    this.ws.terminate();
  }

  private event(): EntryEvent {
    return { conn: this, push: (topic, data) => this.host.push(this.clientId, topic, data) };
  }

  /** Queues a hook behind the ones before it; after close only `onClose` still runs. */
  private run(hook: EntryHookName, call: (event: EntryEvent) => void | Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.abandoned || (!this.open && hook !== 'onClose')) return;
      const event = this.event();
      try {
        await call(event);
      } catch (error) {
        if (error instanceof ConnectionGoneError && hook !== 'onClose') return;
        this.host.counters.hookErrors++;
        try {
          this.host.entry.onError?.({ ...event, hook, error });
        } catch {
          // an error reporter that throws has nowhere left to report to
        }
        if (this.open) this.ws.close(1011, `entry ${hook} failed`);
      }
    });
  }

  private onClose(code: number, reason: string): void {
    this.open = false;
    this.idle.stop();
    const gone = new ConnectionGoneError(`connection ${this.clientId} closed`);
    for (const set of this.waiters.values()) {
      for (const waiter of set) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.reject(gone);
      }
    }
    this.waiters.clear();
    this.run('onClose', (event) => this.host.entry.onClose?.({ ...event, code, reason }));
  }
}
