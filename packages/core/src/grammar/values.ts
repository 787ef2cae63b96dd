// The value predicates of the wire grammar. One integer rule for all of it: a JSON number is an
// integer the SDK can use only while it is safe (JSON.parse rounds beyond 2^53).

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A safe integer of at least `min`: error codes (any sign), request ids and counts (from 0). */
export function isSafeIntegerFrom(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** Request ids (chosen by the client) and delivery counts: non-negative safe integers. */
export function isNatural(value: unknown): value is number {
  return isSafeIntegerFrom(value, 0);
}

/** An integer too large for a double to hold exactly: its digits are only in the JSON text. */
export function isRoundedInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}
