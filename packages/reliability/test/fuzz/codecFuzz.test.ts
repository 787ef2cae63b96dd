// Seeded generated and mutated frames through the codec: a valid frame decodes to exactly what it
// means (also re-spaced), anything else decodes or throws ProtocolError, never another error, and
// no frame reaches Object.prototype.
import { isDeepStrictEqual } from 'node:util';
import { createCodec, ProtocolError } from '@connmix/core';
import { describe, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { mutate, respace, validFrame } from '../../src/frames.ts';
import { Random, runSeed } from '../../src/seed.ts';

const FRAMES = count(20_000, 1_000_000);
const seed = runSeed();

function prototypeIsClean(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    probe['polluted'] === undefined &&
    Object.getOwnPropertyNames(Object.prototype).every((key) => key !== 'polluted')
  );
}

describe(`codec fuzz (seed ${seed})`, () => {
  it(
    `${FRAMES} generated and mutated frames: exact or ProtocolError, nothing polluted`,
    () => {
      const random = new Random(seed);
      const codec = createCodec({ dialect: random.chance(0.5) ? 'v1.0.2' : 'v1.0.3' });
      const tally = {
        valid: 0,
        respaced: 0,
        mutated: 0,
        mutatedDecoded: 0,
        mutatedRejected: 0,
        notJsonRejected: 0,
      };
      const decodeOrError = (frame: string) => {
        try {
          return { value: codec.decode(frame) };
        } catch (error) {
          return { error };
        }
      };
      for (let n = 0; n < FRAMES;) {
        const generated = validFrame(random);
        const spaced = respace(random, generated.frame);
        for (const frame of [generated.frame, spaced]) {
          const outcome = decodeOrError(frame);
          if (!('value' in outcome) || !isDeepStrictEqual(outcome.value, generated.expected)) {
            expect({ frame, outcome }, `seed ${seed}, frame ${n}`).toEqual({
              frame,
              outcome: { value: generated.expected },
            });
          }
          n++;
        }
        tally.valid++;
        if (spaced !== generated.frame) tally.respaced++;
        for (let m = 0; m < 3; m++, n++) {
          const frame = mutate(random, m === 0 ? generated.frame : mutate(random, generated.frame));
          const outcome = decodeOrError(frame);
          tally.mutated++;
          if ('value' in outcome) {
            tally.mutatedDecoded++;
            continue;
          }
          if (!(outcome.error instanceof ProtocolError)) {
            expect.fail(`seed ${seed}, frame ${n}: ${JSON.stringify(frame)} threw ${String(outcome.error)}`);
          }
          tally.mutatedRejected++;
          let json = true;
          try {
            JSON.parse(frame);
          } catch {
            json = false;
          }
          if (!json) tally.notJsonRejected++;
        }
        if ('polluted' in {}) expect.fail(`seed ${seed}: Object.prototype polluted by frame ${n}`);
      }
      expect(prototypeIsClean()).toBe(true);
      expect(tally.mutatedDecoded).toBeGreaterThan(0);
      expect(tally.mutatedRejected).toBeGreaterThan(0);
      recordFigures('codec-fuzz', { seed, dialect: codec.dialect, frames: FRAMES, ...tally });
    },
    timeoutFor(30_000, 600_000),
  );

  it('a queue event with a bare 64-bit id and 10,000-level or 8 MiB data decodes exactly', () => {
    const codec = createCodec();
    const clientId = '1627581697287520263';
    const depth = 10_000;
    const long = 'x'.repeat(8 * 2 ** 20);
    const deepFrame = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const data of [deepFrame, JSON.stringify(long)]) {
      const frame = `{"e":"queue.pop","p":{"c":${clientId},"t":"foo","d":${data}},"id":null}`;
      const decoded = codec.decode(frame);
      expect(decoded.kind === 'event' && 'message' in decoded).toBe(true);
      const { data: decodedData, ...rest } = (decoded as { message: { data: unknown } }).message;
      expect(rest).toEqual({ clientId, topic: 'foo' });
      // Walked by hand: JSON.stringify and a deep-equal recurse, and overflow at this depth.
      if (data === deepFrame) expect(nestedArrayDepth(decodedData)).toBe(depth);
      else expect(decodedData === long).toBe(true);
    }
  });
});

/** How many arrays are nested, each the only element of the one around it; -1 if not that shape. */
function nestedArrayDepth(value: unknown): number {
  let depth = 0;
  let current = value;
  while (Array.isArray(current)) {
    depth++;
    if (current.length === 0) return depth;
    if (current.length !== 1) return -1;
    current = current[0];
  }
  return -1;
}
