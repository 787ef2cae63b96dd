// The JSON Schema (draft 2020-12) form of the checks zod cannot export: custom predicates,
// refinements, and checks that run after a transform (`z.toJSONSchema` exports the input side of a
// transform and drops the rest). Each is attached next to its check with `.meta()`: `jsonSchema`
// replaces what zod would write for that schema, and the other keys (`allOf`, `$comment`) are
// added to it. The JSON Schema build (`jsonSchema/generate.ts`) refuses a custom check without one.
// Plain data: this module must stay free of zod.
import { CHANNEL_PATTERN, CLIENT_ID_PATTERN } from '../grammar/fields.ts';

/** A request id: a non-negative safe integer (the grammar's `isNatural`). */
export const REQUEST_ID_JSON = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

/**
 * A client id on the wire: a string of 1 to 20 digits, or a bare JSON integer, which the codec
 * reads exactly from the text even above 2^53 (a validator that parses numbers as doubles
 * cannot tell the last digits apart, but accepts the same frames).
 */
export const WIRE_CLIENT_ID_JSON = {
  anyOf: [
    { type: 'string', pattern: CLIENT_ID_PATTERN.source },
    { type: 'integer', minimum: 0, maximum: 99_999_999_999_999_999_999 },
  ],
} as const;

/** A node id on the wire: any string, or a non-negative integer (read exactly, like client ids). */
export const WIRE_NODE_ID_JSON = { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }] } as const;

/** Any value but a string: a frame with a string `e` is an event. */
export const NOT_A_STRING_JSON = { not: { type: 'string' } } as const;

/** An event name other than `queue.pop` (a `queue.pop` event must have its own shape). */
export const OTHER_EVENT_NAME_JSON = { type: 'string', not: { const: 'queue.pop' } } as const;

/**
 * The request id of a frame is `i`, or `id` when `i` is missing or null (the docs' examples write
 * `id`): that one must be a request id, or also null when `nullable` (an error about no request).
 */
export function requestIdRuleJson(nullable: boolean) {
  const id = nullable ? { anyOf: [REQUEST_ID_JSON, { type: 'null' }] } : REQUEST_ID_JSON;
  return {
    if: { required: ['i'], properties: { i: { not: { type: 'null' } } } },
    then: { properties: { i: REQUEST_ID_JSON } },
    else: nullable ? { properties: { id } } : { required: ['id'], properties: { id } },
  };
}

/** A response frame: an object with `r`, no string `e`, `E` null if present, and a request id. */
export const WIRE_RESPONSE_JSON = {
  type: 'object',
  required: ['r'],
  properties: { e: NOT_A_STRING_JSON, E: { type: 'null' }, r: {} },
  ...requestIdRuleJson(false),
} as const;

/** The argument rules of the documented `conn.call` functions (other functions take any array). */
export const CALL_ARGS_RULES_JSON = [
  {
    if: { required: ['f'], properties: { f: { const: 'set_context_value' } } },
    then: {
      properties: { a: { minItems: 2, maxItems: 2, prefixItems: [{ type: 'string', minLength: 1 }, {}] } },
    },
  },
  {
    if: { required: ['f'], properties: { f: { const: 'set_context' } } },
    then: {
      properties: {
        a: { minItems: 1, maxItems: 1, prefixItems: [{ type: 'object' }] },
      },
    },
  },
  {
    if: { required: ['f'], properties: { f: { enum: ['subscribe', 'unsubscribe'] } } },
    then: { properties: { a: { minItems: 1, items: { type: 'string', pattern: CHANNEL_PATTERN.source } } } },
  },
] as const;

/** What JSON Schema cannot say about the v1.0.2 `mesh.*` result. */
export const COUNTED_RESULT_GAP =
  'f (failed) cannot exceed t (total): JSON Schema cannot compare two values; the SDK checks it';
