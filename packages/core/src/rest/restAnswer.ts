import { normalizeResult } from '../codec/normalizeResult.ts';
import { isPlainObject } from '../grammar/values.ts';
import { ConnmixError, ProtocolError, ServerError } from '../errors/errors.ts';
import type { DeliveryResult } from '../schema/results.ts';

/**
 * The meaning of a REST answer: `{"E":null,"r":{...}}` is the delivery counts (either dialect's
 * shape of `r`), `{"E":{"c":401,"m":"..."}}` a `ServerError`, whatever the HTTP status. An HTTP
 * error without such a body (401 from access control, 404 on an engine without REST) is a
 * `ConnmixError` naming the status; anything else is a `ProtocolError`.
 */
export function readRestAnswer(
  method: 'mesh.send' | 'mesh.publish',
  request: string,
  status: number,
  text: string,
): DeliveryResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isPlainObject(body) && 'E' in body) {
    const error = body['E'];
    if (isPlainObject(error) && typeof error['c'] === 'number') {
      const message = error['m'];
      throw new ServerError({
        code: error['c'],
        method,
        serverMessage: typeof message === 'string' ? message : '',
      });
    }
    if (error === null && status >= 200 && status < 300) return normalizeResult(method, body['r']);
  }
  if (status < 200 || status >= 300) {
    const reason = isPlainObject(body) && typeof body['error'] === 'string' ? body['error'] : text;
    throw new ConnmixError(`${request} answered HTTP ${status}: ${reason.slice(0, 200) || '(empty body)'}`);
  }
  throw new ProtocolError(`${method}: the REST answer is not {"E":null,"r":...}`, text);
}
