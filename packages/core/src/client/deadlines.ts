import { now, Timer } from './timers.ts';

/** What the deadline queue needs on each entry: its links live on the entry, so nothing is allocated. */
export interface Deadlined {
  deadline: number;
  deadlinePrev: Deadlined | undefined;
  deadlineNext: Deadlined | undefined;
  bucket: DeadlineBucket | undefined;
}

/** Entries sharing one timeout: added in time order, so their deadlines are in order too. */
export interface DeadlineBucket {
  head: Deadlined | undefined;
  tail: Deadlined | undefined;
  readonly timeoutMs: number;
}

/** Expirations handled in one timer turn; more wait for the next turn, so the event loop breathes. */
export const EXPIRATIONS_PER_TURN = 1_000;

/**
 * The deadlines of every pending call, on one timer. Calls with the same timeout expire in the
 * order they were added, so each timeout is a FIFO bucket: adding and removing are O(1), and the
 * timer is armed for the earliest head. Re-arming looks at one head per distinct timeout in use
 * (usually one or two: the client's `requestTimeoutMs` and the heartbeat's).
 *
 * Many calls expiring at once (an outage that outlived them all) are settled
 * `EXPIRATIONS_PER_TURN` at a time, each batch in its own timer turn, instead of in one long
 * stall of the event loop.
 */
export class DeadlineQueue<T extends Deadlined> {
  readonly #buckets = new Map<number, DeadlineBucket>();
  readonly #timer = new Timer();
  readonly #onExpired: (entry: T) => void;
  /** The deadline the timer is armed for; undefined when it is not armed. */
  #armedFor: number | undefined;

  constructor(onExpired: (entry: T) => void) {
    this.#onExpired = onExpired;
  }

  /** Entries waiting for their deadline. */
  get isEmpty(): boolean {
    return this.#buckets.size === 0;
  }

  add(entry: T, timeoutMs: number): void {
    let bucket = this.#buckets.get(timeoutMs);
    if (!bucket) {
      bucket = { head: undefined, tail: undefined, timeoutMs };
      this.#buckets.set(timeoutMs, bucket);
    }
    const tail = bucket.tail;
    // A wall clock set back must not put an entry before one added earlier with the same timeout.
    entry.deadline = tail ? Math.max(now() + timeoutMs, tail.deadline) : now() + timeoutMs;
    entry.bucket = bucket;
    entry.deadlinePrev = tail;
    entry.deadlineNext = undefined;
    if (tail) tail.deadlineNext = entry;
    else bucket.head = entry;
    bucket.tail = entry;
    if (this.#armedFor === undefined || entry.deadline < this.#armedFor) this.#arm(entry.deadline);
  }

  /** Forgets an entry; nothing happens if it is not here. */
  remove(entry: T): void {
    const bucket = entry.bucket;
    if (!bucket) return;
    const { deadlinePrev: prev, deadlineNext: next } = entry;
    if (prev) prev.deadlineNext = next;
    else bucket.head = next;
    if (next) next.deadlinePrev = prev;
    else bucket.tail = prev;
    entry.deadlinePrev = entry.deadlineNext = entry.bucket = undefined;
    if (!bucket.head) {
      this.#buckets.delete(bucket.timeoutMs);
      if (this.#buckets.size === 0) this.#disarm();
    }
    // A removed head leaves the timer armed for it: the wake-up finds nothing due and re-arms.
  }

  #arm(deadline: number): void {
    this.#armedFor = deadline;
    this.#timer.start(deadline - now(), () => this.#fire());
  }

  #disarm(): void {
    this.#armedFor = undefined;
    this.#timer.stop();
  }

  #fire(): void {
    this.#armedFor = undefined;
    const time = now();
    let budget = EXPIRATIONS_PER_TURN;
    for (const bucket of this.#buckets.values()) {
      let head = bucket.head;
      while (head && head.deadline <= time && budget > 0) {
        this.remove(head as T);
        budget -= 1;
        this.#onExpired(head as T);
        head = bucket.head;
      }
      if (budget === 0) break;
    }
    let earliest: number | undefined;
    for (const { head } of this.#buckets.values()) {
      if (head && (earliest === undefined || head.deadline < earliest)) earliest = head.deadline;
    }
    // Still due after a full batch: the rest go in the next turn (a 0 ms timer).
    if (earliest !== undefined && (this.#armedFor === undefined || earliest < this.#armedFor)) {
      this.#arm(earliest);
    }
  }
}
