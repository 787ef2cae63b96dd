import { ConnectionClosedError, ConnmixError } from '../errors/errors.ts';
import type { SuccessResult } from '../schema/results.ts';
import { Backoff, type BackoffPolicy } from './backoff.ts';
import type { ClientErrorEvent } from './events.ts';
import { Timer } from './timers.ts';

export interface ConsumptionDeps {
  /** Sends `queue.pop`; `front` puts it ahead of the calls queued for a new connection. */
  pop(topics: string[], front: boolean): Promise<SuccessResult>;
  report(event: ClientErrorEvent): void;
  retryPolicy: BackoffPolicy;
}

/**
 * The topics this client consumes, kept across connections. Queues live in each engine's memory
 * and a pop lasts as long as its socket, so every new connection pops them again before any
 * queued call goes out. A failed re-pop is reported and retried with backoff until it succeeds,
 * the socket is lost (the next one pops anyway) or the topics are forgotten (`unpop`).
 */
export class Consumption {
  readonly #deps: ConsumptionDeps;
  readonly #topics = new Set<string>();
  /** Topics whose re-pop failed on this connection and waits for the retry timer. */
  readonly #retrying = new Set<string>();
  readonly #retryTimer = new Timer();
  readonly #backoff: Backoff;
  /** Bumped on every connection change, so an outcome from an older socket is ignored. */
  #epoch = 0;

  constructor(deps: ConsumptionDeps) {
    this.#deps = deps;
    this.#backoff = new Backoff(deps.retryPolicy);
  }

  /** A pop succeeded: its topics are popped again on every new connection. */
  remember(topics: readonly string[]): void {
    for (const topic of topics) {
      this.#topics.add(topic);
      // Popped by the caller on this socket already: a retry must not pop it a second time.
      this.#retrying.delete(topic);
    }
  }

  /** `unpop` cancels every topic: nothing is popped again. */
  forget(): void {
    this.#topics.clear();
    this.#retrying.clear();
    this.#retryTimer.stop();
  }

  /** A new connection is open: pop the remembered topics ahead of everything queued. */
  connectionOpened(): void {
    this.#epoch += 1;
    this.#retrying.clear();
    this.#retryTimer.stop();
    this.#backoff.reset();
    if (this.#topics.size > 0) this.#pop([...this.#topics], true);
  }

  connectionLost(): void {
    this.#epoch += 1;
    this.#retrying.clear();
    this.#retryTimer.stop();
  }

  close(): void {
    this.connectionLost();
    this.#topics.clear();
  }

  #pop(topics: string[], front: boolean): void {
    const epoch = this.#epoch;
    const failed = (error: Error) => {
      if (epoch !== this.#epoch || error instanceof ConnectionClosedError) return;
      const pending = topics.filter((topic) => this.#topics.has(topic));
      if (pending.length === 0) return;
      this.#deps.report({ kind: 'repop', error, topics: pending });
      for (const topic of pending) this.#retrying.add(topic);
      this.#retryTimer.start(this.#backoff.next(), () => {
        const again = [...this.#retrying];
        this.#retrying.clear();
        if (again.length > 0) this.#pop(again, false);
      });
    };
    this.#deps.pop(topics, front).then(
      (result) => {
        if (result.success) {
          if (epoch === this.#epoch) this.#backoff.reset();
          return;
        }
        failed(new ConnmixError(`queue.pop of ${topics.join(', ')} answered success: false`));
      },
      (error: unknown) =>
        failed(error instanceof Error ? error : new ConnmixError('queue.pop failed', { cause: error })),
    );
  }
}
