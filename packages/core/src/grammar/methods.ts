// The table of the wire grammar: each method, the fields of its neutral request, the dialects
// that have it, how its params are laid out per dialect and the forms its result takes. The
// codec's validator and encoder, the zod schemas and the dev mesh's request reader are all built
// from it: a protocol change is one edit here.
// This module must stay free of zod: the client bundle imports it.
import { callArgsIssue } from './callArgs.ts';
import type { Dialect } from './dialect.ts';
import { FIELDS, type Field, type FieldName } from './fields.ts';
import type { JsonValueIssue } from './jsonValue.ts';
import { RESULT_FORMS, type DeliveryResult, type ResultForm, type SuccessResult } from './results.ts';

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
export const METHOD_NAMES = Object.keys(METHODS) as Method[];

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

/** A neutral request as the grammar sees it: a method and its fields by name. */
type NeutralRequest = { readonly method: Method } & Readonly<Partial<Record<FieldName, unknown>>>;

/** The `p` of a (valid) request in `dialect`; a field the dialect lacks, or left out, is not written. */
export function paramsOf(request: NeutralRequest, dialect: Dialect): unknown {
  const { fields, listParams }: MethodGrammar = METHODS[request.method];
  const wrapped = dialect === 'v1.0.2';
  if (wrapped && listParams !== undefined) return request[listParams];
  const params: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i]!;
    const value = request[field];
    if (value !== undefined && fieldInDialect(field, dialect)) params[FIELDS[field].wire] = value;
  }
  if (!wrapped) return params;
  return fields.length === 0 ? [] : [params];
}

/** What a response's `r` means for `method`: the first of its result forms that `r` has, if any. */
export function resultOf(
  method: Method,
  r: Readonly<Record<string, unknown>>,
): SuccessResult | DeliveryResult | undefined {
  const forms: readonly ResultForm[] = METHODS[method].result;
  for (let i = 0; i < forms.length; i += 1) {
    const result = RESULT_FORMS[forms[i]!](r);
    if (result !== undefined) return result;
  }
  return undefined;
}
