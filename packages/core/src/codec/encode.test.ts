import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import type { IdentifiedRequest } from '../schema/requests.ts';
import { createCodec } from './codec.ts';

function validationError(dialect: 'v1.0.2' | 'v1.0.3', request: unknown): ValidationError {
  try {
    const frame = createCodec({ dialect }).encode(request as IdentifiedRequest);
    throw new Error(`encode produced ${frame}`);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

describe('encode rejects an invalid request before producing anything', () => {
  it.each([
    ['an empty topic list', 'v1.0.2', { id: 1, method: 'queue.pop', topics: [] }],
    ['a channel with a space', 'v1.0.2', { id: 1, method: 'mesh.publish', channel: 'room 1', data: 'x' }],
    [
      'a non-string client id',
      'v1.0.2',
      { id: 1, method: 'mesh.send', clientId: 1627581697287520263, data: 'x' },
    ],
    [
      'a client id that is not all digits',
      'v1.0.3',
      { id: 1, method: 'mesh.send', clientId: '12ab', data: 'x' },
    ],
    [
      'binary in v1.0.2',
      'v1.0.2',
      { id: 1, method: 'mesh.send', clientId: '1', data: 'aGk=', type: 'binary' },
    ],
    ['server.ping in v1.0.3', 'v1.0.3', { id: 1, method: 'server.ping' }],
    [
      'a subscribe to a channel with a space',
      'v1.0.2',
      { id: 1, method: 'conn.call', clientId: '1', func: 'subscribe', args: ['a b'] },
    ],
    [
      'set_context without an object',
      'v1.0.2',
      { id: 1, method: 'conn.call', clientId: '1', func: 'set_context', args: ['x'] },
    ],
    ['an unknown method', 'v1.0.2', { id: 1, method: 'queue.push' }],
    ['a negative id', 'v1.0.2', { id: -1, method: 'queue.unpop' }],
    ['not an object', 'v1.0.2', 'queue.pop'],
  ] as const)('%s', (_name, dialect, request) => {
    const error = validationError(dialect, request);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.name).toBe('ValidationError');
  });

  it('says what is wrong and where', () => {
    expect(
      validationError('v1.0.2', { id: 1, method: 'queue.pop', topics: [] }).message,
    ).toMatchInlineSnapshot(`"invalid queue.pop request at topics: pop at least one topic"`);
    expect(
      validationError('v1.0.2', { id: 1, method: 'mesh.publish', channel: 'room 1', data: 'x' }).message,
    ).toMatchInlineSnapshot(
      `"invalid mesh.publish request at channel: a channel name is a non-empty string without spaces"`,
    );
    expect(validationError('v1.0.2', { id: 1, method: 'mesh.send', clientId: 12, data: 'x' }).issues)
      .toMatchInlineSnapshot(`
        [
          {
            "message": "client ids are 64-bit and must be passed as decimal strings; the number 12 may already have lost precision",
            "path": [
              "clientId",
            ],
          },
        ]
      `);
    expect(
      validationError('v1.0.2', { id: 1, method: 'mesh.send', clientId: '1', data: 'aGk=', type: 'binary' })
        .message,
    ).toMatchInlineSnapshot(
      `"invalid mesh.send request at type: binary messages need the v1.0.3 dialect; v1.0.2 sends text only"`,
    );
    expect(validationError('v1.0.3', { id: 1, method: 'server.ping' }).message).toMatchInlineSnapshot(
      `"invalid server.ping request at method: server.ping does not exist in v1.0.3; send the text frame 'ping'"`,
    );
    expect(
      validationError('v1.0.2', {
        id: 1,
        method: 'conn.call',
        clientId: '1',
        func: 'subscribe',
        args: ['ok', 'a b'],
      }).message,
    ).toMatchInlineSnapshot(
      `"invalid conn.call request at args.1: a channel name is a non-empty string without spaces"`,
    );
  });

  it('rejects an unknown dialect', () => {
    expect(() => createCodec({ dialect: 'v2' as never })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid codec options at dialect: unknown dialect "v2"; use 'v1.0.2' or 'v1.0.3']`,
    );
  });
});

describe('createCodec', () => {
  it('takes only its own dialects, not keys inherited from Object.prototype', () => {
    expect(() => createCodec({ dialect: 'toString' as never })).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid codec options at dialect: unknown dialect "toString"; use 'v1.0.2' or 'v1.0.3']`,
    );
  });
});
