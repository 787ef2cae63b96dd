import { ProtocolError, ValidationError } from '../errors/errors.ts';
import { isMethod, resultOf } from '../grammar/methods.ts';
import { isPlainObject } from '../grammar/values.ts';
import type { Method } from '../schema/requests.ts';
import type { MethodResult, MethodResults } from '../schema/results.ts';

/**
 * Normalizes a response's `r` for its method: the first of the method's result forms (in the
 * grammar table) that `r` has, so the shape of either dialect is accepted. `MethodResultSchemas`
 * is built from the same table (proven equal by a property test). Throws `ProtocolError` on a bad `r`.
 */
export function normalizeResult<M extends Method>(method: M, r: unknown): MethodResults[M];
export function normalizeResult(method: Method, r: unknown): MethodResult {
  if (!isMethod(method)) {
    throw new ValidationError('result() arguments', [
      { path: ['method'], message: `unknown method ${JSON.stringify(method) ?? String(method)}` },
    ]);
  }
  const result = isPlainObject(r) ? resultOf(method, r) : undefined;
  if (result !== undefined) return result;
  throw new ProtocolError(`unexpected result for ${method}`, r);
}
