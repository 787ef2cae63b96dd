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

  it('finds the literal at its path among any surrounding JSON, whitespace and escapes', () => {
    const literal = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String);
    const member = fc
      .tuple(
        fc.string().filter((key) => key !== 'p'),
        fc.json(),
      )
      .map(([key, json]) => `${JSON.stringify(key)}:${json}`);
    const space = fc.constantFrom('', ' ', '\n\t ', '\r\n');
    const document = fc
      .record({
        before: fc.array(member, { maxLength: 3 }),
        after: fc.array(member, { maxLength: 3 }),
        id: literal,
        gap: space,
        // Other elements hold no "c" of their own: only ours is at the path.
        elements: fc.array(
          fc.json().filter((json) => !Object.hasOwn(Object(JSON.parse(json)) as object, 'c')),
          { maxLength: 2 },
        ),
      })
      .map(({ before, after, id, gap, elements }) => ({
        id,
        text: `{${[...before, `"p"${gap}:${gap}[${[...elements, `{"c"${gap}:${gap}${id}}`].join(`${gap},`)}]`, ...after].join(',')}}`,
      }));
    fc.assert(
      fc.property(document, ({ id, text }) => {
        const expected = JSON.parse(text) as { p: Array<{ c: unknown }> };
        expected.p[expected.p.length - 1]!.c = id;
        expect(parseJsonExact(text, [['p', '*', 'c']])).toStrictEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
