// Seeded randomness for the generated scenarios. The seed is part of each test's name, so any
// failure names the seed that reproduces it: CONNMIX_SEED=<seed> pnpm test:reliability.

/** The seed of this run: CONNMIX_SEED when set, a fresh one otherwise. */
export function runSeed(): number {
  const given = process.env['CONNMIX_SEED'];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return (Math.random() * 2 ** 32) >>> 0;
}

/** A small fast PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}
