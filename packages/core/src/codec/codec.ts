import { ValidationError } from '../errors/errors.ts';
import type { Incoming } from '../schema/incoming.ts';
import type { Dialect } from '../schema/primitives.ts';
import type { IdentifiedRequest, Method } from '../schema/requests.ts';
import type { MethodResults } from '../schema/results.ts';
import { decodeFrame } from './decodeFrame.ts';
import { DIALECTS } from './dialects.ts';
import { normalizeResult } from './normalizeResult.ts';
import { assertValidRequest } from './validateRequest.ts';

export interface CodecOptions {
  /** Wire dialect of the engine. @default 'v1.0.2' */
  dialect?: Dialect | undefined;
}

export interface Codec {
  readonly dialect: Dialect;
  /** The JSON text of a request; throws `ValidationError` (and produces nothing) if it is invalid. */
  encode(request: IdentifiedRequest): string;
  /** The meaning of one frame from the engine; throws `ProtocolError` if it is not a valid frame. */
  decode(frame: string | Uint8Array): Incoming;
  /** A response's `r`, normalized for its method; throws `ProtocolError` if it has the wrong shape. */
  result<M extends Method>(method: M, r: unknown): MethodResults[M];
}

export const DEFAULT_DIALECT: Dialect = 'v1.0.2';

/** The wire codec of one dialect. Stateless: one codec can serve any number of connections. */
export function createCodec(options: CodecOptions = {}): Codec {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const rules = DIALECTS[dialect];
  if (!rules) {
    throw new ValidationError('codec options', [
      { path: ['dialect'], message: `unknown dialect ${JSON.stringify(dialect)}; use 'v1.0.2' or 'v1.0.3'` },
    ]);
  }
  return {
    dialect,
    encode(request) {
      assertValidRequest(request);
      const { id } = request as { id: unknown };
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
        throw new ValidationError(`${request.method} request`, [
          { path: ['id'], message: 'a request id is a non-negative safe integer' },
        ]);
      }
      if (request.method === 'server.ping' && !rules.serverPing) {
        throw new ValidationError('server.ping request', [
          {
            path: ['method'],
            message: `server.ping does not exist in ${dialect}; send the text frame 'ping'`,
          },
        ]);
      }
      if (
        (request.method === 'mesh.send' || request.method === 'mesh.publish') &&
        request.type === 'binary'
      ) {
        if (!rules.binary) {
          throw new ValidationError(`${request.method} request`, [
            {
              path: ['type'],
              message: `binary messages need the v1.0.3 dialect; ${dialect} sends text only`,
            },
          ]);
        }
      }
      return JSON.stringify({ m: request.method, p: rules.params(request), i: id });
    },
    decode: decodeFrame,
    result: normalizeResult,
  };
}
