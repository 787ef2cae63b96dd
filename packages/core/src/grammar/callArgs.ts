// The argument rules of the four documented `conn.call` functions; other functions take any
// array. The JSON Schema states the same rules in `schema/jsonSchemaForms.ts`.
// This module must stay free of zod: the client bundle imports it.
import { CHANNEL_PATTERN, MESSAGES } from './fields.ts';
import { jsonValueIssue, type JsonValueIssue } from './jsonValue.ts';
import { isPlainObject } from './values.ts';

/** The argument rule of the four documented `conn.call` functions; other functions take any array. */
export function connCallArgsIssue(
  func: string,
  args: readonly unknown[],
): { path: number[]; message: string } | undefined {
  switch (func) {
    case 'set_context_value':
      if (args.length !== 2 || typeof args[0] !== 'string' || args[0] === '')
        return { path: [], message: 'set_context_value takes [key, value] with a non-empty string key' };
      return undefined;
    case 'set_context':
      if (args.length !== 1 || !isPlainObject(args[0]))
        return { path: [], message: 'set_context takes [object]' };
      return undefined;
    case 'subscribe':
    case 'unsubscribe': {
      if (args.length === 0) return { path: [], message: `${func} takes at least one channel` };
      const bad = args.findIndex((channel) => typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel));
      if (bad >= 0) return { path: [bad], message: MESSAGES.channel };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What a `conn.call` request must be beyond its fields: its arguments follow its function's rule
 * and are all JSON data. Checked once the fields are valid.
 */
export function callArgsIssue(request: Record<string, unknown>): JsonValueIssue | undefined {
  const { func, args } = request;
  if (typeof func !== 'string' || !Array.isArray(args)) return undefined;
  const issue = connCallArgsIssue(func, args) ?? jsonValueIssue(args);
  return issue && { path: ['args', ...issue.path], message: issue.message };
}
