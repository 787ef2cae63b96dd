import { createCodec, ValidationError, type Dialect, type OutgoingRequest } from '@connmix/node';

/** Standard base64 (RFC 4648 section 4), padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The data of `send` or `publish`: the text as given, or with `--binary` the bytes its base64 holds. */
export function messageData(text: string, binary: boolean): string | Uint8Array {
  if (!binary) return text;
  if (!BASE64.test(text)) {
    throw new ValidationError('--binary data', [
      { path: ['data'], message: 'with --binary, data is standard base64 (A-Z a-z 0-9 + /, padded with =)' },
    ]);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Checks a request as the codec of `dialect` will, before anything connects: a bad client id,
 * channel or call, or binary data in v1.0.2, is a `ValidationError` up front.
 */
export function assertEncodable(dialect: Dialect, request: OutgoingRequest): void {
  createCodec({ dialect }).encode({ ...request, id: 1 });
}
