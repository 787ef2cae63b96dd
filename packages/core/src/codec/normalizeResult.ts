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
  if (isPlainObject(r)) {
    const { s, f, t } = r;
    switch (method) {
      case 'server.ping':
        if (typeof s === 'string') return { success: s === 'server.pong' };
        break;
      case 'queue.pop':
      case 'queue.unpop':
      case 'conn.call':
        if (typeof s === 'boolean') return { success: s };
        break;
      case 'mesh.send':
      case 'mesh.publish':
        if (typeof s === 'boolean' && isCount(f) && isCount(t) && f <= t) return delivered(t - f, f);
        if (method === 'mesh.send' && typeof s === 'boolean') return s ? delivered(1, 0) : delivered(0, 1);
        if (method === 'mesh.publish' && isCount(s) && isCount(f)) return delivered(s, f);
    }
  }
  // Every shape that is no result of its method ends here: no closure is made for every answer.
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
