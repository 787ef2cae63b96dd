import { isPlainObject } from '../codec/rules.ts';
import { ValidationError } from '../errors/errors.ts';
import type { MessageType } from '../schema/primitives.ts';
import { encodeBase64 } from './base64.ts';
import type { CallOptions } from './options.ts';

/** Names (topics, channels) followed by optional call options: `pop('a', 'b', { timeoutMs })`. */
export type NamesAndOptions = [...names: string[]] | [...names: string[], options: CallOptions];

/**
 * Splits variadic names from trailing options. Names are strings, so an object in last place can
 * only be the options; anything else that is not a string is reported by name.
 */
export function splitNames(
  what: string,
  field: string,
  args: readonly unknown[],
): { names: string[]; options: unknown } {
  const last = args[args.length - 1];
  const hasOptions = args.length > 0 && (isPlainObject(last) || last === undefined);
  const names = hasOptions ? args.slice(0, -1) : args.slice();
  const bad = names.findIndex((name) => typeof name !== 'string');
  if (bad >= 0) {
    throw new ValidationError(what, [
      { path: [field, bad], message: `${field} are strings, optionally followed by call options` },
    ]);
  }
  return { names: names as string[], options: hasOptions ? last : undefined };
}

/** Text goes as it is; bytes go as base64 with `type: 'binary'` (which the v1.0.2 codec refuses). */
export function payloadOf(what: string, data: unknown): { data: string; type?: MessageType } {
  if (typeof data === 'string') return { data };
  if (data instanceof Uint8Array) return { data: encodeBase64(data), type: 'binary' };
  throw new ValidationError(what, [{ path: ['data'], message: 'data is a string or a Uint8Array' }]);
}
