import { ProtocolError, ValidationError } from '../errors/errors.ts';
import type { Method } from '../schema/requests.ts';
import type { MethodResult, MethodResults } from '../schema/results.ts';
import { deliveryResult as delivered } from '../grammar/results.ts';
import { isNatural as isCount, isPlainObject } from '../grammar/values.ts';

/**
 * Normalizes a response's `r` for its method, accepting the shape of either dialect: the result
 * forms of the grammar table (`../grammar/results.ts`) spelled out per method for the hot path.
 * `MethodResultSchemas` is built from the table (proven equal by a property test). Throws
 * `ProtocolError` on a bad `r`.
 */
export function normalizeResult<M extends Method>(method: M, r: unknown): MethodResults[M];
export function normalizeResult(method: Method, r: unknown): MethodResult {
  if (typeof method !== 'string' || !RESULT_METHODS.has(method)) {
    throw new ValidationError('result() arguments', [
      { path: ['method'], message: `unknown method ${JSON.stringify(method) ?? String(method)}` },
    ]);
  }
  if (!isPlainObject(r)) return bad(method, r);
  const { s, f, t } = r;
  switch (method) {
    case 'server.ping':
      return typeof s === 'string' ? { success: s === 'server.pong' } : bad(method, r);
    case 'queue.pop':
    case 'queue.unpop':
    case 'conn.call':
      return typeof s === 'boolean' ? { success: s } : bad(method, r);
    case 'mesh.send':
    case 'mesh.publish': {
      if (typeof s === 'boolean' && isCount(f) && isCount(t) && f <= t) return delivered(t - f, f);
      if (method === 'mesh.send' && typeof s === 'boolean') return s ? delivered(1, 0) : delivered(0, 1);
      if (method === 'mesh.publish' && isCount(s) && isCount(f)) return delivered(s, f);
      return bad(method, r);
    }
  }
}

/** A function of its own, not a closure made for every answer. */
function bad(method: Method, r: unknown): never {
  throw new ProtocolError(`unexpected result for ${method}`, r);
}

const RESULT_METHODS: ReadonlySet<string> = new Set<Method>([
  'server.ping',
  'queue.pop',
  'queue.unpop',
  'conn.call',
  'mesh.send',
  'mesh.publish',
]);
