/** The delays between reconnect attempts. */
export interface BackoffPolicy {
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: attempt n (0-based) waits a uniformly random delay
 * between `minDelayMs` and `min(maxDelayMs, minDelayMs * 2^(n+1))`. The jitter spans the whole
 * window so that many clients dropped by one engine restart do not come back in lockstep.
 */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #attempt = 0;

  constructor(policy: BackoffPolicy, random: () => number = () => Math.random()) {
    this.#policy = policy;
    this.#random = random;
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.#attempt;
  }

  /** The upper bound of the delay of the next attempt. */
  get ceilingMs(): number {
    const { minDelayMs, maxDelayMs } = this.#policy;
    // The exponent is capped so the product stays finite; a 0 floor still grows from 1 ms.
    const grown = Math.max(minDelayMs, 1) * 2 ** Math.min(this.#attempt + 1, 40);
    return Math.max(minDelayMs, Math.min(maxDelayMs, grown));
  }

  next(): number {
    const { minDelayMs } = this.#policy;
    const delay = minDelayMs + this.#random() * (this.ceilingMs - minDelayMs);
    this.#attempt += 1;
    return delay;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
