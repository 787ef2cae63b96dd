/** Twitter's epoch (2010-11-04), which puts today's ids at 19 digits, above 2^53, like the engine's. */
export const SNOWFLAKE_EPOCH_MS = 1_288_834_974_657n;

const NODE_BITS = 10n;
const SEQUENCE_BITS = 12n;
const SEQUENCE_MASK = (1n << SEQUENCE_BITS) - 1n;

export interface SnowflakeOptions {
  /** The node number written into bits 12-21 (0 to 1023). */
  node: number;
  /** The clock, in ms since 1970. @default Date.now */
  now?: (() => number) | undefined;
}

/**
 * A generator of 64-bit snowflake ids as decimal strings: 41 bits of milliseconds, 10 bits of
 * node, 12 bits of sequence. The sequence never restarts at 0 and skips values whose low 8 bits
 * are zero, so every id is one a double cannot hold exactly, as ids are on a loaded engine:
 * a client that reads ids through a JS number fails on the first one, not under load.
 */
export function createSnowflake(options: SnowflakeOptions): () => string {
  const { node } = options;
  if (!Number.isInteger(node) || node < 0 || node >= 1 << Number(NODE_BITS)) {
    throw new RangeError(`a snowflake node is an integer from 0 to 1023, got ${node}`);
  }
  const now = options.now ?? Date.now;
  let lastMs = -1n;
  let sequence = 0n;
  let usedThisMs = 0;
  return () => {
    let ms = BigInt(Math.floor(now())) - SNOWFLAKE_EPOCH_MS;
    if (ms < lastMs) ms = lastMs; // the clock went back: stay on the last millisecond
    if (ms === lastMs && usedThisMs >= 4000) ms = lastMs + 1n; // sequence spent: borrow the next ms
    if (ms !== lastMs) usedThisMs = 0;
    lastMs = ms;
    do sequence = (sequence + 1n) & SEQUENCE_MASK;
    while ((sequence & 0xffn) === 0n);
    usedThisMs++;
    return ((ms << (NODE_BITS + SEQUENCE_BITS)) | (BigInt(node) << SEQUENCE_BITS) | sequence).toString();
  };
}
