// The table of the wire grammar: each method, the fields of its neutral request, the dialects
// that have it, how its params are laid out per dialect and the forms its result takes. The
// codec's validator and encoder, the zod schemas and the dev mesh's request reader are all built
// from it: a protocol change is one edit here.
// This module must stay free of zod: the client bundle imports it.
import { callArgsIssue } from './callArgs.ts';
import { DIALECT_NAMES, type Dialect } from './dialect.ts';
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

/** How one method's params are laid out in one dialect. */
export interface ParamsLayout {
  /** The params are this list field itself (v1.0.2 `queue.pop`). */
  readonly list: FieldName | undefined;
  /** v1.0.2: the params object is wrapped in an array, `[]` when the method has no field. */
  readonly wrapped: boolean;
  /** Each field the dialect has, and its wire key, in writing order. */
  readonly pairs: ReadonlyArray<readonly [field: FieldName, wire: string]>;
}

function layoutOf(method: Method, dialect: Dialect): ParamsLayout {
  const grammar: MethodGrammar = METHODS[method];
  const fields = grammar.fields.filter((field) => fieldInDialect(field, dialect));
  const v102 = dialect === 'v1.0.2';
  return {
    list: v102 ? grammar.listParams : undefined,
    wrapped: v102,
    pairs: fields.map((field) => [field, FIELDS[field].wire] as const),
  };
}

export const LAYOUTS = Object.fromEntries(
  DIALECT_NAMES.map((dialect) => [
    dialect,
    Object.fromEntries(METHOD_NAMES.map((method) => [method, layoutOf(method, dialect)])),
  ]),
) as Record<Dialect, Record<Method, ParamsLayout>>;

/** A neutral request as the grammar sees it: a method and its fields by name. */
type NeutralRequest = { readonly method: Method } & Readonly<Partial<Record<FieldName, unknown>>>;

/** The `p` of a (valid) request in `dialect`; a field the dialect lacks, or left out, is not written. */
export function paramsOf(request: NeutralRequest, dialect: Dialect): unknown {
  return paramsIn(request, LAYOUTS[dialect][request.method]);
}

/** `paramsOf` with the layout already looked up (the encoder keeps its dialect's layouts at hand). */
export function paramsIn(request: NeutralRequest, layout: ParamsLayout): unknown {
  if (layout.list !== undefined) return request[layout.list];
  const { pairs } = layout;
  if (layout.wrapped && pairs.length === 0) return [];
  const params: Record<string, unknown> = {};
  for (let i = 0; i < pairs.length; i += 1) {
    const [field, wire] = pairs[i]!;
    const value = request[field];
    if (value !== undefined) params[wire] = value;
  }
  return layout.wrapped ? [params] : params;
}

/**
 * The neutral request a params object means in `dialect` (the inverse of `paramsOf` once the
 * layout is unwrapped): wire keys become field names; a key the dialect lacks is not read.
 */
export function requestOf(method: Method, params: Record<string, unknown>, dialect: Dialect) {
  const request: Record<string, unknown> = { method };
  for (const [field, wire] of LAYOUTS[dialect][method].pairs) {
    if (params[wire] !== undefined) request[field] = params[wire];
  }
  return request;
}
