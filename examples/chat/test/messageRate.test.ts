import { describe, expect, it } from 'vitest';
import { MessageRate, RATE_WINDOW_SECONDS } from '../src/messageRate.ts';

describe('MessageRate', () => {
  it('counts per engine per second, and shifts the window as the injected clock moves', () => {
    let now = 1_000_000;
    const rate = new MessageRate(() => now);
    rate.track('2');
    rate.count('1');
    rate.count('1');
    now += 1_000;
    rate.count('1');
    rate.count('2');
    const snapshot = rate.snapshot();
    expect(Object.keys(snapshot).sort()).toEqual(['1', '2']);
    expect(snapshot['1']).toHaveLength(RATE_WINDOW_SECONDS);
    expect(snapshot['1']!.slice(-3)).toEqual([0, 2, 1]);
    expect(snapshot['2']!.slice(-3)).toEqual([0, 0, 1]);
    // A long pause empties the window instead of shifting it one second at a time.
    now += 10 * RATE_WINDOW_SECONDS * 1_000;
    expect(rate.snapshot()['1']!.every((value) => value === 0)).toBe(true);
    expect(rate.snapshot()['1']).toHaveLength(RATE_WINDOW_SECONDS);
  });
});
