import { dialectIssue } from '../codec/dialects.ts';
import { isPlainObject } from '../codec/rules.ts';
import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { Dialect } from '../schema/primitives.ts';
import type { TransportFactory } from '../transport/transport.ts';
import { isAbortSignalLike, type AbortSignalLike } from '../runtime/abort.ts';
import { isAbsoluteUrl } from '../runtime/url.ts';

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

/** Checks every option up front and fills in the defaults; throws `ValidationError` listing each problem. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(options)) {
    throw new ValidationError('client options', [
      { path: [], message: 'createClient takes an options object' },
    ]);
  }
  const { url, transport, dialect = CLIENT_DEFAULTS.dialect } = options;
  if (!isAbsoluteUrl(url)) {
    issues.push({
      path: ['url'],
      message: 'url is the WebSocket URL of an engine API, e.g. ws://127.0.0.1:6789/ws/v1',
    });
  }
  if (typeof transport !== 'function') {
    issues.push({
      path: ['transport'],
      message: 'transport is a TransportFactory: pass browserTransport() or nodeTransport()',
    });
  }
  const dialectProblem = dialectIssue(dialect);
  if (dialectProblem) issues.push(dialectProblem);
  const duration = (value: unknown, fallback: number, path: string[], zeroAllowed = false): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) {
      issues.push({
        path,
        message: `${path.join('.')} is a ${zeroAllowed ? 'non-negative' : 'positive'} number of ms`,
      });
      return fallback;
    }
    return value;
  };
  const section = <T extends object>(value: unknown, defaults: T, name: string): T | false => {
    if (value === false) return false;
    if (value === undefined) return { ...defaults };
    if (!isPlainObject(value)) {
      issues.push({ path: [name], message: `${name} is an options object or false` });
      return { ...defaults };
    }
    const resolved: Record<string, number> = {};
    for (const [key, fallback] of Object.entries(defaults) as Array<[string, number]>) {
      resolved[key] = duration(value[key], fallback, [name, key], name === 'reconnect');
    }
    return resolved as T;
  };
  const requestTimeoutMs = duration(options.requestTimeoutMs, CLIENT_DEFAULTS.requestTimeoutMs, [
    'requestTimeoutMs',
  ]);
  const connectTimeoutMs = duration(options.connectTimeoutMs, CLIENT_DEFAULTS.connectTimeoutMs, [
    'connectTimeoutMs',
  ]);
  const heartbeat = section<ResolvedHeartbeat>(options.heartbeat, CLIENT_DEFAULTS.heartbeat, 'heartbeat');
  const reconnect = section<ResolvedReconnect>(options.reconnect, CLIENT_DEFAULTS.reconnect, 'reconnect');
  if (reconnect && reconnect.maxDelayMs < reconnect.minDelayMs) {
    issues.push({
      path: ['reconnect', 'maxDelayMs'],
      message: 'reconnect.maxDelayMs cannot be below minDelayMs',
    });
  }
  const highWaterMark = options.highWaterMark ?? CLIENT_DEFAULTS.highWaterMark;
  checkHighWaterMark(highWaterMark, issues);
  if (issues.length > 0) throw new ValidationError('client options', issues);
  return { url, transport, dialect, requestTimeoutMs, connectTimeoutMs, heartbeat, reconnect, highWaterMark };
}

/** Checks the options of one call; `defaultTimeoutMs` undefined means no deadline (used by `connect`). */
export function resolveCallOptions(options: unknown, defaultTimeoutMs: number): ResolvedCallOptions;
export function resolveCallOptions(
  options: unknown,
  defaultTimeoutMs: number | undefined,
): { timeoutMs: number | undefined; signal: AbortSignalLike | undefined };
export function resolveCallOptions(options: unknown, defaultTimeoutMs: number | undefined) {
  if (options === undefined) return { timeoutMs: defaultTimeoutMs, signal: undefined };
  if (!isPlainObject(options)) {
    throw new ValidationError('call options', [
      { path: [], message: 'call options are an object { signal, timeoutMs }' },
    ]);
  }
  const { signal, timeoutMs } = options;
  // A key it does not know is refused, as `consume()` and `messages()` refuse theirs: a misspelt
  // `timeoutMS` would otherwise leave the call on the default deadline without a word.
  const issues = keyAndSignalIssues('a call', options, CALL_OPTION_KEYS, signal);
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))
  ) {
    issues.push({ path: ['timeoutMs'], message: 'timeoutMs is a positive number of ms' });
  }
  if (issues.length > 0) throw new ValidationError('call options', issues);
  return {
    timeoutMs: (timeoutMs as number | undefined) ?? defaultTimeoutMs,
    signal: signal as AbortSignalLike | undefined,
  };
}

/**
 * Checks the options of `consume()` and `messages()` (which alone takes `topic`). A key it does
 * not know is refused: a misspelt `highWatermark`, or a `topic` given to `consume()`, would
 * otherwise be ignored without a word and the consumer would not do what its caller wrote.
 */
export function resolveStreamOptions(
  what: string,
  options: unknown,
  defaultHighWaterMark: number,
  takesTopic: boolean,
): { topic: string | undefined; highWaterMark: number; signal: AbortSignalLike | undefined } {
  if (options !== undefined && !isPlainObject(options)) {
    throw new ValidationError(`${what} options`, [{ path: [], message: `${what} takes an options object` }]);
  }
  const { topic, highWaterMark = defaultHighWaterMark, signal } = options ?? {};
  const known = takesTopic ? MESSAGES_OPTION_KEYS : CONSUME_OPTION_KEYS;
  const issues = keyAndSignalIssues(what, options ?? {}, known, signal);
  if (topic !== undefined && (typeof topic !== 'string' || topic === '')) {
    issues.push({ path: ['topic'], message: 'topic is a non-empty string' });
  }
  checkHighWaterMark(highWaterMark, issues);
  if (issues.length > 0) throw new ValidationError(`${what} options`, issues);
  return {
    topic: topic as string | undefined,
    highWaterMark: highWaterMark as number,
    signal: signal as AbortSignalLike | undefined,
  };
}

/** The keys `what` does not take, and a `signal` that is not one: the checks every options object shares. */
function keyAndSignalIssues(
  what: string,
  options: object,
  known: readonly string[],
  signal: unknown,
): ValidationIssue[] {
  const issues: ValidationIssue[] = Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      path: [key],
      message: `${what} takes no option ${key} (it takes ${known.join(', ')})`,
    }));
  if (signal !== undefined && !isAbortSignalLike(signal)) {
    issues.push({ path: ['signal'], message: 'signal is an AbortSignal' });
  }
  return issues;
}

const CALL_OPTION_KEYS: readonly string[] = ['signal', 'timeoutMs'];
const CONSUME_OPTION_KEYS: readonly string[] = ['highWaterMark', 'signal'];
const MESSAGES_OPTION_KEYS: readonly string[] = ['topic', 'highWaterMark', 'signal'];

/** A message count: the client's default and each consumer's own. */
function checkHighWaterMark(value: unknown, issues: ValidationIssue[]): void {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
    issues.push({
      path: ['highWaterMark'],
      message: 'highWaterMark is a positive integer (a message count)',
    });
  }
}
