// Rules shared by the zod schemas and the codec's hand-written validator, so the two accept
// exactly the same values. This module must stay free of zod: the client bundle imports it.

export const CLIENT_ID_PATTERN = /^\d{1,20}$/;
export const CHANNEL_PATTERN = /^\S+$/;

export const MESSAGES = {
  clientId: 'a client id is a string of 1 to 20 decimal digits',
  channel: 'a channel name is a non-empty string without spaces',
  topic: 'a topic name cannot be empty',
  topics: 'pop at least one topic',
  func: 'a function name cannot be empty',
} as const;

/** Request ids are chosen by the client: non-negative safe integers. */
export function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
