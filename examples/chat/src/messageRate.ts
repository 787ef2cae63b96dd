/** Seconds of history the chart shows. */
export const RATE_WINDOW_SECONDS = 60;

/**
 * Messages per second, per engine, over the last minute: one bucket per second. The clock is
 * injected so that tests drive it.
 */
export class MessageRate {
  readonly #buckets = new Map<string, number[]>();
  #second: number;

  constructor(private readonly now: () => number = Date.now) {
    this.#second = Math.floor(now() / 1000);
  }

  /** Counts one message relayed through `node`. */
  count(node: string): void {
    this.#advance();
    const buckets = this.#series(node);
    buckets[buckets.length - 1]! += 1;
  }

  /** Makes a series for an engine that has not relayed anything yet, so the chart lists it. */
  track(node: string): void {
    this.#advance();
    this.#series(node);
  }

  /** Per engine, the last `RATE_WINDOW_SECONDS` complete and current seconds, oldest first. */
  snapshot(): Record<string, number[]> {
    this.#advance();
    return Object.fromEntries([...this.#buckets].map(([node, buckets]) => [node, [...buckets]]));
  }

  #series(node: string): number[] {
    let buckets = this.#buckets.get(node);
    if (!buckets) {
      buckets = new Array<number>(RATE_WINDOW_SECONDS).fill(0);
      this.#buckets.set(node, buckets);
    }
    return buckets;
  }

  #advance(): void {
    const second = Math.floor(this.now() / 1000);
    const elapsed = Math.min(second - this.#second, RATE_WINDOW_SECONDS);
    if (elapsed <= 0) return;
    this.#second = second;
    for (const buckets of this.#buckets.values()) {
      buckets.splice(0, elapsed);
      buckets.push(...new Array<number>(elapsed).fill(0));
    }
  }
}
