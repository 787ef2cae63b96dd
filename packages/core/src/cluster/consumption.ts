import { Backoff, type BackoffPolicy } from '../connection/backoff.ts';
import type { CallOptions } from '../client/options.ts';
import { Timer } from '../runtime/timers.ts';
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
  /** Topics of `pop()`, until `unpop()`. */
  readonly #topics = new Set<string>();
  /** Topics of open subscriptions, with how many want each. */
  readonly #subscribed = new Map<string, number>();
  readonly #engines = new Map<string, EngineTopics>();
  /** Bumped by `unpop`, so the outcome of an older pop cannot bring its topics back. */
  #unpops = 0;
  /** Bumped whenever every engine is unpopped, so an older pop's outcome changes nothing. */
  #epoch = 0;

  constructor(deps: ClusterConsumptionDeps) {
    this.#deps = deps;
  }

  /** The topics wanted on every engine: those of `pop()` and of open subscriptions. */
  #wantedTopics(): string[] {
    return [...new Set([...this.#topics, ...this.#subscribed.keys()])];
  }

  /** A subscription opened: its topics are popped on every engine (now, or once it opens). */
  subscribe(topics: readonly string[]): void {
    const fresh = topics.filter((topic) => !this.#wanted(topic));
    for (const topic of topics) this.#subscribed.set(topic, (this.#subscribed.get(topic) ?? 0) + 1);
    if (fresh.length === 0) return;
    for (const state of this.#engines.values()) {
      for (const topic of fresh) state.pending.add(topic);
      this.#flush(state);
    }
  }

  /**
   * A subscription closed. The engine only cancels every topic at once: when a topic is no longer
   * wanted, each engine is unpopped, then popped again with the topics still wanted (one socket
   * answers in order, so the pop lands after the unpop).
   */
  unsubscribe(topics: readonly string[]): void {
    for (const topic of topics) {
      const count = (this.#subscribed.get(topic) ?? 1) - 1;
      if (count > 0) this.#subscribed.set(topic, count);
      else this.#subscribed.delete(topic);
    }
    if (topics.every((topic) => this.#wanted(topic))) return;
    this.#repopAll(undefined);
  }

  /**
   * Pops `topics` on every engine. Resolves `{ success: true }` only if every engine accepted them;
   * once at least one did, they are remembered and the others are retried. Rejects with the first
   * engine's error when none accepted (then nothing is remembered).
   */
  async pop(topics: string[], options: CallOptions | undefined): Promise<SuccessResult> {
    const unpops = this.#unpops;
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
    if (unpops !== this.#unpops) return { success: outcomes.every(isSuccess) };
    for (const topic of topics) this.#topics.add(topic);
    let failures = 0;
    outcomes.forEach((outcome, index) => {
      const state = this.#engines.get(engines[index]?.id ?? '');
      if (isSuccess(outcome) || !state || state.engine !== engines[index]) return;
      failures += 1;
      if (outcome.status === 'fulfilled') this.#failed(state, topics, refused(topics), true);
      else this.#failed(state, topics, toError(outcome.reason), outcome.reason instanceof ServerError);
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
    this.#unpops += 1;
    this.#topics.clear();
    const outcomes = await this.#repopAll(options);
    const engines = this.#deps.engines();
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
      pending: new Set(this.#wantedTopics()),
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
    this.#unpops += 1;
    this.#topics.clear();
    this.#subscribed.clear();
    for (const state of this.#engines.values()) this.#clear(state);
    this.#engines.clear();
  }

  #wanted(topic: string): boolean {
    return this.#topics.has(topic) || this.#subscribed.has(topic);
  }

  /**
   * Unpops every engine (each client forgets its topics), then pops the topics still wanted again:
   * the pop is queued after the unpop on the same socket. Resolves with each engine's unpop outcome.
   */
  #repopAll(options: CallOptions | undefined): Promise<Array<PromiseSettledResult<SuccessResult>>> {
    this.#epoch += 1;
    const engines = this.#deps.engines();
    const unpops = engines.map((engine) => engine.client.unpop(options));
    const topics = this.#wantedTopics();
    for (const state of this.#engines.values()) {
      this.#clear(state);
      for (const topic of topics) state.pending.add(topic);
      this.#flush(state);
    }
    return Promise.allSettled(unpops);
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
    // An outcome from before every engine was unpopped changes nothing, but what is pending now goes out.
    const stale = () => this.#engines.get(state.engine.id) === state && this.#flush(state);
    state.engine.client.pop(...topics).then(
      (result) => {
        state.busy = false;
        if (!current()) return stale();
        if (result.success) {
          state.backoff.reset();
          this.#flush(state);
        } else this.#failed(state, topics, refused(topics), true);
      },
      (error: unknown) => {
        state.busy = false;
        if (!current()) return stale();
        if (error instanceof ServerError && error.code === ErrorCode.DuplicateConsume) {
          // This socket pops them already (an earlier pop that timed out was applied after all).
          for (const topic of topics) state.unremembered.add(topic);
          this.#flush(state);
          return;
        }
        this.#failed(state, topics, toError(error), error instanceof ServerError);
      },
    );
  }

  /**
   * The engine did not accept `topics`: report it and, if it refused them, try again with backoff.
   * A lost socket or a deadline is no refusal: the engine's client keeps the topics and pops them
   * itself (on its next socket, or again on this one).
   */
  #failed(state: EngineTopics, topics: readonly string[], error: Error, refusal: boolean): void {
    const missing = topics.filter((topic) => this.#wanted(topic));
    if (missing.length === 0 || error instanceof ConnectionClosedError) return;
    this.#deps.report({ kind: 'repop', error, topics: missing, node: state.engine.id });
    if (!refusal) return;
    for (const topic of missing) state.pending.add(topic);
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
