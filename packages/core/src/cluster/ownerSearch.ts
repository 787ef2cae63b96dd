import { listenForAbort, type AbortSignalLike } from '../runtime/abort.ts';
import type { CallOptions } from '../client/options.ts';
import { now } from '../runtime/timers.ts';
import { ErrorCode } from '../errors/errorCode.ts';
import { ServerError, abortErrorFor } from '../errors/errors.ts';
import type { Engine } from './engineSet.ts';

/** One `conn.call` on one engine, with the options to give its client. */
export type EngineAttempt<T> = (engine: Engine, options: CallOptions) => Promise<T>;

export interface OwnerSearch<T> {
  what: string;
  clientId: string;
  /** The engines to ask; an engine that is not open is asked when it opens, within the deadline. */
  engines: readonly Engine[];
  attempt: EngineAttempt<T>;
  timeoutMs: number;
  signal: AbortSignalLike | undefined;
  /** Answers already seen (a remembered engine that said 301), part of the error if nobody accepts. */
  refusals?: ReadonlyArray<{ engine: Engine; error: ServerError }> | undefined;
}

/** The engine that accepted the call, and its answer. */
export interface OwnerFound<T> {
  engine: Engine;
  result: T;
}

/** An engine's "execution failed": what every engine but the one that holds the client answers. */
export function isElsewhere(error: unknown): error is ServerError {
  return error instanceof ServerError && error.code === ErrorCode.CallFailed;
}

/**
 * Runs a `conn.call` on every engine at once, for a client whose engine is unknown. This is safe
 * because a `conn.call` runs only where the end-user connection lives: every other engine
 * answers 301 and changes nothing. The first engine that accepts is the owner; the calls still
 * waiting elsewhere are dropped. Rejects with the error of an engine whose outcome is unknown
 * (its socket died, no answer in time), since it may be the owner; otherwise, when every engine
 * answered 301, with a `ServerError` 301 listing each engine's answer.
 */
export function findOwner<T>(search: OwnerSearch<T>): Promise<OwnerFound<T>> {
  const { what, clientId, engines, attempt, timeoutMs, signal } = search;
  if (signal?.aborted) return Promise.reject(abortErrorFor(what, signal));
  const stop = new StopSignal();
  const stopListening = listenForAbort(signal, () => stop.abort(signal?.reason));
  const deadline = now() + timeoutMs;
  return new Promise<OwnerFound<T>>((resolve, reject) => {
    const refusals = [...(search.refusals ?? [])];
    const unsure: unknown[] = [];
    let pending = engines.length;
    let settled = false;
    const finish = () => {
      if (settled || pending > 0) return;
      settled = true;
      stopListening();
      if (signal?.aborted) reject(abortErrorFor(what, signal));
      else if (unsure.length > 0) reject(unsure[0]);
      else reject(nobodyAccepted(clientId, refusals));
    };
    for (const engine of engines) {
      let outcome: Promise<T>;
      try {
        outcome = attempt(engine, { signal: stop, timeoutMs: Math.max(1, deadline - now()) });
      } catch (error) {
        outcome = Promise.reject(error);
      }
      outcome.then(
        (result) => {
          pending -= 1;
          if (settled) return;
          settled = true;
          stopListening();
          stop.abort(undefined);
          resolve({ engine, result });
        },
        (error: unknown) => {
          pending -= 1;
          if (isElsewhere(error)) refusals.push({ engine, error });
          else unsure.push(error);
          finish();
        },
      );
    }
    finish();
  });
}

function nobodyAccepted(
  clientId: string,
  refusals: ReadonlyArray<{ engine: Engine; error: ServerError }>,
): ServerError {
  const answers = refusals.map(({ engine, error }) => `node ${engine.id}: ${error.serverMessage}`);
  return new ServerError(
    {
      code: ErrorCode.CallFailed,
      method: 'conn.call',
      serverMessage:
        `no engine of the cluster accepted the call for client ${clientId}: it is not connected, ` +
        `or the engine that holds it refused (${answers.join('; ') || 'no engine known'})`,
    },
    { cause: refusals[0]?.error },
  );
}

/** The signal that drops the calls still waiting once the owner answered (or the caller aborted). */
class StopSignal implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  readonly #listeners = new Set<() => void>();

  addEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}
