import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseApiFrame, parseRestBody } from './apiRequest.ts';

interface ServerAccepts {
  name: string;
  dialect: 'v1.0.2' | 'v1.0.3';
  frame: string;
  means: Record<string, unknown> | string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../core/test/vectors.json', import.meta.url), 'utf8'),
) as {
  serverAccepts: ServerAccepts[];
  encode: Array<{ dialect: 'v1.0.2' | 'v1.0.3'; request: Record<string, unknown>; wire: unknown }>;
};

describe('parseApiFrame', () => {
  test.each(vectors.serverAccepts)('accepts $name', ({ dialect, frame, means }) => {
    const parsed = parseApiFrame(frame, dialect);
    if (typeof means === 'string') {
      expect(parsed).toEqual({ kind: 'ping' });
      return;
    }
    const { id, ...request } = means;
    expect(parsed).toEqual({ kind: 'request', id, request });
  });

  test.each(vectors.encode)(
    'reads what the SDK writes: $dialect $request.method',
    ({ dialect, request, wire }) => {
      const { id, ...neutral } = request;
      expect(parseApiFrame(JSON.stringify(wire), dialect)).toEqual({ kind: 'request', id, request: neutral });
    },
  );

  test('a numeric client id above 2^53 is read exactly, in both layouts', () => {
    const frame = (p: string) => `{"m":"mesh.send","p":${p},"i":1}`;
    for (const p of ['[{"c":1627581697287520263,"d":"x"}]', '{"c":1627581697287520263,"d":"x"}']) {
      expect(parseApiFrame(frame(p), 'v1.0.2')).toMatchObject({
        request: { clientId: '1627581697287520263' },
      });
    }
  });

  test('a bare 64-bit client id is read exactly next to deep or long arguments', () => {
    const depth = 10_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const long = 'x'.repeat(8 * 1024 * 1024);
    const frame = (value: string) =>
      `{"m":"conn.call","p":[{"c":1627581697287520263,"f":"set_context_value","a":["k",${value}]}],"i":3}`;
    const valueOf = (text: string): unknown => {
      const parsed = parseApiFrame(text, 'v1.0.2');
      if (parsed.kind !== 'request' || parsed.request.method !== 'conn.call')
        throw new Error(JSON.stringify(parsed));
      expect([parsed.id, parsed.request.clientId, parsed.request.func]).toEqual([
        3,
        '1627581697287520263',
        'set_context_value',
      ]);
      return parsed.request.args[1];
    };
    // Counted level by level: a recursive deep-equal would itself overflow the stack.
    let level = valueOf(frame(deep));
    let levels = 1;
    while (Array.isArray(level) && level.length === 1) [level, levels] = [level[0], levels + 1];
    expect([levels, level]).toEqual([depth, []]);
    expect(valueOf(frame(JSON.stringify(long))) === long).toBe(true);
  });

  test('each dialect also takes the other layout', () => {
    expect(parseApiFrame('{"m":"queue.pop","p":{"t":["a"]},"i":1}', 'v1.0.2')).toMatchObject({
      request: { topics: ['a'] },
    });
    expect(parseApiFrame('{"m":"queue.pop","p":["a"],"i":1}', 'v1.0.3')).toMatchObject({
      request: { topics: ['a'] },
    });
  });

  test('v1.0.3 reads the message type; v1.0.2 ignores it, as an older engine would', () => {
    const frame = '{"m":"mesh.send","p":{"c":"1","d":"aGk=","t":"binary"},"i":1}';
    expect(parseApiFrame(frame, 'v1.0.3')).toMatchObject({ request: { type: 'binary' } });
    expect(parseApiFrame(frame, 'v1.0.2')).toEqual({
      kind: 'request',
      id: 1,
      request: { method: 'mesh.send', clientId: '1', data: 'aGk=' },
    });
  });

  test.each([
    ['not JSON at all', 'hello', 'v1.0.2', null, /malformed JSON/],
    ['broken JSON whose id can be read', '{"m":"queue.pop","i":42,"p":[', 'v1.0.2', 42, /malformed JSON/],
    ['a JSON array', '[1,2]', 'v1.0.2', null, /JSON object/],
    ['no id', '{"m":"server.ping","p":[]}', 'v1.0.2', null, /non-negative integer id/],
    ['an id that is not an integer', '{"m":"server.ping","p":[],"i":"7"}', 'v1.0.2', null, /integer id/],
    ['no method', '{"p":[],"i":3}', 'v1.0.2', 3, /needs m/],
    ['an unknown method', '{"m":"queue.peek","p":[],"i":3}', 'v1.0.2', 3, /unknown method queue.peek/],
    ['server.ping in v1.0.3', '{"m":"server.ping","p":{},"i":3}', 'v1.0.3', 3, /removed in v1.0.3/],
    ['text ping in v1.0.2', 'ping', 'v1.0.2', null, /malformed JSON/],
    ['pop without topics', '{"m":"queue.pop","p":[],"i":4}', 'v1.0.2', 4, /topic/],
    ['pop with a number topic', '{"m":"queue.pop","p":[1],"i":4}', 'v1.0.2', 4, /topics/],
    ['pop params as a string', '{"m":"queue.pop","p":"foo","i":4}', 'v1.0.2', 4, /queue.pop takes/],
    [
      'call with a bad client id',
      '{"m":"conn.call","p":[{"c":"abc","f":"subscribe","a":["x"]}],"i":5}',
      'v1.0.2',
      5,
      /clientId/,
    ],
    ['call with no args', '{"m":"conn.call","p":[{"c":"1","f":"subscribe"}],"i":5}', 'v1.0.2', 5, /args/],
    [
      'call with bad args',
      '{"m":"conn.call","p":[{"c":"1","f":"set_context","a":[1]}],"i":5}',
      'v1.0.2',
      5,
      /set_context takes/,
    ],
    ['send with number data', '{"m":"mesh.send","p":[{"c":"1","d":5}],"i":6}', 'v1.0.2', 6, /data/],
    [
      'send with two param objects',
      '{"m":"mesh.send","p":[{"c":"1","d":"a"},{"c":"2","d":"b"}],"i":6}',
      'v1.0.2',
      6,
      /takes/,
    ],
    [
      'publish to a channel with a space',
      '{"m":"mesh.publish","p":{"c":"a b","d":"x"},"i":7}',
      'v1.0.2',
      7,
      /channel/,
    ],
    [
      'binary data that is not base64',
      '{"m":"mesh.send","p":{"c":"1","d":"!!","t":"binary"},"i":8}',
      'v1.0.3',
      8,
      /base64/,
    ],
    [
      'an unknown message type',
      '{"m":"mesh.send","p":{"c":"1","d":"x","t":"json"},"i":8}',
      'v1.0.3',
      8,
      /type/,
    ],
  ] as const)('rejects %s', (_name, frame, dialect, id, message) => {
    const parsed = parseApiFrame(frame, dialect);
    expect(parsed).toMatchObject({ kind: 'invalid', id });
    expect(parsed.kind === 'invalid' && parsed.message).toMatch(message);
  });

  test('a binary frame is not a request', () => {
    expect(parseApiFrame(new Uint8Array([123, 125]), 'v1.0.2')).toMatchObject({ kind: 'invalid', id: null });
  });
});

describe('parseRestBody', () => {
  test('reads a send body, with a numeric client id kept exact', () => {
    expect(parseRestBody('mesh.send', '{"c":1627581697287520263,"d":"hi","t":"text"}', 'v1.0.3')).toEqual({
      method: 'mesh.send',
      clientId: '1627581697287520263',
      data: 'hi',
      type: 'text',
    });
  });

  test('explains a bad body', () => {
    expect(parseRestBody('mesh.publish', '{"c":"room"}', 'v1.0.3')).toMatch(/data/);
    expect(parseRestBody('mesh.publish', '[]', 'v1.0.3')).toMatch(/JSON object/);
    expect(parseRestBody('mesh.publish', '{', 'v1.0.3')).toMatch(/malformed JSON/);
  });
});
