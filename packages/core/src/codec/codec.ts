import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { Incoming } from '../schema/incoming.ts';
import type { Dialect } from '../schema/primitives.ts';
import type { IdentifiedRequest, Method, OutgoingRequest } from '../schema/requests.ts';
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

/** Where a codec made by `createCodec` keeps its encoder that takes the id apart from the request. */
const ENCODE_WITH_ID = Symbol();

type EncodeWithId = (request: OutgoingRequest, id: unknown) => string;

/**
 * `codec.encode({ ...request, id })` without the copy of the request, which was a large part of a
 * call's cost; a codec not made by `createCodec` gets the copy.
 */
export function encodeWithId(codec: Codec, request: OutgoingRequest, id: number): string {
  const own = (codec as { [ENCODE_WITH_ID]?: EncodeWithId })[ENCODE_WITH_ID];
  return own ? own(request, id) : codec.encode({ ...request, id });
}

/** The wire codec of one dialect. Stateless: one codec can serve any number of connections. */
export function createCodec(options: CodecOptions = {}): Codec {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const issue = dialectIssue(dialect);
  if (issue) throw new ValidationError('codec options', [issue]);
  const rules = DIALECTS[dialect];
  const encode: EncodeWithId = (request, id) => {
    assertValidRequest(request);
    // What the dialect cannot say, on top of what any request must be.
    let problem: ValidationIssue | undefined;
    if (!isRequestId(id)) {
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
      return JSON.stringify({ m: request.method, p: rules.params(request), i: id });
    } catch (cause) {
      // Validated JSON can still be too deep for the platform's recursive JSON.stringify.
      throw new ValidationError(
        `${request.method} request`,
        [{ path: ['args'], message: 'the arguments are nested too deeply to be written as JSON' }],
        { cause },
      );
    }
  };
  return {
    dialect,
    // `request?.id`: a null request is refused by the validator, as a ValidationError.
    encode: (request) => encode(request, request?.id),
    decode: decodeFrame,
    result: normalizeResult,
    [ENCODE_WITH_ID]: encode,
  } as Codec;
}
