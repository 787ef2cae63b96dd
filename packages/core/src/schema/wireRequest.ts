import * as z from 'zod';
import type { Dialect } from '../grammar/dialect.ts';
import { FIELDS } from '../grammar/fields.ts';
import { LAYOUTS, requestOf } from '../grammar/layouts.ts';
import { METHOD_NAMES, methodInDialect, type Method } from '../grammar/methods.ts';
import { CALL_ARGS_RULES_JSON } from './jsonSchemaForms.ts';
import { RequestId } from './primitives.ts';
import { FIELD_SCHEMAS, OutgoingRequest, type IdentifiedRequest } from './requests.ts';

// Requests as the SDK writes them on the wire, per dialect, and the neutral request each one
// means: the layouts of the grammar table (`../grammar/methods.ts`) with the zod field rules. For
// services that inspect connmix traffic, and the other half of the codec's round trip.

/**
 * The params object of `method` in `dialect`: each field under its wire key. A method's own rule
 * (`conn.call`'s arguments) runs on the neutral request, after a transform, where JSON Schema
 * cannot see it: it is restated for JSON Schema here.
 */
function paramsObject(method: Method, dialect: Dialect) {
  const shape: Record<string, z.ZodType> = {};
  for (const [field, wire] of LAYOUTS[dialect][method].pairs) shape[wire] = FIELD_SCHEMAS[field];
  const params = z.object(shape);
  return method === 'conn.call' ? params.meta({ allOf: CALL_ARGS_RULES_JSON }) : params;
}

/** The `p` of `method` in `dialect`, and how to read its params object back out of it. */
function paramsOf(method: Method, dialect: Dialect): [z.ZodType, (p: unknown) => Record<string, unknown>] {
  const layout = LAYOUTS[dialect][method];
  if (layout.list !== undefined) {
    const list = layout.list;
    return [FIELD_SCHEMAS[list], (p) => ({ [FIELDS[list].wire]: p })];
  }
  if (!layout.wrapped) return [paramsObject(method, dialect), (p) => p as Record<string, unknown>];
  if (layout.pairs.length === 0) return [z.tuple([]), () => ({})];
  return [z.tuple([paramsObject(method, dialect)]), (p) => (p as [Record<string, unknown>])[0]];
}

/** One request frame `{m, p, i}`, to the neutral request it means, held to the method's own rule. */
function wireRequest(method: Method, dialect: Dialect) {
  const [params, unwrap] = paramsOf(method, dialect);
  return z
    .object({ m: z.literal(method), p: params, i: RequestId })
    .transform(({ p, i }, ctx): IdentifiedRequest => {
      const checked = OutgoingRequest.safeParse(requestOf(method, unwrap(p), dialect));
      if (checked.success) return { id: i, ...checked.data };
      for (const issue of checked.error.issues)
        ctx.addIssue({ code: 'custom', path: ['p', ...issue.path], message: issue.message });
      return z.NEVER;
    });
}

function wireRequests(dialect: Dialect) {
  const options = METHOD_NAMES.filter((method) => methodInDialect(method, dialect)).map((method) =>
    wireRequest(method, dialect),
  );
  return z.union(options as [(typeof options)[number], ...typeof options]);
}

export const WireRequestV102 = /* @__PURE__ */ wireRequests('v1.0.2');
export const WireRequestV103 = /* @__PURE__ */ wireRequests('v1.0.3');

/** The wire request schema of each dialect. */
export const WireRequest = { 'v1.0.2': WireRequestV102, 'v1.0.3': WireRequestV103 } as const;
