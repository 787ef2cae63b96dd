import type { Dialect } from '../schema/primitives.ts';
import type { TransportFactory } from '../transport/transport.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';

/** Keep-alive probes. The engine drops an API socket that stays idle for 60 s. */
export interface HeartbeatOptions {
  /** Time between two probes; keep it well under the engine's 60 s idle limit. @default 20_000 */
  intervalMs?: number | undefined;
  /** A probe unanswered this long means the socket is dead: it is closed and replaced. @default 10_000 */
  timeoutMs?: number | undefined;
}

/** Reconnection after a lost socket: exponential backoff with full jitter. */
export interface ReconnectOptions {
  /** Shortest wait before an attempt. @default 500 */
  minDelayMs?: number | undefined;
  /** Longest wait before an attempt. @default 20_000 */
  maxDelayMs?: number | undefined;
  /** A connection that stayed open this long counts as healthy: the next wait starts over from `minDelayMs`. @default 5_000 */
  resetAfterMs?: number | undefined;
}

export interface ClientOptions {
  /** WebSocket URL of one engine's API server, e.g. `ws://127.0.0.1:6789/ws/v1`. */
  url: string;
  /** Opens the sockets: `browserTransport()`, `nodeTransport()` or your own `TransportFactory`. */
  transport: TransportFactory;
  /** Wire dialect of the engine. @default 'v1.0.2' */
  dialect?: Dialect | undefined;
  /** Deadline of each call, time spent waiting for a connection included. @default 10_000 */
  requestTimeoutMs?: number | undefined;
  /** Deadline for one socket to open; a socket that takes longer is abandoned and retried. @default 10_000 */
  connectTimeoutMs?: number | undefined;
  /** Keep-alive probes, or `false` for none. @default { intervalMs: 20_000, timeoutMs: 10_000 } */
  heartbeat?: HeartbeatOptions | false | undefined;
  /** Reconnection, or `false` to close the client when its socket is lost. @default { minDelayMs: 500, maxDelayMs: 20_000, resetAfterMs: 5_000 } */
  reconnect?: ReconnectOptions | false | undefined;
  /**
   * Messages a `consume()` subscription or `messages()` iterator buffers before it reports a `slow`
   * consumer; also the count of messages held with no consumer before `unconsumed` is reported. @default 1_000
   */
  highWaterMark?: number | undefined;
}

/** Options every call takes last. */
export interface CallOptions {
  /** Aborting it rejects the call with `AbortError`, whether it was sent yet or not. */
  signal?: AbortSignalLike | undefined;
  /** Deadline of this call, time spent waiting for a connection included. @default the client's `requestTimeoutMs` */
  timeoutMs?: number | undefined;
}

/** The default of every client option, in one place. */
export const CLIENT_DEFAULTS = {
  dialect: 'v1.0.2',
  requestTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  heartbeat: { intervalMs: 20_000, timeoutMs: 10_000 },
  reconnect: { minDelayMs: 500, maxDelayMs: 20_000, resetAfterMs: 5_000 },
  highWaterMark: 1_000,
} as const;

export interface ResolvedClientOptions {
  url: string;
  transport: TransportFactory;
  dialect: Dialect;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  heartbeat: ResolvedHeartbeat | false;
  reconnect: ResolvedReconnect | false;
  highWaterMark: number;
}

export interface ResolvedHeartbeat {
  intervalMs: number;
  timeoutMs: number;
}

export interface ResolvedReconnect {
  minDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
}

export interface ResolvedCallOptions {
  timeoutMs: number;
  signal: AbortSignalLike | undefined;
}
