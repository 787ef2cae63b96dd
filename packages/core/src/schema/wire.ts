import * as z from 'zod';
import { isPlainObject } from '../grammar/values.ts';
import type { Incoming } from './incoming.ts';
import {
  NOT_A_STRING_JSON,
  OTHER_EVENT_NAME_JSON,
  requestIdRuleJson,
  WIRE_CLIENT_ID_JSON,
  WIRE_NODE_ID_JSON,
  WIRE_RESPONSE_JSON,
} from './jsonSchemaForms.ts';
import { ClientId, RequestId } from './primitives.ts';

// Frames from the engine, as parsed JSON values, and the `Incoming` each one means. This is the
// declarative statement of what `codec.decode` does by hand; a property test holds them equal.

/** An id the engine wrote as a string or as a (safe, non-negative) JSON number. */
const WireId = z.union([z.string(), z.int().nonnegative().transform(String)]);

/** Any key but `e` as a string: a frame with a string `e` is an event or nothing. */
const NotAnEvent = z.custom<unknown>((e) => typeof e !== 'string').meta({ jsonSchema: NOT_A_STRING_JSON });

/** `i` is documented; the docs' own examples write `id`. */
const requestIdOf = (frame: { i?: unknown; id?: unknown }) => frame.i ?? frame.id ?? null;

export const WireQueueEvent = z
  .object({
    e: z.literal('queue.pop'),
    p: z.object({
      c: WireId.pipe(ClientId).meta({ jsonSchema: WIRE_CLIENT_ID_JSON }),
      t: z.string(),
      n: WireId.meta({ jsonSchema: WIRE_NODE_ID_JSON }).nullish(),
      d: z.unknown().optional(),
    }),
  })
  .transform(({ p }): Incoming => {
    const message = { clientId: p.c, topic: p.t, data: p.d ?? null };
    return { kind: 'event', event: 'queue.pop', message: p.n == null ? message : { node: p.n, ...message } };
  });

export const WireOtherEvent = z
  .object({
    e: z
      .string()
      .refine((e) => e !== 'queue.pop')
      .meta({ jsonSchema: OTHER_EVENT_NAME_JSON }),
    p: z.unknown().optional(),
  })
  .transform(({ e, p }): Incoming => ({ kind: 'event', event: e, payload: p ?? null }));

export const WireError = z
  .object({
    e: NotAnEvent.optional(),
    E: z.object({ c: z.int(), m: z.string().optional() }),
    i: z.unknown().optional(),
    id: z.unknown().optional(),
  })
  .transform(({ E, ...frame }) => ({ E, id: requestIdOf(frame) }))
  .pipe(z.object({ E: z.object({ c: z.int(), m: z.string().optional() }), id: RequestId.nullable() }))
  .transform(({ E, id }): Incoming => ({ kind: 'error', id, code: E.c, message: E.m ?? '' }))
  .meta({ allOf: [requestIdRuleJson(true)] });

export const WireResponse = z
  .custom<Record<string, unknown>>((frame) => isPlainObject(frame) && 'r' in frame)
  .pipe(
    z.object({
      e: NotAnEvent.optional(),
      E: z.null().optional(),
      r: z.unknown().optional(),
      i: z.unknown().optional(),
      id: z.unknown().optional(),
    }),
  )
  .transform((frame) => ({ id: requestIdOf(frame), result: frame.r }))
  .pipe(z.object({ id: RequestId, result: z.unknown() }))
  .transform(({ id, result }): Incoming => ({ kind: 'response', id, result }))
  .meta({ jsonSchema: WIRE_RESPONSE_JSON });

/** Any frame the engine may send (parsed), to its `Incoming`; the text frame `pong` aside. */
export const WireFrame = z.union([WireQueueEvent, WireOtherEvent, WireError, WireResponse]);
