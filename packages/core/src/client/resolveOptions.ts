import { dialectIssue } from '../codec/dialects.ts';
import { isPlainObject } from '../grammar/values.ts';
import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import { isAbortSignalLike, type AbortSignalLike } from '../runtime/abort.ts';
import { isAbsoluteUrl } from '../runtime/url.ts';
import {
  CLIENT_DEFAULTS,
  type ClientOptions,
  type ResolvedCallOptions,
  type ResolvedClientOptions,
} from './options.ts';

// Every options object is checked whole before anything starts: each check below records its
// problem in `issues` and returns the value to carry on with, so one `ValidationError` lists every
// problem of the object, not only the first.

/** Checks every option up front and fills in the defaults; throws `ValidationError` listing each problem. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  objectOrThrow('client options', options, 'createClient takes an options object');
  const issues: ValidationIssue[] = [];
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
  const requestTimeoutMs = duration(issues, options.requestTimeoutMs, CLIENT_DEFAULTS.requestTimeoutMs, [
    'requestTimeoutMs',
  ]);
  const connectTimeoutMs = duration(issues, options.connectTimeoutMs, CLIENT_DEFAULTS.connectTimeoutMs, [
    'connectTimeoutMs',
  ]);
  const heartbeat = section(issues, options.heartbeat, 'heartbeat');
  const reconnect = section(issues, options.reconnect, 'reconnect');
  if (reconnect && reconnect.maxDelayMs < reconnect.minDelayMs) {
    issues.push({
      path: ['reconnect', 'maxDelayMs'],
      message: 'reconnect.maxDelayMs cannot be below minDelayMs',
    });
  }
  const highWaterMark = messageCount(issues, options.highWaterMark ?? CLIENT_DEFAULTS.highWaterMark);
  throwIfAny('client options', issues);
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
  objectOrThrow('call options', options, 'call options are an object { signal, timeoutMs }');
  // A key it does not know is refused, as `consume()` and `messages()` refuse theirs: a misspelt
  // `timeoutMS` would otherwise leave the call on the default deadline without a word.
  const issues: ValidationIssue[] = [];
  const signal = knownKeysAndSignal(issues, 'a call', options, CALL_OPTION_KEYS);
  const timeoutMs = duration(issues, options.timeoutMs, defaultTimeoutMs, ['timeoutMs']);
  throwIfAny('call options', issues);
  return { timeoutMs, signal };
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
  if (options !== undefined) objectOrThrow(`${what} options`, options, `${what} takes an options object`);
  const given = options ?? {};
  const issues: ValidationIssue[] = [];
  const known = takesTopic ? MESSAGES_OPTION_KEYS : CONSUME_OPTION_KEYS;
  const signal = knownKeysAndSignal(issues, what, given, known);
  const { topic } = given;
  if (topic !== undefined && (typeof topic !== 'string' || topic === '')) {
    issues.push({ path: ['topic'], message: 'topic is a non-empty string' });
  }
  // Absent means the default; `null` is a wrong count, as any other non-number.
  const highWaterMark = messageCount(
    issues,
    given.highWaterMark === undefined ? defaultHighWaterMark : given.highWaterMark,
  );
  throwIfAny(`${what} options`, issues);
  return { topic: topic as string | undefined, highWaterMark, signal };
}

const CALL_OPTION_KEYS: readonly string[] = ['signal', 'timeoutMs'];
const CONSUME_OPTION_KEYS: readonly string[] = ['highWaterMark', 'signal'];
const MESSAGES_OPTION_KEYS: readonly string[] = ['topic', 'highWaterMark', 'signal'];

function objectOrThrow(
  what: string,
  value: unknown,
  message: string,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw new ValidationError(what, [{ path: [], message }]);
}

function throwIfAny(what: string, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(what, issues);
}

/** The keys `what` does not take, then a `signal` that is not one: what every options object shares. */
function knownKeysAndSignal(
  issues: ValidationIssue[],
  what: string,
  options: Record<string, unknown>,
  known: readonly string[],
): AbortSignalLike | undefined {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      issues.push({ path: [key], message: `${what} takes no option ${key} (it takes ${known.join(', ')})` });
    }
  }
  const { signal } = options;
  if (signal !== undefined && !isAbortSignalLike(signal)) {
    issues.push({ path: ['signal'], message: 'signal is an AbortSignal' });
  }
  return signal as AbortSignalLike | undefined;
}

/** A number of milliseconds, or `fallback` when absent; zero only where it means "no wait". */
function duration<F extends number | undefined>(
  issues: ValidationIssue[],
  value: unknown,
  fallback: F,
  path: string[],
  zeroAllowed = false,
): number | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) {
    issues.push({
      path,
      message: `${path.join('.')} is a ${zeroAllowed ? 'non-negative' : 'positive'} number of ms`,
    });
    return fallback;
  }
  return value;
}

/** `heartbeat` or `reconnect`: an object of durations (each defaulted), or `false` for none. */
function section<K extends 'heartbeat' | 'reconnect'>(
  issues: ValidationIssue[],
  value: unknown,
  name: K,
): ResolvedClientOptions[K] {
  const defaults: Record<string, number> = CLIENT_DEFAULTS[name];
  if (value === false) return false;
  if (value !== undefined && !isPlainObject(value)) {
    issues.push({ path: [name], message: `${name} is an options object or false` });
  }
  const given = isPlainObject(value) ? value : {};
  const resolved: Record<string, number> = {};
  for (const key of Object.keys(defaults)) {
    // Only a reconnect wait may be zero (retry at once); a zero heartbeat would spin.
    resolved[key] = duration(issues, given[key], defaults[key]!, [name, key], name === 'reconnect');
  }
  return resolved as unknown as ResolvedClientOptions[K];
}

/** A message count: the client's default and each consumer's own. */
function messageCount(issues: ValidationIssue[], value: unknown): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
    issues.push({
      path: ['highWaterMark'],
      message: 'highWaterMark is a positive integer (a message count)',
    });
  }
  return value as number;
}
