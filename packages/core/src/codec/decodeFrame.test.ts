import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/errors.ts';
import { createCodec } from './codec.ts';

const { decode } = createCodec();

function protocolError(frame: string | Uint8Array): ProtocolError {
  try {
    decode(frame);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error(`decode accepted ${String(frame)}`);
}

describe('decode', () => {
  it('keeps a client id above 2^53 exact when the server writes it as a bare number', () => {
    const frame =
      '{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","d":{"n":1627581697287520263}},"id":null}';
    expect(decode(frame)).toStrictEqual({
      kind: 'event',
      event: 'queue.pop',
      // Only the id is exact: user data keeps JSON.parse semantics.
      message: { clientId: '1627581697287520263', topic: 'foo', data: { n: 1627581697287520256 } },
    });
  });

  it('keeps a numeric node id exact and as a string', () => {
    const frame = '{"e":"queue.pop","p":{"n":18446744073709551615,"c":"1","t":"t","d":[]},"id":null}';
    expect(decode(frame)).toMatchObject({ message: { node: '18446744073709551615', clientId: '1' } });
  });

  it('reads a bare 64-bit client id exactly whatever the depth of the data', () => {
    const depth = 10_000;
    const data = '['.repeat(depth) + ']'.repeat(depth);
    const frame = `{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","d":${data}},"id":null}`;
    const decoded = decode(frame);
    if (decoded.kind !== 'event' || !('message' in decoded)) throw new Error('expected a queue event');
    expect(decoded.message.clientId).toBe('1627581697287520263');
    let level: unknown = decoded.message.data;
    let levels = 0;
    while (Array.isArray(level) && level.length > 0) [level, levels] = [level[0], levels + 1];
    expect(levels + 1).toBe(depth);
  });

  it('reads bare 64-bit ids exactly next to a string of 8 MiB, escapes included', () => {
    const text = `${'x'.repeat(8 * 1024 * 1024)}\\"\\\\`;
    const frame = `{"e":"queue.pop","p":{"d":${JSON.stringify(text)},"n":18446744073709551615,"c":1627581697287520263,"t":"foo"},"id":null}`;
    expect(decode(frame)).toStrictEqual({
      kind: 'event',
      event: 'queue.pop',
      message: { node: '18446744073709551615', clientId: '1627581697287520263', topic: 'foo', data: text },
    });
  });

  it('takes the id JSON.parse kept when a key is repeated', () => {
    const frame =
      '{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","c":1627581697287520999},"p":{"c":9007199254740993,"t":"bar"},"id":null}';
    expect(decode(frame)).toMatchObject({ message: { clientId: '9007199254740993', topic: 'bar' } });
  });

  it('judges every other id the same on the exact path as on the fast one', () => {
    // Found by the JSON Schema property test (seed 132528278): the exact path used to turn the
    // safe `n: -1` into the node id "-1", which the fast path refuses.
    expect(protocolError('{"e":"queue.pop","p":{"c":9007199254740992,"t":"","n":-1}}').message).toMatch(
      /p\.n/,
    );
    expect(protocolError('{"e":"queue.pop","p":{"c":1,"t":"","n":-9007199254740993}}').message).toMatch(
      /p\.n/,
    );
    expect(protocolError('{"e":"queue.pop","p":{"c":-9007199254740993,"t":""}}').message).toMatch(/p\.c/);
    expect(decode('{"e":"queue.pop","p":{"c":9007199254740993,"t":"","n":7}}')).toMatchObject({
      message: { clientId: '9007199254740993', node: '7' },
    });
  });

  it('tolerates the loose parts of the protocol', () => {
    // The docs' examples write the request id as "id".
    expect(decode('{"E":null,"r":{"s":true},"id":7}')).toStrictEqual({
      kind: 'response',
      id: 7,
      result: { s: true },
    });
    // An error that could not be tied to a request.
    expect(decode('{"E":{"c":101,"m":"bad json"},"i":null}')).toStrictEqual({
      kind: 'error',
      id: null,
      code: 101,
      message: 'bad json',
    });
    // An event this SDK does not know is passed on.
    expect(decode('{"e":"node.join","p":{"n":"x"},"id":null}')).toStrictEqual({
      kind: 'event',
      event: 'node.join',
      payload: { n: 'x' },
    });
    expect(decode('pong')).toStrictEqual({ kind: 'pong' });
  });

  it('never lets a __proto__ key reach an object prototype', () => {
    const frames = [
      '{"e":"queue.pop","p":{"c":"1","t":"t","d":{"__proto__":{"polluted":true}}},"id":null}',
      // The slow path (a bare 64-bit id) builds objects itself.
      '{"e":"queue.pop","p":{"c":1627581697287520263,"t":"t","d":{"__proto__":{"polluted":true}}},"id":null}',
    ];
    for (const frame of frames) {
      const decoded = decode(frame);
      if (decoded.kind !== 'event' || !('message' in decoded)) throw new Error('expected a queue event');
      const data = decoded.message.data as Record<string, unknown>;
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.keys(data)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(data['polluted']).toBeUndefined();
    }
  });

  it('rejects what is not a frame with a ProtocolError that says why', () => {
    // The parser's own words vary by runtime; the frame and the diagnosis do not.
    expect(protocolError('{"E":null,"r":{"s":tr').message).toMatch(
      /^received malformed JSON \(.+\); frame: \{"E":null,"r":\{"s":tr$/,
    );
    expect(protocolError('[]').message).toMatchInlineSnapshot(
      `"expected a JSON object, got an array; frame: []"`,
    );
    expect(protocolError('null').message).toMatchInlineSnapshot(
      `"expected a JSON object, got null; frame: null"`,
    );
    expect(protocolError('{"E":null,"r":{"s":true}}').message).toMatchInlineSnapshot(
      `"a response without a valid id (i); frame: {"E":null,"r":{"s":true}}"`,
    );
    expect(protocolError('{"e":"queue.pop","p":{"t":"foo","d":1},"id":null}').message).toMatchInlineSnapshot(
      `"a queue.pop event needs p.c, a decimal client id; frame: {"e":"queue.pop","p":{"t":"foo","d":1},"id":null}"`,
    );
    expect(
      protocolError('{"e":"queue.pop","p":{"c":"12a","t":"foo"},"id":null}').message,
    ).toMatchInlineSnapshot(
      `"a queue.pop event needs p.c, a decimal client id; frame: {"e":"queue.pop","p":{"c":"12a","t":"foo"},"id":null}"`,
    );
    expect(protocolError(new Uint8Array([1, 2, 3])).message).toMatchInlineSnapshot(
      `"received a binary frame; the connmix API sends JSON in text frames; frame: <binary frame of 3 bytes>"`,
    );
    expect(protocolError('{"E":{"m":"x"},"i":1}').message).toMatchInlineSnapshot(
      `"an error response needs E.c, an integer code; frame: {"E":{"m":"x"},"i":1}"`,
    );
    expect(protocolError('{"hello":1}').message).toMatchInlineSnapshot(
      `"neither a response (E, r, i) nor an event (e); frame: {"hello":1}"`,
    );
  });

  it('keeps a truncated copy of a large bad frame', () => {
    const frame = `[${'1,'.repeat(5000)}1]`;
    const error = protocolError(frame);
    expect(error.frame.length).toBeLessThan(600);
    expect(error.frame.startsWith('[1,1,1')).toBe(true);
    expect(error.frame.endsWith(`(${frame.length} chars)`)).toBe(true);
  });
});
