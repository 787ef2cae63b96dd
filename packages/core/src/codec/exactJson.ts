// A JSON reader that keeps integer literals exact at chosen paths. `JSON.parse` turns
// 1627581697287520263 into 1627581697287520256 and its reviver cannot see the source text on
// Node 20, so frames that carry a 64-bit id as a bare number take this slower path.
//
// It does not build a second document: `JSON.parse` builds it (and vouches for the syntax), then
// one forward scan of the text, with no recursion and no regular expression, finds the source
// literals at the chosen paths and puts them in place. Depth and string length cost nothing but
// the scan itself, so any text `JSON.parse` accepts is read exactly.

/** A path into a document: object keys, and `'*'` for any array index. */
export type ExactPath = readonly string[];

/**
 * Parses `text` like `JSON.parse` (and throws its `SyntaxError` on invalid JSON), except that an
 * integer literal at one of `paths` is returned as its exact source text, a string.
 */
export function parseJsonExact(text: string, paths: readonly ExactPath[]): unknown {
  const value: unknown = JSON.parse(text);
  return paths.length === 0 ? value : exactIntegersAt(text, value, paths);
}

/**
 * Replaces, in `value` (what `JSON.parse(text)` returned), the number at each of `paths` by the
 * exact source text of its integer literal. `text` must be valid JSON: the scan does not check it.
 * Returns `value`, changed in place.
 */
export function exactIntegersAt(text: string, value: unknown, paths: readonly ExactPath[]): unknown {
  const found = integerLiteralsAt(text, paths);
  for (const [path, literal] of found) {
    if (path.length === 0) return literal === undefined ? value : literal;
    const holder = holderAt(value, path);
    const key = path[path.length - 1]!;
    // The last occurrence of a duplicate key is the one JSON.parse kept: only a number that is
    // still there, and that the literal produced, is replaced.
    if (
      literal !== undefined &&
      holder !== undefined &&
      Object.hasOwn(holder, key) &&
      typeof holder[key] === 'number' &&
      holder[key] === Number(literal)
    ) {
      holder[key] = literal;
    }
  }
  return value;
}

/** A container's frame in the scan: its kind, and the key or index of the value being read. */
interface Frame {
  readonly array: boolean;
  key: string;
  index: number;
  /** In an object, whether the next string is a key. */
  expectKey: boolean;
}

/**
 * Every value at one of `paths` (with concrete array indices), in text order, mapped to its
 * integer literal, or to `undefined` when it is anything else (so a later duplicate wins).
 */
function integerLiteralsAt(
  text: string,
  paths: readonly ExactPath[],
): Array<[path: string[], literal: string | undefined]> {
  const depths = new Set(paths.map((path) => path.length));
  const maxDepth = Math.max(...depths);
  const byKey = new Map<string, [string[], string | undefined]>();
  const stack: Frame[] = [];
  const at = (literal: string | undefined) => {
    if (!depths.has(stack.length)) return;
    const path = currentPath(stack);
    if (!paths.some((pattern) => matches(pattern, path, stack))) return;
    const key = path.join('\u0000');
    byKey.delete(key); // re-inserted last: the order of the map is text order
    byKey.set(key, [path, literal]);
  };
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR) {
      i++;
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.array && top.expectKey) {
        // Keys only matter as deep as the paths go; deeper ones are skipped unread.
        top.key = stack.length <= maxDepth ? (JSON.parse(text.slice(i, end)) as string) : '';
        top.expectKey = false;
      } else {
        at(undefined);
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      at(undefined);
      stack.push({ array: c === OPEN_BRACKET, key: '', index: 0, expectKey: true });
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      i++;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1]!;
      if (top.array) top.index++;
      else top.expectKey = true;
      i++;
    } else if (c === COLON) {
      i++;
    } else {
      // A number or a literal (true, false, null): up to the next delimiter.
      const start = i;
      while (i < length && !isDelimiter(text.charCodeAt(i))) i++;
      at(isIntegerLiteral(text, start, i) ? text.slice(start, i) : undefined);
    }
  }
  return [...byKey.values()];
}

function currentPath(stack: readonly Frame[]): string[] {
  return stack.map((frame) => (frame.array ? String(frame.index) : frame.key));
}

/** `'*'` matches an array index only; any other part matches an object key equal to it. */
function matches(pattern: ExactPath, path: readonly string[], stack: readonly Frame[]): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((part, depth) => (stack[depth]!.array ? part === '*' : part === path[depth]));
}

/** The object or array that holds the value at `path`, if there is one. */
function holderAt(value: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let holder = value;
  for (let depth = 0; depth < path.length - 1; depth++) {
    if (typeof holder !== 'object' || holder === null) return undefined;
    const key = path[depth]!;
    if (!Object.hasOwn(holder, key)) return undefined;
    holder = (holder as Record<string, unknown>)[key];
  }
  return typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>) : undefined;
}

/** The index just past the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  for (;;) {
    // A quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

function isIntegerLiteral(text: string, start: number, end: number): boolean {
  let i = text.charCodeAt(start) === MINUS ? start + 1 : start;
  if (i === end) return false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

function isDelimiter(c: number): boolean {
  return (
    c === COMMA ||
    c === CLOSE_BRACE ||
    c === CLOSE_BRACKET ||
    c === COLON ||
    c === SPACE ||
    c === TAB ||
    c === LF ||
    c === CR
  );
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
