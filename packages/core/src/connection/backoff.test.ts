import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('doubles its ceiling from minDelayMs up to maxDelayMs', () => {
    const backoff = new Backoff({ minDelayMs: 500, maxDelayMs: 20_000 }, () => 1);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000]);
  });

  it('never goes below minDelayMs (the jitter floor)', () => {
    const backoff = new Backoff({ minDelayMs: 500, maxDelayMs: 20_000 }, () => 0);
    expect(Array.from({ length: 5 }, () => backoff.next())).toEqual([500, 500, 500, 500, 500]);
  });

  it('starts over after reset()', () => {
    const backoff = new Backoff({ minDelayMs: 100, maxDelayMs: 10_000 }, () => 1);
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(200);
  });

  it('keeps growing from 1 ms when minDelayMs is 0', () => {
    const backoff = new Backoff({ minDelayMs: 0, maxDelayMs: 100 }, () => 1);
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([2, 4, 8, 16, 32, 64, 100, 100]);
  });

  it('keeps every delay within [minDelayMs, min(maxDelayMs, minDelayMs * 2^(n+1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 1,
          maxLength: 60,
        }),
        (minDelayMs, extra, randoms) => {
          const maxDelayMs = minDelayMs + extra;
          let i = 0;
          const backoff = new Backoff({ minDelayMs, maxDelayMs }, () => randoms[i++ % randoms.length]!);
          for (let n = 0; n < randoms.length; n++) {
            const delay = backoff.next();
            expect(delay).toBeGreaterThanOrEqual(minDelayMs);
            expect(delay).toBeLessThanOrEqual(
              Math.max(minDelayMs, Math.min(maxDelayMs, Math.max(minDelayMs, 1) * 2 ** (n + 1))),
            );
            expect(Number.isFinite(delay)).toBe(true);
          }
        },
      ),
    );
  });
});
