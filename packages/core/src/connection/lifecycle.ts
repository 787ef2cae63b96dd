import { ConnectionClosedError, TimeoutError, ValidationError } from '../errors/errors.ts';
import type { TransportCloseInfo, TransportFactory } from '../transport/transport.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';
import { Backoff, type BackoffPolicy } from './backoff.ts';
import { CLOSE_CODES, Connection, type FrameSink } from './connection.ts';
import type { ClientState, StateChange } from './state.ts';
import { now, Timer } from '../runtime/timers.ts';
import { Waiters } from './waiters.ts';

/** What the lifecycle needs of the client's settings. */
export interface LifecycleSettings {
  transport: TransportFactory;
  url: string;
  connectTimeoutMs: number;
  /** Reconnection, or `false` to close when the socket is lost. */
  reconnect: ReconnectPolicy | false;
}

export interface ReconnectPolicy extends BackoffPolicy {
  /** A connection open this long counts as healthy: the backoff starts over. */
  resetAfterMs: number;
}

/** What the client does at each step of the lifecycle. */
export interface LifecycleHooks {
  /** A socket opened (the state is already `open`): re-pop, flush queued calls, start the heartbeat. */
  opened(connection: Connection): void;
  /** The open socket is gone: calls in flight fail, the heartbeat stops. */
  lost(info: TransportCloseInfo, cause: Error | undefined): void;
  /** The client is closed for good (the state is already `closed`): fail everything still pending. */
  terminated(info: TransportCloseInfo, why: string, cause: Error | undefined): void;
  /** A transport failure worth telling (reported on the client's `error` as `kind: 'transport'`). */
  report(event: { kind: 'transport'; error: Error }): void;
  state(change: StateChange): void;
}

/**
 * The connection state machine: `idle → connecting → open → reconnecting → open … → closed`.
 * It owns the current socket, the reconnect timer and the `connect()` callers; each state change
 * is reported once, after the bookkeeping of the step is done.
 */
export class Lifecycle {
  readonly #options: LifecycleSettings;
  readonly #hooks: LifecycleHooks;
  /** Every socket hands its frames straight to it. */
  readonly #frames: FrameSink;
  readonly #backoff: Backoff | undefined;
  readonly #retryTimer = new Timer();
  readonly #waiters = new Waiters();
  #state: ClientState = 'idle';
  #connection: Connection | undefined;
  /** The last transport error, kept as the cause of the close that usually follows it. */
  #lastError: Error | undefined;
  /** Why the last attempt to open a socket failed: the cause of a `connect()` that times out. */
  #lastFailure: Error | undefined;
  /** Attempts that failed to open since a socket last opened. */
  #failedAttempts = 0;
  /** A refused upgrade was reported in this episode (refusals until a socket opens again). */
  #refusalReported = false;
  /** Settings that cannot work ended the client: a later `connect()` rejects with that, not a generic error. */
  #endedBy: ConnectionClosedError | undefined;

  constructor(options: LifecycleSettings, hooks: LifecycleHooks, frames: FrameSink) {
    this.#options = options;
    this.#hooks = hooks;
    this.#frames = frames;
    this.#backoff = options.reconnect ? new Backoff(options.reconnect) : undefined;
  }

  get state(): ClientState {
    return this.#state;
  }

  /** Resolves once open; rejects on its own deadline or signal, or when the client closes. */
  connect(timeoutMs: number | undefined, signal: AbortSignalLike | undefined): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#state === 'closed') {
      if (this.#endedBy) return Promise.reject(this.#endedBy);
      return Promise.reject(
        new ConnectionClosedError({
          message: 'cannot connect: the client is closed; create a new client',
          code: CLOSE_CODES.normal,
          reason: 'client closed',
        }),
      );
    }
    const waiting = this.#waiters.wait('connect()', timeoutMs, signal, () =>
      this.#connectTimeout(timeoutMs!),
    );
    this.start();
    return waiting;
  }

  /** Starts connecting if nothing was started yet (a call made before `connect()` does this). */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#setState('connecting');
    // A state handler may have closed the client already.
    if (this.state === 'connecting') this.#attempt();
  }

  /** Abandons the current socket now (a dead heartbeat, a refused send); reconnect rules apply. */
  kill(code: number, reason: string, cause?: Error): void {
    if (!this.#connection) return;
    if (cause) this.#lastError = cause;
    this.#connection.kill(code, reason);
  }

  close(): void {
    this.#terminate(
      { code: CLOSE_CODES.normal, reason: 'client closed' },
      'the client was closed',
      undefined,
    );
  }

  #attempt(): void {
    this.#lastError = undefined;
    const { transport: factory, url, connectTimeoutMs } = this.#options;
    const connection: Connection = new Connection(
      { factory, url, connectTimeoutMs },
      {
        open: () => this.#opened(connection),
        error: (error) => {
          this.#lastError = error;
          // Until the socket opens, its error waits for the close, which tells whether it is a
          // repeated refusal (reported once per episode) or a failure that cannot heal.
          if (connection.isOpen) this.#hooks.report({ kind: 'transport', error });
        },
        closed: (info) => this.#closed(connection, info),
      },
      this.#frames,
    );
    this.#connection = connection;
    connection.start();
  }

  #opened(connection: Connection): void {
    if (connection !== this.#connection) return;
    this.#lastFailure = undefined;
    this.#failedAttempts = 0;
    this.#refusalReported = false;
    this.#setState('open');
    // A state handler may have closed the client, or a reentrant failure replaced the socket.
    if (this.state !== 'open' || connection !== this.#connection) return;
    this.#hooks.opened(connection);
    if (connection !== this.#connection || !connection.isOpen) return;
    this.#waiters.resolveAll();
  }

  #closed(connection: Connection, info: TransportCloseInfo): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    const cause = this.#lastError;
    const openedAt = connection.openedAt;
    if (openedAt !== undefined) this.#hooks.lost(info, cause);
    // A socket that failed to open is classified (see the README): a ValidationError (a URL or a
    // setting that cannot work, or a factory that threw) ends the client; refused credentials
    // (HTTP 401 or 403) are retried at the slowest pace and reported once per episode.
    const failed = openedAt === undefined;
    const refused = failed && (info.httpStatus === 401 || info.httpStatus === 403);
    if (failed) {
      this.#failedAttempts += 1;
      this.#lastFailure =
        cause ??
        new ConnectionClosedError({
          message: `the socket closed before it opened (code ${info.code})`,
          ...info,
        });
      const repeated = refused && this.#refusalReported;
      if (cause && !repeated && this.#state !== 'closed')
        this.#hooks.report({ kind: 'transport', error: cause });
      if (refused) this.#refusalReported = true;
    }
    if (this.#state === 'closed') return;
    if (failed && cause instanceof ValidationError) {
      this.#terminate(info, `the transport cannot work with these settings (${cause.message})`, cause, true);
      return;
    }
    if (!this.#backoff || !this.#options.reconnect) {
      const how = failed ? 'the socket did not open' : 'the connection closed';
      this.#terminate(info, `${how} (code ${info.code}) and reconnect is disabled`, cause);
      return;
    }
    if (!failed && now() - openedAt >= this.#options.reconnect.resetAfterMs) this.#backoff.reset();
    // Refused credentials do not heal in a second: ask again at the slowest pace, not the fastest.
    const delay = refused ? this.#options.reconnect.maxDelayMs : this.#backoff.next();
    this.#retryTimer.start(delay, () => this.#attempt());
    this.#setState('reconnecting');
  }

  #connectTimeout(timeoutMs: number): TimeoutError {
    const failure = this.#lastFailure;
    const what = failure
      ? `connect() (failed attempts: ${this.#failedAttempts}; the last: ${failure.message})`
      : 'connect()';
    return new TimeoutError({ what, timeoutMs }, { cause: failure });
  }

  #terminate(info: TransportCloseInfo, why: string, cause: Error | undefined, permanent = false): void {
    if (this.#state === 'closed') return;
    const from = this.#state;
    this.#state = 'closed';
    this.#retryTimer.stop();
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.kill(info.code, info.reason);
    const error = new ConnectionClosedError(
      { message: `connect() failed: ${why}`, code: info.code, reason: info.reason },
      cause === undefined ? {} : { cause },
    );
    if (permanent) this.#endedBy = error;
    this.#waiters.rejectAll(() => error);
    this.#hooks.terminated(info, why, cause);
    this.#hooks.state({ from, to: 'closed' });
  }

  #setState(to: ClientState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#hooks.state({ from, to });
  }
}
