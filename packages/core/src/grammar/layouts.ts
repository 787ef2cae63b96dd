// How each method's params are laid out in each dialect, from the grammar table, and the neutral
// request a params object means: for the readers of requests (the zod wire schemas, the dev mesh).
// The codec writes params from the table itself (`paramsOf`), so the client bundle leaves this out.
import { DIALECT_NAMES, type Dialect } from './dialect.ts';
import { FIELDS, type FieldName } from './fields.ts';
import { fieldInDialect, METHOD_NAMES, METHODS, type Method, type MethodGrammar } from './methods.ts';

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

/** Every layout, for the readers of requests (the zod wire schemas, the dev mesh). */
export const LAYOUTS = /* @__PURE__ */ layoutsOf();

function layoutsOf(): Record<Dialect, Record<Method, ParamsLayout>> {
  const layouts = (dialect: Dialect) =>
    Object.fromEntries(METHOD_NAMES.map((method) => [method, layoutOf(method, dialect)]));
  return Object.fromEntries(DIALECT_NAMES.map((dialect) => [dialect, layouts(dialect)])) as never;
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
