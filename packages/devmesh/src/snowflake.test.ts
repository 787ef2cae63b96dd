import { describe, expect, test } from 'vitest';
import { createSnowflake, SNOWFLAKE_EPOCH_MS } from './snowflake.ts';

describe('createSnowflake', () => {
  test('ids are 19-digit decimals above 2^53 that a double cannot hold exactly', () => {
    const next = createSnowflake({ node: 1 });
    for (let i = 0; i < 2000; i++) {
      const id = next();
      expect(id).toMatch(/^\d{19}$/);
      expect(BigInt(id) > 2n ** 53n).toBe(true);
      expect(BigInt(Number(id))).not.toBe(BigInt(id));
    }
  });

  test('ids carry time, node and sequence, and grow', () => {
    let now = 1_700_000_000_000;
    const next = createSnowflake({ node: 5, now: () => now });
    const first = BigInt(next());
    expect(first >> 22n).toBe(BigInt(now) - SNOWFLAKE_EPOCH_MS);
    expect((first >> 12n) & 0x3ffn).toBe(5n);
    expect(first & 0xffn).not.toBe(0n);
    const second = BigInt(next());
    expect(second > first).toBe(true);
    now += 1;
    expect(BigInt(next()) >> 22n).toBe(BigInt(now) - SNOWFLAKE_EPOCH_MS);
  });

  test('thousands of ids in one millisecond stay unique, and a clock going back does not repeat them', () => {
    let now = 1_700_000_000_000;
    const next = createSnowflake({ node: 2, now: () => now });
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(next());
    now -= 5000;
    for (let i = 0; i < 100; i++) ids.add(next());
    expect(ids.size).toBe(10_100);
  });

  test('two nodes never produce the same id', () => {
    const a = createSnowflake({ node: 1, now: () => 1_700_000_000_000 });
    const b = createSnowflake({ node: 2, now: () => 1_700_000_000_000 });
    const ids = new Set([...Array.from({ length: 500 }, a), ...Array.from({ length: 500 }, b)]);
    expect(ids.size).toBe(1000);
  });

  test('rejects a node outside 10 bits', () => {
    expect(() => createSnowflake({ node: 1024 })).toThrow(/0 to 1023/);
  });
});
