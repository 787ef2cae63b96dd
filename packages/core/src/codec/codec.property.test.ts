import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientId,
  dialects,
  frameLike,
  incoming,
  methods,
  requestId,
  requestLike,
  resultLike,
  toWire,
  validRequest,
} from '../../test/arbitraries.ts';
import { ProtocolError, ValidationError } from '../errors/errors.ts';
import { OutgoingRequest } from '../schema/requests.ts';
import { MethodResultSchemas } from '../schema/results.ts';
import { WireFrame } from '../schema/wire.ts';
import { WireRequest } from '../schema/wireRequest.ts';
import { createCodec } from './codec.ts';
import { decodeValue } from './decodeFrame.ts';
import { normalizeResult } from './normalizeResult.ts';
import { requestIssues } from './validateRequest.ts';

/** Runs `fn` and returns what it returned or threw, so two implementations can be compared. */
function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe.each(dialects)('codec round trips (%s)', (dialect) => {
  const codec = createCodec({ dialect });

  it('a request encodes to the wire form its dialect documents, and back', () => {
    fc.assert(
      fc.property(validRequest(dialect), requestId, (request, id) => {
        const wire: unknown = JSON.parse(codec.encode({ ...request, id }));
        // v1.0.2 has no message type on the wire: text is implied.
        const expected =
          dialect === 'v1.0.2' && 'type' in request ? { ...request, type: undefined } : { ...request };
        expect(WireRequest[dialect].parse(wire)).toEqual({ ...expected, id });
      }),
    );
  });

  it('every frame the engine may send decodes to what it means, ids exact', () => {
    fc.assert(
      fc.property(
        incoming,
        fc.boolean(),
        fc.constantFrom('i' as const, 'id' as const),
        (message, bareIds, idKey) => {
          expect(codec.decode(toWire(message, { bareIds, idKey }))).toStrictEqual(message);
        },
      ),
    );
  });
});

describe('decode never throws anything but ProtocolError', () => {
  const codec = createCodec();
  const isValueOrProtocolError = (frame: string) => {
    const result = outcome(() => codec.decode(frame));
    if (!result.ok) expect(result.error).toBeInstanceOf(ProtocolError);
  };

  it('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), isValueOrProtocolError));
  });

  it('on valid frames cut short or with one character changed', () => {
    const frame = fc
      .tuple(incoming, fc.boolean())
      .map(([message, bareIds]) => toWire(message, { bareIds, idKey: 'i' }));
    fc.assert(
      fc.property(frame, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (text, at, char) => {
        const cut = at % (text.length + 1);
        isValueOrProtocolError(text.slice(0, cut));
        isValueOrProtocolError(text.slice(0, cut) + char + text.slice(cut + 1));
      }),
    );
  });

  it('on any JSON document', () => {
    fc.assert(fc.property(fc.json(), isValueOrProtocolError));
  });
});

describe('the hand-written hot path agrees with the zod schemas', () => {
  it('decode accepts, rejects and produces exactly what WireFrame does', () => {
    fc.assert(
      fc.property(frameLike, (value) => {
        const byHand = outcome(() => decodeValue(value));
        const byZod = WireFrame.safeParse(value);
        expect(byHand.ok).toBe(byZod.success);
        if (byHand.ok && byZod.success) expect(byHand.value).toStrictEqual(byZod.data);
        if (!byHand.ok) expect(byHand.error).toBeInstanceOf(ProtocolError);
      }),
      { numRuns: 5000 },
    );
  });

  it('the request validator accepts exactly what OutgoingRequest does', () => {
    fc.assert(
      fc.property(requestLike, (request) => {
        expect(requestIssues(request).length === 0).toBe(OutgoingRequest.safeParse(request).success);
      }),
      { numRuns: 5000 },
    );
  });

  it('result normalization accepts and produces exactly what MethodResultSchemas does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...methods), resultLike, (method, r) => {
        const byHand = outcome(() => normalizeResult(method, r));
        const byZod = MethodResultSchemas[method].safeParse(r);
        expect(byHand.ok).toBe(byZod.success);
        if (byHand.ok && byZod.success) expect(byHand.value).toStrictEqual(byZod.data);
        if (!byHand.ok) expect(byHand.error).toBeInstanceOf(ProtocolError);
      }),
      { numRuns: 3000 },
    );
  });

  it('encode rejects with ValidationError exactly the requests the schema rejects', () => {
    const codec = createCodec({ dialect: 'v1.0.3' });
    fc.assert(
      fc.property(requestLike, requestId, (request, id) => {
        const encoded = outcome(() => codec.encode({ ...(request as object), id } as never));
        const valid = OutgoingRequest.safeParse(request).success;
        const isPing = (request as { method?: unknown } | null)?.method === 'server.ping';
        expect(encoded.ok).toBe(valid && !isPing);
        if (!encoded.ok) expect(encoded.error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('client ids', () => {
  it('reach the user as the exact decimal string, never through a number', () => {
    const codec = createCodec({ dialect: 'v1.0.3' });
    fc.assert(
      fc.property(clientId, clientId, (c, n) => {
        const frame = `{"e":"queue.pop","p":{"n":${n},"c":${c},"t":"foo","d":null},"id":null}`;
        expect(codec.decode(frame)).toStrictEqual({
          kind: 'event',
          event: 'queue.pop',
          message: { node: n, clientId: c, topic: 'foo', data: null },
        });
      }),
    );
  });
});
