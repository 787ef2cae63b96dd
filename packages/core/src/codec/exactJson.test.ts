import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from './exactJson.ts';

describe('parseJsonExact', () => {
  it('parses any JSON document exactly as JSON.parse does when no path is exact', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseJsonExact(text, [])).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it('rejects exactly the texts JSON.parse rejects', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.string({ unit: 'binary', maxLength: 2 }))
      .map(
        ([text, at, insert]) =>
          text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
      );
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ unit: 'binary' })), (text) => {
        let expected: unknown;
        let jsonParseFailed = false;
        try {
          expected = JSON.parse(text);
        } catch {
          jsonParseFailed = true;
        }
        if (jsonParseFailed) expect(() => parseJsonExact(text, [])).toThrow(SyntaxError);
        else expect(parseJsonExact(text, [])).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns integer literals at the chosen paths as their source text', () => {
    const text = '{"p":[{"c":18446744073709551615,"x":18446744073709551615}],"c":-12,"f":1.5e3}';
    expect(parseJsonExact(text, [['p', '*', 'c'], ['c'], ['f']])).toStrictEqual({
      p: [{ c: '18446744073709551615', x: 18446744073709552000 }],
      c: '-12',
      f: 1500, // not an integer literal: stays a number
    });
  });
});
