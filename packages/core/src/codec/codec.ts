import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { Incoming } from '../schema/incoming.ts';
import type { Dialect } from '../schema/primitives.ts';
import type { IdentifiedRequest, Method } from '../schema/requests.ts';
import type { MethodResults } from '../schema/results.ts';
import { decodeFrame } from './decodeFrame.ts';
import { dialectIssue, DIALECTS } from './dialects.ts';
import { normalizeResult } from './normalizeResult.ts';
import { isNatural as isRequestId } from '../grammar/values.ts';
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
  const issue = dialectIssue(dialect);
  if (issue) throw new ValidationError('codec options', [issue]);
  const rules = DIALECTS[dialect];
  return {
    dialect,
    encode(request) {
      assertValidRequest(request);
      // What the dialect cannot say, on top of what any request must be.
      let problem: ValidationIssue | undefined;
      if (!isRequestId(request.id)) {
        problem = { path: ['id'], message: 'a request id is a non-negative safe integer' };
      } else if (request.method === 'server.ping' && !rules.serverPing) {
        problem = {
          path: ['method'],
          message: `server.ping does not exist in ${dialect}; send the text frame 'ping'`,
        };
      } else if ('type' in request && request.type === 'binary' && !rules.binary) {
        problem = {
          path: ['type'],
          message: `binary messages need the v1.0.3 dialect; ${dialect} sends text only`,
        };
      }
      if (problem) throw new ValidationError(`${request.method} request`, [problem]);
      try {
        return JSON.stringify({ m: request.method, p: rules.params(request), i: request.id });
      } catch (cause) {
        // Validated JSON can still be too deep for the platform's recursive JSON.stringify.
        throw new ValidationError(
          `${request.method} request`,
          [{ path: ['args'], message: 'the arguments are nested too deeply to be written as JSON' }],
          { cause },
        );
      }
    },
    decode: decodeFrame,
    result: normalizeResult,
  };
}
