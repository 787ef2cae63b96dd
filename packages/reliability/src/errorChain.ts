// An error as a user would see it when logging it: every message down the cause chain, and the
// deep `util.inspect` of the whole thing (which prints own properties too).
import { inspect } from 'node:util';

/** The messages of `error` and of each `cause` under it, outermost first. */
export function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 20; depth++) {
    messages.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}

/** Everything `console.log(error)` would print, however deep. */
export function inspectDeep(value: unknown): string {
  return inspect(value, { depth: Infinity, showHidden: true });
}
