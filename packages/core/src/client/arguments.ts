import { CHANNEL_PATTERN, MESSAGES } from '../grammar/fields.ts';
import { jsonValueIssue } from '../grammar/jsonValue.ts';
import { isPlainObject } from '../grammar/values.ts';
import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import type { MessageType } from '../schema/primitives.ts';
import { encodeBase64 } from '../runtime/base64.ts';
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
  // Checked here too, so a problem is reported under the caller's name for the argument.
  if (names.length === 0)
    throw new ValidationError(what, [
      { path: [field], message: field === 'topics' ? MESSAGES.topics : 'give at least one channel' },
    ]);
  const channels = field === 'channels';
  const badName = names.findIndex((name) => (channels ? !CHANNEL_PATTERN.test(name as string) : name === ''));
  if (badName >= 0) {
    throw new ValidationError(what, [
      { path: [field, badName], message: channels ? MESSAGES.channel : MESSAGES.topic },
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

/**
 * The key and value of `setContextValue`, checked under the names the caller gave them: a value
 * is JSON data (`null` clears it; `undefined`, a function, a BigInt or a cycle is refused).
 */
export function checkContextValue(key: unknown, value: unknown): void {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key === '') {
    issues.push({ path: ['key'], message: 'a context key is a non-empty string' });
  }
  const problem = jsonValueIssue(value);
  if (problem) issues.push({ path: ['value', ...problem.path], message: problem.message });
  if (issues.length > 0) throw new ValidationError('setContextValue() arguments', issues);
}

/**
 * The context of `setContext`: a plain object of JSON data. A property set to `undefined` is left
 * out (the context will not have it), as in JSON; a function, a BigInt or a cycle is refused.
 */
export function checkContext(context: unknown): void {
  const problem = isPlainObject(context)
    ? jsonValueIssue(context)
    : { path: [], message: 'a context is a plain object of JSON values' };
  if (problem) {
    throw new ValidationError('setContext() arguments', [
      { path: ['context', ...problem.path], message: problem.message },
    ]);
  }
}
