import { ConnectionClosedError, ConnmixError, ServerError } from '../errors/errors.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { SuccessResult } from '../schema/results.ts';
import { Backoff, type BackoffPolicy } from '../connection/backoff.ts';
import type { ClientErrorEvent } from './events.ts';
import { Timer } from '../runtime/timers.ts';

export interface ConsumptionDeps {
  /** Sends `queue.pop` or `queue.unpop`; `front` puts it ahead of the calls queued for a new connection. */
  request(
    request: Extract<OutgoingRequest, { method: 'queue.pop' | 'queue.unpop' }>,
    front: boolean,
  ): Promise<SuccessResult>;
  report(event: ClientErrorEvent): void;
  retryPolicy: BackoffPolicy;
}

/**
 * The topics this client means to consume, kept across connections, and what the engine consumes
 * for the current socket. A topic is wanted from `pop()` until the engine refuses it or `unpop()`,
 * and while a `consume()` subscription of it is open. Queues live in each engine's memory and a pop
 * lasts as long as its socket, so each new socket pops every wanted topic before any queued call.
 *
 * The engine only cancels all topics at once: when a topic is no longer wanted, the socket is
 * unpopped and the topics still wanted are popped again. Each such step is one request at a time,
 * answered in order, so the engine's view and this one cannot cross. A failed step is reported
 * (`repop`, `unpop`) and retried with backoff until it succeeds or the socket is lost (the next
 * one starts over).
 */
export class Consumption {
  readonly #deps: ConsumptionDeps;
  /** Topics of `pop()` calls (and `queue.pop` requests). */
  readonly #popped = new Set<string>();
  /** Topics of open subscriptions, with how many want each. */
  readonly #subscribed = new Map<string, number>();
  /** Topics of `pop()` calls not settled yet: they go out themselves, a re-pop would be a duplicate. */
  readonly #calls = new Map<string, number>();
  /** What the engine consumes for the current socket. */
  readonly #accepted = new Set<string>();
  readonly #retryTimer = new Timer();
  readonly #backoff: Backoff;
  #open = false;
  /** A pop or unpop of this class is in flight. */
  #busy = false;
  /** Bumped on every connection change, so an outcome from an older socket is ignored. */
  #epoch = 0;

  constructor(deps: ConsumptionDeps) {
    this.#deps = deps;
    this.#backoff = new Backoff(deps.retryPolicy);
  }

  /**
   * A `pop()` call: its topics are wanted from now on. Whatever stops its answer (a lost socket, a
   * deadline) leaves them wanted; a refusal (an error answer, `success: false`) forgets them.
   */
  popping(topics: readonly string[], answer: Promise<SuccessResult>): void {
    for (const topic of topics) {
      this.#popped.add(topic);
      this.#calls.set(topic, (this.#calls.get(topic) ?? 0) + 1);
    }
    const settled = (accepted: boolean, refused: boolean) => {
      for (const topic of topics) {
        const calls = (this.#calls.get(topic) ?? 1) - 1;
        if (calls > 0) this.#calls.set(topic, calls);
        else this.#calls.delete(topic);
        if (accepted) this.#accepted.add(topic);
        else if (refused && !this.#accepted.has(topic)) this.#popped.delete(topic);
      }
      this.#sync();
    };
    answer.then(
      (result) => settled(result.success, !result.success),
      (error: unknown) => settled(false, error instanceof ServerError),
    );
  }

  /** An `unpop()` call: popped topics are forgotten now; subscriptions are popped again after it. */
  unpopping(answer: Promise<SuccessResult>): void {
    this.#popped.clear();
    const epoch = this.#epoch;
    const settled = (success: boolean) => {
      if (success && epoch === this.#epoch) this.#accepted.clear();
      this.#sync();
    };
    answer.then(
      (result) => settled(result.success),
      () => settled(false),
    );
  }

  /** A subscription opened: its topics are wanted until it closes. */
  subscribe(topics: readonly string[]): void {
    for (const topic of topics) this.#subscribed.set(topic, (this.#subscribed.get(topic) ?? 0) + 1);
    this.#sync();
  }

  /** A subscription closed: topics no one wants any more are unpopped (the others popped again). */
  unsubscribe(topics: readonly string[]): void {
    for (const topic of topics) {
      const count = (this.#subscribed.get(topic) ?? 1) - 1;
      if (count > 0) this.#subscribed.set(topic, count);
      else this.#subscribed.delete(topic);
    }
    this.#sync();
  }

  /** A new connection is open: pop the wanted topics ahead of everything queued. */
  connectionOpened(): void {
    this.connectionLost();
    this.#open = true;
    this.#backoff.reset();
    this.#sync(true);
  }

  connectionLost(): void {
    this.#epoch += 1;
    this.#open = false;
    this.#busy = false;
    this.#accepted.clear();
    this.#retryTimer.stop();
  }

  close(): void {
    this.connectionLost();
    this.#popped.clear();
    this.#subscribed.clear();
  }

  #wanted(topic: string): boolean {
    return this.#popped.has(topic) || this.#subscribed.has(topic);
  }

  /** Brings the socket to what is wanted: one step at a time, unpop first, then the missing pops. */
  #sync(front = false): void {
    if (!this.#open || this.#busy) return;
    const surplus = [...this.#accepted].filter((topic) => !this.#wanted(topic));
    const missing = [...this.#popped, ...this.#subscribed.keys()].filter(
      (topic, i, all) => all.indexOf(topic) === i && !this.#accepted.has(topic) && !this.#calls.has(topic),
    );
    if (surplus.length > 0) this.#step(this.#deps.request({ method: 'queue.unpop' }, false), surplus, false);
    else if (missing.length > 0)
      this.#step(this.#deps.request({ method: 'queue.pop', topics: missing }, front), missing, true);
  }

  #step(request: Promise<SuccessResult>, topics: string[], pop: boolean): void {
    const epoch = this.#epoch;
    this.#busy = true;
    const done = (error?: unknown) => {
      if (epoch !== this.#epoch) return;
      this.#busy = false;
      if (error === undefined) {
        this.#backoff.reset();
        if (pop) for (const topic of topics) this.#accepted.add(topic);
        else this.#accepted.clear();
        return this.#sync();
      }
      if (error instanceof ConnectionClosedError) return; // the next socket starts over
      const wanted = topics.filter((topic) => this.#wanted(topic) === pop);
      if (wanted.length === 0) return this.#sync();
      this.#deps.report(
        pop
          ? { kind: 'repop', error: error as Error, topics: wanted }
          : { kind: 'unpop', error: error as Error, topics: wanted },
      );
      this.#retryTimer.start(this.#backoff.next(), () => this.#sync());
    };
    request.then(
      (result) =>
        done(
          result.success
            ? undefined
            : new ConnmixError(`queue.${pop ? '' : 'un'}pop of ${topics.join(', ')} answered success: false`),
        ),
      (error: unknown) =>
        // Duplicate consume: the socket pops them already (an earlier pop that timed out was applied).
        done(
          pop && error instanceof ServerError && error.code === 202 // ErrorCode.DuplicateConsume
            ? undefined
            : error instanceof Error
              ? error
              : new ConnmixError('queue.pop failed', { cause: error }),
        ),
    );
  }
}
