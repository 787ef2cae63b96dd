// A JSON reader that keeps integer literals exact at chosen paths. `JSON.parse` turns
// 1627581697287520263 into 1627581697287520256 and its reviver cannot see the source text on
// Node 20, so frames that carry a 64-bit id as a bare number take this slower path.

/** A path into a document: object keys, and `'*'` for any array index. */
export type ExactPath = readonly string[];

/**
 * One token (a string, a bracket, or a number or literal), then the separator after it and any
 * whitespace. The walk below only ever sees text `JSON.parse` accepted, so it need not validate.
 */
const TOKEN = /\s*("(?:[^"\\]|\\.)*"|[{}[\]]|[^\s,:\]}]+)\s*[,:]?\s*/y;
const INTEGER = /^-?\d+$/;

/**
 * Parses `text` like `JSON.parse` (and throws its `SyntaxError` on invalid JSON), except that an
 * integer literal at one of `paths` is returned as its exact source text, a string.
 */
export function parseJsonExact(text: string, paths: readonly ExactPath[]): unknown {
  JSON.parse(text);
  const exact = new Set(paths.map((path) => path.join('\u0000')));
  let at = 0;
  const read = (): string => {
    TOKEN.lastIndex = at;
    const token = TOKEN.exec(text)![1]!;
    at = TOKEN.lastIndex;
    return token;
  };
  const value = (path: string): unknown => {
    const token = read();
    if (token === '[') {
      const array: unknown[] = [];
      while (text[at] !== ']') array.push(value(`${path}\u0000*`));
      read();
      return array;
    }
    if (token === '{') {
      const object: Record<string, unknown> = {};
      while (text[at] !== '}') {
        const key = JSON.parse(read()) as string;
        // defineProperty, as JSON.parse does: a `__proto__` key stays an own data property.
        Object.defineProperty(object, key, {
          value: value(`${path}\u0000${key}`),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      read();
      return object;
    }
    return INTEGER.test(token) && exact.has(path.slice(1)) ? token : JSON.parse(token);
  };
  return value('');
}
