import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCodec } from '../src/index.ts';
import { incoming, toWire } from './arbitraries.ts';

describe('toWire, the test helper that writes frames as an engine would', () => {
  it('writes a bare id only where it is a valid JSON number', () => {
    const message = {
      kind: 'event' as const,
      event: 'queue.pop' as const,
      message: { node: '00', clientId: '0', topic: 't', data: null },
    };
    const frame = toWire(message, { bareIds: true, idKey: 'i' });
    expect(frame).toBe('{"e":"queue.pop","p":{"n":"00","c":0,"t":"t","d":null},"id":null}');
    expect(createCodec().decode(frame)).toStrictEqual(message);
  });

  it('round-trips with the seed that once produced the node id "00"', () => {
    const codec = createCodec({ dialect: 'v1.0.2' });
    fc.assert(
      fc.property(
        incoming,
        fc.boolean(),
        fc.constantFrom('i' as const, 'id' as const),
        (message, bareIds, idKey) => {
          expect(codec.decode(toWire(message, { bareIds, idKey }))).toStrictEqual(message);
        },
      ),
      { seed: 2111364731 },
    );
  });
});
