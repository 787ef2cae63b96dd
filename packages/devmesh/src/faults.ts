/** An error an engine answers in place of the next requests of a method (`engine.failNext`). */
export interface InjectedFailure {
  /** The method to fail, or `'*'` for any. */
  method: string;
  code: number;
  message: string;
  remaining: number;
}

/**
 * The faults an engine can be put into, in one place: its API server frozen (half-open
 * sockets), its answers delayed, its link to the other engines cut, errors injected.
 */
export class FaultState {
  /** The API server accepts bytes and answers nothing. */
  frozen = false;
  /** Every frame the API server sends waits this long. */
  delayMs = 0;
  /** Cut off from the other engines: mesh traffic to and from it fails. */
  partitioned = false;
  #failures: InjectedFailure[] = [];

  /** Queues `count` failures for a method. */
  failNext(method: string, code: number, message: string, count: number): void {
    this.#failures.push({ method, code, message, remaining: count });
  }

  /** The failure to answer for this method instead of running it, if one is queued. */
  takeFailure(method: string): { code: number; message: string } | undefined {
    const failure = this.#failures.find((f) => f.method === method || f.method === '*');
    if (failure === undefined) return undefined;
    if (--failure.remaining <= 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
    return { code: failure.code, message: failure.message };
  }

  /** Back to a healthy engine (done by `start()`). */
  reset(): void {
    this.frozen = false;
    this.delayMs = 0;
    this.partitioned = false;
    this.#failures = [];
  }
}

/**
 * The sending side of one socket under the engine's faults: what it sends (frames, pongs, HTTP
 * answers) goes out in order, each held for the delay in force when it was queued; nothing goes
 * out while the engine is frozen. `dispose()` cancels whatever is still held, so a closed socket
 * leaves no timer behind.
 */
export class Outbox {
  readonly #held: Array<{ action: () => void; at: number }> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  readonly #faults: FaultState;

  constructor(faults: FaultState) {
    this.#faults = faults;
  }

  /** Runs `action` now, or after the delay; never while frozen or once disposed. */
  enqueue(action: () => void): void {
    if (this.#disposed || this.#faults.frozen) return;
    if (this.#faults.delayMs <= 0 && this.#held.length === 0) {
      action();
      return;
    }
    this.#held.push({ action, at: Date.now() + this.#faults.delayMs });
    this.#schedule();
  }

  dispose(): void {
    this.#disposed = true;
    this.#held.length = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#held.length === 0) return;
    const wait = Math.max(0, (this.#held[0]?.at ?? 0) - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      while (!this.#disposed && this.#held.length > 0 && (this.#held[0]?.at ?? 0) <= now) {
        const { action } = this.#held.shift() as { action: () => void };
        if (!this.#faults.frozen) action();
      }
      this.#schedule();
    }, wait);
  }
}
