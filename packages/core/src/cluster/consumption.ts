import { Backoff, type BackoffPolicy } from '../client/backoff.ts';
import type { CallOptions } from '../client/options.ts';
import { Timer } from '../client/timers.ts';
import { ErrorCode } from '../errors/errorCode.ts';
import { ConnectionClosedError, ConnmixError, ServerError } from '../errors/errors.ts';
import type { SuccessResult } from '../schema/results.ts';
import type { Engine } from './engineSet.ts';
import type { ClusterErrorEvent } from './events.ts';

export interface ClusterConsumptionDeps {
  /** The engines now, in join order. */
  engines(): Engine[];
  report(event: ClusterErrorEvent): void;
  retryPolicy: BackoffPolicy;
}

/** The cluster's topics on one engine: those its client has not accepted yet, and their retry. */
interface EngineTopics {
  readonly engine: Engine;
  readonly pending: Set<string>;
  /** Accepted through a "duplicate consume" answer: the client does not remember them, so they are popped again on its next socket. */
  readonly unremembered: Set<string>;
  readonly retry: Timer;
  readonly backoff: Backoff;
  busy: boolean;
}

/**
 * The topics a cluster consumes, on every engine. Each engine client re-pops what it accepted on
 * its own reconnections; this makes sure each engine accepts every topic once: a new engine is
 * popped when it opens, and an engine that refused or missed a pop is popped again (reported as
 * `repop`, retried with backoff while open, and at once when it opens again).
 */
export class ClusterConsumption {
  readonly #deps: ClusterConsumptionDeps;
  readonly #topics = new Set<string>();
  readonly #engines = new Map<string, EngineTopics>();
  /** Bumped by `unpop`, so the outcome of an older pop cannot bring its topics back. */
  #epoch = 0;

  constructor(deps: ClusterConsumptionDeps) {
    this.#deps = deps;
  }

  /** The cluster's topics, in the order they were first popped. */
  get topics(): string[] {
    return [...this.#topics];
  }

  /**
   * Pops `topics` on every engine. Resolves `{ success: true }` only if every engine accepted them;
   * once at least one did, they are remembered and the others are retried. Rejects with the first
   * engine's error when none accepted (then nothing is remembered).
   */
  async pop(topics: string[], options: CallOptions | undefined): Promise<SuccessResult> {
    const epoch = this.#epoch;
    const engines = this.#deps.engines();
    const outcomes = await Promise.allSettled(
      engines.map((engine) => engine.client.pop(...topics, options ?? {})),
    );
    const accepted = outcomes.some((outcome) => outcome.status === 'fulfilled' && outcome.value.success);
    if (!accepted) {
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
      if (rejected) throw rejected.reason;
      return { success: false };
    }
    if (epoch !== this.#epoch) return { success: outcomes.every(isSuccess) };
    for (const topic of topics) this.#topics.add(topic);
    let failures = 0;
    outcomes.forEach((outcome, index) => {
      const state = this.#engines.get(engines[index]?.id ?? '');
      if (isSuccess(outcome) || !state || state.engine !== engines[index]) return;
      failures += 1;
      this.#failed(state, topics, outcome.status === 'rejected' ? toError(outcome.reason) : refused(topics));
    });
    // Engines that joined while the pop was in flight did not get it.
    for (const state of this.#engines.values()) {
      if (engines.includes(state.engine)) continue;
      for (const topic of topics) state.pending.add(topic);
      this.#flush(state);
    }
    return { success: failures === 0 };
  }

  /**
   * Unpops on every engine and forgets the topics at once. `{ success: true }` only if every
   * engine accepted; an engine that failed is reported (`unpop`). Rejects when every engine failed.
   */
  async unpop(options: CallOptions | undefined): Promise<SuccessResult> {
    this.#epoch += 1;
    this.#topics.clear();
    for (const state of this.#engines.values()) this.#clear(state);
    const engines = this.#deps.engines();
    const outcomes = await Promise.allSettled(engines.map((engine) => engine.client.unpop(options)));
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    if (engines.length > 0 && outcomes.every((outcome) => outcome.status === 'rejected') && rejected) {
      throw rejected.reason;
    }
    outcomes.forEach((outcome, index) => {
      const engine = engines[index];
      if (isSuccess(outcome) || !engine) return;
      const error =
        outcome.status === 'rejected'
          ? toError(outcome.reason)
          : new ConnmixError(`queue.unpop on engine ${engine.id} answered success: false`);
      this.#deps.report({ kind: 'unpop', error, node: engine.id });
    });
    return { success: outcomes.every(isSuccess) };
  }

  /** A new engine: it pops every topic once open. */
  joined(engine: Engine): void {
    const state: EngineTopics = {
      engine,
      pending: new Set(this.#topics),
      unremembered: new Set(),
      retry: new Timer(),
      backoff: new Backoff(this.#deps.retryPolicy),
      busy: false,
    };
    this.#engines.set(engine.id, state);
    this.#flush(state);
  }

  /** The engine's client opened a socket: pop what it does not have yet. */
  opened(engine: Engine): void {
    const state = this.#engines.get(engine.id);
    if (!state || state.engine !== engine) return;
    for (const topic of state.unremembered) state.pending.add(topic);
    state.unremembered.clear();
    state.retry.stop();
    state.backoff.reset();
    this.#flush(state);
  }

  left(engine: Engine): void {
    const state = this.#engines.get(engine.id);
    if (!state || state.engine !== engine) return;
    this.#clear(state);
    this.#engines.delete(engine.id);
  }

  close(): void {
    this.#epoch += 1;
    this.#topics.clear();
    for (const state of this.#engines.values()) this.#clear(state);
    this.#engines.clear();
  }

  #clear(state: EngineTopics): void {
    state.pending.clear();
    state.unremembered.clear();
    state.retry.stop();
  }

  /** Pops the engine's pending topics if it is open and no pop of them is in flight. */
  #flush(state: EngineTopics): void {
    if (state.busy || state.pending.size === 0 || state.engine.client.state !== 'open') return;
    const topics = [...state.pending];
    state.pending.clear();
    state.busy = true;
    const epoch = this.#epoch;
    const current = () => epoch === this.#epoch && this.#engines.get(state.engine.id) === state;
    state.engine.client.pop(...topics).then(
      (result) => {
        state.busy = false;
        if (!current()) return;
        if (result.success) {
          state.backoff.reset();
          this.#flush(state);
        } else this.#failed(state, topics, refused(topics));
      },
      (error: unknown) => {
        state.busy = false;
        if (!current()) return;
        if (error instanceof ServerError && error.code === ErrorCode.DuplicateConsume) {
          // This socket pops them already (an earlier pop that timed out was applied after all).
          for (const topic of topics) state.unremembered.add(topic);
          this.#flush(state);
          return;
        }
        this.#failed(state, topics, toError(error));
      },
    );
  }

  /** The engine did not accept `topics`: report it and try again (now if it reopens, or after a backoff). */
  #failed(state: EngineTopics, topics: readonly string[], error: Error): void {
    const missing = topics.filter((topic) => this.#topics.has(topic));
    if (missing.length === 0) return;
    for (const topic of missing) state.pending.add(topic);
    // A lost socket is not the engine refusing: the next socket gets the pop when it opens (or
    // now, if it opened while other engines were still answering).
    if (error instanceof ConnectionClosedError) return this.#flush(state);
    this.#deps.report({ kind: 'repop', error, topics: missing, node: state.engine.id });
    state.retry.start(state.backoff.next(), () => this.#flush(state));
  }
}

function isSuccess(outcome: PromiseSettledResult<SuccessResult>): boolean {
  return outcome.status === 'fulfilled' && outcome.value.success;
}

function refused(topics: readonly string[]): ConnmixError {
  return new ConnmixError(`queue.pop of ${topics.join(', ')} answered success: false`);
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new ConnmixError('queue.pop failed', { cause: reason });
}
