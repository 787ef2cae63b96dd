import type { ErrorCode } from './errorCode.ts';

/** Longest part of a frame kept on a `ProtocolError` (frames can be megabytes). */
export const MAX_FRAME_EXCERPT = 512;

/**
 * Replaces the credentials of every URL in `text` (`ws://user:pass@host` → `ws://***@host`): up
 * to the last `@` of the authority, so a password holding `@`, `:`, `%` or quotes goes whole;
 * then, where an `@` follows a `/`, `?` or `#` (credentials that were not percent-encoded), up to
 * that `@`. Hiding a little too much is the price of never showing a password.
 */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#]*|[^\s<>]*)@/gi, '$1***@');
}

export interface ConnmixErrorOptions {
  cause?: unknown;
}

/**
 * Marks every SDK error. A registered symbol is the same in every copy of the package loaded in
 * one process or bundle, where `instanceof` fails; a name alone would also match the platform's
 * own `AbortError` and `TimeoutError` (a `DOMException`) or anyone's class of that name.
 */
const BRAND = Symbol.for('@connmix/core.ConnmixError');

/** Base class of every error the SDK throws: check with `isConnmixError(error)` or `instanceof ConnmixError`. */
export class ConnmixError extends Error {
  override name: string = 'ConnmixError';

  constructor(message: string, options: ConnmixErrorOptions = {}) {
    // Messages never carry credentials, whoever builds them.
    super(redactUrl(message), options);
  }
}

// The fields of the classes below are `declare`d: each constructor assigns them, and a class field
// would first define each one as `undefined`, which costs every bundle its name once more.

/** The engine answered a request with an error (`E`). */
export class ServerError extends ConnmixError {
  override name = 'ServerError' as const;
  declare readonly code: ErrorCode;
  declare readonly method: string;
  declare readonly serverMessage: string;

  constructor(args: { code: number; method: string; serverMessage: string }, options?: ConnmixErrorOptions) {
    super(`${args.method} failed with code ${args.code}: ${args.serverMessage || '(no message)'}`, options);
    this.code = args.code;
    this.method = args.method;
    this.serverMessage = args.serverMessage;
  }
}

/** A request got no answer within its deadline. */
export class TimeoutError extends ConnmixError {
  override name = 'TimeoutError' as const;
  declare readonly timeoutMs: number;

  constructor(args: { what: string; timeoutMs: number }, options?: ConnmixErrorOptions) {
    super(`${args.what} got no answer within ${args.timeoutMs} ms`, options);
    this.timeoutMs = args.timeoutMs;
  }
}

/** The connection closed while a request was in flight, or the client was closed. */
export class ConnectionClosedError extends ConnmixError {
  override name = 'ConnectionClosedError' as const;
  declare readonly code: number;
  declare readonly reason: string;

  constructor(args: { message: string; code: number; reason: string }, options?: ConnmixErrorOptions) {
    super(args.message, options);
    this.code = args.code;
    this.reason = args.reason;
  }
}

/** One problem found in an argument, with where it was found. */
export interface ValidationIssue {
  path: ReadonlyArray<string | number>;
  message: string;
}

/** Bad input caught before anything was sent. */
export class ValidationError extends ConnmixError {
  override name = 'ValidationError' as const;
  declare readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: readonly ValidationIssue[], options?: ConnmixErrorOptions) {
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`invalid ${what}${where}: ${first?.message ?? 'rejected'}${more}`, options);
    this.issues = issues;
  }
}

/** The server sent a frame that is not what the protocol allows. */
export class ProtocolError extends ConnmixError {
  override name = 'ProtocolError' as const;
  /** The offending frame, truncated to a few hundred characters. */
  declare readonly frame: string;

  constructor(problem: string, frame: unknown, options?: ConnmixErrorOptions) {
    const excerpt = excerptOf(frame);
    super(`${problem}; frame: ${excerpt}`, options);
    this.frame = excerpt;
  }
}

/** The caller aborted the call through its `signal`. */
export class AbortError extends ConnmixError {
  override name = 'AbortError' as const;

  constructor(what: string, options?: ConnmixErrorOptions) {
    super(`${what} was aborted`, options);
  }
}

/** The error a call rejects with when its signal fires; the signal's reason is the cause. */
export function abortErrorFor(what: string, signal: { readonly reason?: unknown }): AbortError {
  return new AbortError(what, { cause: signal.reason });
}

function excerptOf(frame: unknown): string {
  const text =
    typeof frame === 'string'
      ? frame
      : frame instanceof Uint8Array
        ? `<binary frame of ${frame.byteLength} bytes>`
        : describeValue(frame);
  return text.length > MAX_FRAME_EXCERPT
    ? `${text.slice(0, MAX_FRAME_EXCERPT)}… (${text.length} chars)`
    : text;
}

/** A printable form of any value, even one whose `toString` is broken. */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

Object.defineProperty(ConnmixError.prototype, BRAND, { value: true });

/**
 * True for any error thrown by the SDK, also one made by another copy of the package (where
 * `instanceof` does not hold), and for nothing else: not for an error that merely has the name.
 */
export function isConnmixError(error: unknown): error is ConnmixError {
  if (typeof error !== 'object' || error === null) return false;
  try {
    return (error as { [BRAND]?: unknown })[BRAND] === true;
  } catch {
    // A proxy or a getter that throws is no SDK error.
    return false;
  }
}
