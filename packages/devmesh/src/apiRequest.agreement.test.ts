// The three readings of the wire grammar agree: the codec (which writes requests), the zod wire
// schemas of `@connmix/core/schema` (which read them strictly) and the dev mesh's tolerant reader,
// over the same generated frames. fast-check runs on the seed printed at the start of the run
// (FC_SEED=<seed> replays it).
import { createCodec, type Dialect } from '@connmix/core';
import { WireRequest } from '@connmix/core/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialects, requestId, validRequest, wireRequestLike } from '../../core/test/arbitraries.ts';
import { parseApiFrame } from './apiRequest.ts';

/** Frames as the codec writes them (valid), and near-valid ones, as parsed JSON. */
const frames = (dialect: Dialect) =>
  fc.oneof(
    fc
      .tuple(validRequest(dialect), requestId)
      .map(([request, id]) => JSON.parse(createCodec({ dialect }).encode({ ...request, id })) as unknown),
    wireRequestLike,
  );

/** Binary data the engine refuses, though the SDK's schema (which does not decode base64) lets it by. */
const isUndecodableBinary = (value: unknown) => {
  const p = (value as { p?: unknown }).p;
  const params = (Array.isArray(p) ? p[0] : p) as { t?: unknown; d?: unknown } | undefined;
  return (
    params?.t === 'binary' &&
    !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(String(params.d))
  );
};

describe.each(dialects)('codec, zod wire schema and dev mesh reader agree (%s)', (dialect) => {
  const codec = createCodec({ dialect });

  it('the dev mesh reads every frame the wire schema accepts, to the same request', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frames(dialect), (value) => {
        const byZod = WireRequest[dialect].safeParse(value);
        if (!byZod.success || isUndecodableBinary(value)) return;
        accepted += 1;
        const { id, ...request } = byZod.data;
        expect(parseApiFrame(JSON.stringify(value), dialect)).toEqual({ kind: 'request', id, request });
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the frames are requests.
    expect(accepted).toBeGreaterThan(300);
  });

  it('what the dev mesh accepts, the codec writes, and the wire schema and the dev mesh read it back', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frames(dialect), (value) => {
        const read = parseApiFrame(JSON.stringify(value), dialect);
        if (read.kind !== 'request') return;
        accepted += 1;
        const written = codec.encode({ ...read.request, id: read.id });
        expect(WireRequest[dialect].parse(JSON.parse(written))).toEqual({ ...read.request, id: read.id });
        expect(parseApiFrame(written, dialect)).toEqual(read);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the frames are requests.
    expect(accepted).toBeGreaterThan(300);
  });
});
