// Decode: codec.decode next to bare JSON.parse on the frames the engine sends, in frames per
// second, in this process. The bare 64-bit id takes the exact (slow) path on purpose.
import { createCodec } from '@connmix/core';
import { QUEUE_EVENT } from './frames.ts';
import { interleaved, type Figure } from './stats.ts';

const codec = createCodec();

const withData = (bytes: number) =>
  QUEUE_EVENT.replace('hello there, everyone', 'x'.repeat(Math.max(0, bytes - QUEUE_EVENT.length)));

export const FRAMES: Record<string, string> = {
  'queue event ~200 B': QUEUE_EVENT,
  'queue event 2 KiB': withData(2_048),
  'queue event 32 KiB': withData(32_768),
  response: '{"E":null,"r":{"s":true,"f":0,"t":9},"i":12345}',
  error: '{"E":{"c":102,"m":"no such method"},"i":12345}',
  'queue event, bare 64-bit id': QUEUE_EVENT.replace('"c":"1627581697287520263"', '"c":1627581697287520263'),
};

/** Calls `work` in batches for about `ms` milliseconds; returns calls per second. */
function rate(work: () => unknown, ms: number): Promise<number> {
  let calls = 0;
  const begin = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i += 1) work();
    calls += 100;
    elapsed = performance.now() - begin;
  }
  return Promise.resolve(calls / (elapsed / 1000));
}

export async function benchDecode(ms: number, rounds: number): Promise<Map<string, Map<string, Figure>>> {
  const out = new Map<string, Map<string, Figure>>();
  for (const [name, frame] of Object.entries(FRAMES)) {
    out.set(
      `${name} (${frame.length} B)`,
      await interleaved(
        [
          { name: 'JSON.parse', measure: () => rate(() => JSON.parse(frame), ms) },
          { name: 'codec.decode', measure: () => rate(() => codec.decode(frame), ms) },
        ],
        rounds,
      ),
    );
  }
  return out;
}
