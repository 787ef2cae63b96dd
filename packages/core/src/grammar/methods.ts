// The table of the wire grammar: each method, the fields of its neutral request, the dialects
// that have it, how its params are laid out (with `FIELDS` and `./layouts.ts`) and the forms its
// result takes. The zod schemas (and so the JSON Schema) and the dev mesh's request reader are
// built from it. The codec spells the same out by hand on its hot path, which keeps the browser
// bundle at its size (the table-driven codec cost about 300 B min+gzip): the property tests hold
// the codec equal to the schemas built from this table.
// This module must stay free of zod: the client bundle imports it.
import { callArgsIssue } from './callArgs.ts';
import type { Dialect } from './dialect.ts';
import { FIELDS, type Field, type FieldName } from './fields.ts';
import type { JsonValueIssue } from './jsonValue.ts';
import type { ResultForm } from './results.ts';

export interface MethodGrammar {
  /** The fields of the neutral request, in the order they are checked and written. */
  readonly fields: readonly FieldName[];
  /** The dialects that have the method (all when absent). */
  readonly dialects?: readonly Dialect[];
  /** v1.0.2 writes this list field as the params themselves (`"p": ["a", "b"]`). */
  readonly listParams?: FieldName;
  /** What the request must be beyond its fields (checked once they are valid), or undefined. */
  readonly refine?: (request: Record<string, unknown>) => JsonValueIssue | undefined;
  /** The shapes its `r` may take, tried in order (`normalizeResult`, `MethodResultSchemas`). */
  readonly result: readonly ResultForm[];
}

export const METHODS = {
  'server.ping': { fields: [], dialects: ['v1.0.2'], result: ['ping'] },
  'queue.pop': { fields: ['topics'], listParams: 'topics', result: ['flag'] },
  'queue.unpop': { fields: [], result: ['flag'] },
  'conn.call': { fields: ['clientId', 'func', 'args'], refine: callArgsIssue, result: ['flag'] },
  'mesh.send': { fields: ['clientId', 'data', 'type'], result: ['counted', 'sendFlag'] },
  'mesh.publish': { fields: ['channel', 'data', 'type'], result: ['counted', 'publishCounts'] },
} as const satisfies Record<string, MethodGrammar>;

export type Method = keyof typeof METHODS;
export const METHOD_NAMES = /* @__PURE__ */ Object.keys(METHODS) as Method[];

/** Own keys only: `toString` is no method. */
export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}

export function methodInDialect(method: Method, dialect: Dialect): boolean {
  const { dialects } = METHODS[method] as MethodGrammar;
  return dialects === undefined || dialects.includes(dialect);
}

export function fieldInDialect(field: FieldName, dialect: Dialect): boolean {
  const { dialects } = FIELDS[field] as Field;
  return dialects === undefined || dialects.includes(dialect);
}
