import { now, Timer } from './timers.ts';

/** Expirations handled in one timer turn; more wait for the next turn, so the event loop breathes. */
export const EXPIRATIONS_PER_TURN = 1_000;

/**
 * The deadlines of every pending call, on one timer. Calls with the same timeout expire in the
 * order they were added, so each timeout is one insertion-ordered `Set`: adding and removing are
 * O(1), and the timer is armed for the earliest first entry. A wake-up looks at one entry per
 * distinct timeout in use (usually one or two: the client's `requestTimeoutMs` and the heartbeat's).
 *
 * Many calls expiring at once (an outage that outlived them all) are settled
 * `EXPIRATIONS_PER_TURN` at a time, each batch in its own timer turn, instead of in one long
 * stall of the event loop.
 */
export class DeadlineQueue<T extends { readonly timeoutMs: number; deadline: number }> {
  readonly #buckets = new Map<number, Set<T>>();
  readonly #timer = new Timer();
  readonly #onExpired: (entry: T) => void;
  /** The deadline the timer is armed for; undefined when it is not armed. */
  #armedFor: number | undefined;

  constructor(onExpired: (entry: T) => void) {
    this.#onExpired = onExpired;
  }

  add(entry: T): void {
    const { timeoutMs } = entry;
    let bucket = this.#buckets.get(timeoutMs);
    if (!bucket) this.#buckets.set(timeoutMs, (bucket = new Set()));
    bucket.add(entry);
    entry.deadline = now() + timeoutMs;
    this.#armFor(entry.deadline);
  }

  /**
   * Forgets an entry; nothing happens if it is not here. Its bucket and the timer stay: with one
   * call at a time, each call would otherwise make a new `Set`, arm a timer and stop it again. The
   * wake-up finds nothing due, drops the empty buckets and re-arms only for what is left.
   */
  remove(entry: T): void {
    this.#buckets.get(entry.timeoutMs)?.delete(entry);
  }

  /** Forgets every entry and stops the timer (the owner is closed). */
  clear(): void {
    this.#buckets.clear();
    this.#armedFor = undefined;
    this.#timer.stop();
  }

  /** Arms the timer for `deadline` unless it is already armed for an earlier one. */
  #armFor(deadline: number): void {
    if (this.#armedFor !== undefined && this.#armedFor <= deadline) return;
    this.#armedFor = deadline;
    this.#timer.start(deadline - now(), () => this.#fire());
  }

  #fire(): void {
    this.#armedFor = undefined;
    const time = now();
    let budget = EXPIRATIONS_PER_TURN;
    let next = Infinity;
    for (const [timeoutMs, bucket] of this.#buckets) {
      if (bucket.size === 0) {
        this.#buckets.delete(timeoutMs);
        continue;
      }
      // One iterator per bucket and turn: entries removed before it are never walked again.
      for (const entry of bucket) {
        if (entry.deadline > time || budget === 0) {
          next = Math.min(next, budget === 0 ? time : entry.deadline);
          break;
        }
        budget -= 1;
        this.remove(entry);
        this.#onExpired(entry);
      }
    }
    if (next < Infinity) this.#armFor(next);
  }
}
