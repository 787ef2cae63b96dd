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
  // The key (or index) of the value being read, per open container; `null` in an object while
  // its next string is a key.
  const at: Array<string | number | null> = [];
  const arrays: boolean[] = [];
  /** Per concrete path, the integer literal last seen there (or undefined: a later duplicate wins). */
  const found = new Map<string, [string[], string | undefined]>();
  const depths = new Set(paths.map((path) => path.length));
  const seen = (literal: string | undefined) => {
    if (!depths.has(at.length)) return;
    const path = at.map(String);
    if (
      !paths.some(
        (pattern) =>
          pattern.length === path.length &&
          pattern.every((part, d) => (arrays[d] ? part === '*' : part === path[d])),
      )
    )
      return;
    const key = path.join('\u0000');
    found.delete(key); // re-inserted last: the map keeps text order
    found.set(key, [path, literal]);
  };
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    const depth = at.length - 1;
    if (c === '"') {
      let end = i;
      do end = text.indexOf('"', end + 1);
      while (isEscaped(text, end));
      end++;
      if (at[depth] === null) at[depth] = JSON.parse(text.slice(i, end)) as string;
      else seen(undefined);
      i = end;
    } else if (c === '{' || c === '[') {
      seen(undefined);
      at.push(c === '[' ? 0 : null);
      arrays.push(c === '[');
      i++;
    } else if (c === '}' || c === ']') {
      at.pop();
      arrays.pop();
      i++;
    } else if (c === ',') {
      at[depth] = arrays[depth] ? (at[depth] as number) + 1 : null;
      i++;
    } else if (' \t\n\r:'.includes(c)) {
      i++;
    } else {
      // A number or a literal (true, false, null), up to the next delimiter.
      const start = i;
      while (i < text.length && !' \t\n\r,:]}'.includes(text[i]!)) i++;
      const literal = text.slice(start, i);
      seen(/^-?\d+$/.test(literal) ? literal : undefined);
    }
  }
  for (const [path, literal] of found.values()) {
    if (literal === undefined) continue;
    if (path.length === 0) return literal;
    let holder = value as Record<string, unknown> | undefined;
    for (const part of path.slice(0, -1))
      holder = isContainer(holder) && Object.hasOwn(holder, part) ? (holder[part] as never) : undefined;
    const key = path[path.length - 1]!;
    // Only a number that is still there, and that the literal produced, is replaced: the last
    // occurrence of a duplicate key is the one JSON.parse kept.
    if (isContainer(holder) && Object.hasOwn(holder, key) && holder[key] === Number(literal))
      holder[key] = literal;
  }
  return value;
}

/** Whether the quote at `quote` is escaped: an odd number of backslashes precede it. */
function isEscaped(text: string, quote: number): boolean {
  let before = quote - 1;
  while (text[before] === '\\') before--;
  return (quote - before) % 2 === 0;
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
