// What may travel as JSON data (conn.call arguments, context values). `JSON.stringify` throws a
// bare TypeError on a BigInt or a cycle and silently turns other values into something else
// (a function or a symbol vanishes, NaN and `undefined` in an array become null, a Map becomes
// {}), so every value is checked first and refused with the place where it went wrong.
// Shared by the codec's validator and the zod schema, so both accept exactly the same.
// This module must stay free of zod: the client bundle imports it.

export interface JsonValueIssue {
  /** Where the value went wrong, below the value itself. */
  path: Array<string | number>;
  message: string;
}

/** Why a value of each type that is not JSON data is refused (numbers: NaN and infinities). */
const NOT_JSON: Partial<Record<string, string>> = {
  bigint: 'a BigInt is not JSON; pass it as a decimal string',
  undefined: 'undefined is not JSON (it would be sent as null); pass null',
  function: 'a function is not JSON (it would be dropped)',
  symbol: 'a symbol is not JSON (it would be dropped)',
};

/**
 * Why `value` cannot be sent as JSON exactly, or undefined when it can. A property whose value is
 * `undefined` is left out, as in JSON; `undefined` anywhere else (the value itself, an array
 * element) is refused, since JSON would send `null` instead: send `null` to mean nothing.
 * Iterative: any depth is checked without growing the call stack.
 */
export function jsonValueIssue(value: unknown): JsonValueIssue | undefined {
  // Depth-first with an explicit stack. Paths are linked lists, spelled out only on failure, and
  // the containers on the current path sit in a set (left again through an `exit` entry): a
  // cycle is told from a value that is merely shared, in time linear in the size of the value.
  const stack: Array<Pending | { exit: object }> = [{ value, at: undefined, inObject: false }];
  const onPath = new Set<object>();
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if ('exit' in entry) {
      onPath.delete(entry.exit);
      continue;
    }
    const { at, inObject } = entry;
    let current = entry.value;
    const fail = (message: string): JsonValueIssue => ({ path: spell(at), message });
    if (
      typeof current === 'object' &&
      current !== null &&
      typeof (current as { toJSON?: unknown }).toJSON === 'function'
    ) {
      // What JSON.stringify would send (a Date sends its ISO string): that is what must be JSON.
      try {
        current = (current as { toJSON(key: string): unknown }).toJSON(String(at?.key ?? ''));
      } catch (error) {
        return fail(`its toJSON() threw: ${String(error)}`);
      }
    }
    const type = typeof current;
    if (type === 'string' || type === 'boolean' || current === null) continue;
    if (current === undefined && inObject) continue;
    if (type === 'number' && Number.isFinite(current)) continue;
    if (type !== 'object') return fail(NOT_JSON[type] ?? `${String(current)} is not a JSON number`);
    const object = current as object;
    if (onPath.has(object)) return fail('a circular reference is not JSON');
    const proto: unknown = Object.getPrototypeOf(object);
    if (!Array.isArray(object) && proto !== Object.prototype && proto !== null) {
      // A Map, a Set, bytes or a class instance would lose what it holds, or its type.
      return fail('only arrays and plain objects are JSON data');
    }
    onPath.add(object);
    stack.push({ exit: object });
    // Pushed last to first, so the first problem in reading order is the one reported.
    const keys: Array<string | number> = Array.isArray(object) ? [...object.keys()] : Object.keys(object);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child = (object as Record<string | number, unknown>)[key];
      stack.push({ value: child, at: { key, parent: at }, inObject: typeof key === 'string' });
    }
  }
  return undefined;
}

/** A place in a value, innermost last, as a linked list (shared by siblings, never copied). */
interface Place {
  readonly key: string | number;
  readonly parent: Place | undefined;
}

interface Pending {
  readonly value: unknown;
  readonly at: Place | undefined;
  /** A property of an object: `undefined` there means "absent". */
  readonly inObject: boolean;
}

function spell(at: Place | undefined): Array<string | number> {
  const path: Array<string | number> = [];
  for (let place = at; place !== undefined; place = place.parent) path.push(place.key);
  return path.reverse();
}
