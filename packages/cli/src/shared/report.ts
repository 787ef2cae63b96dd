import { isConnmixError } from '@connmix/node';
import { redactUrl } from '@connmix/core/internal';
import type { Output } from '../io.ts';

/** Exit code of a command stopped by its signal (Ctrl+C), as a shell reports SIGINT. */
export const EXIT_ABORTED = 130;

/** Writes one result: a JSON document with `--json`, the human line otherwise. */
export type Print = (record: Record<string, unknown>, line: string) => void;

/** The `Print` of a command: `--json` picks the record, otherwise the line. */
export function createPrint(stdout: Output, json: boolean): Print {
  return (record, line) => stdout.write(`${json ? JSON.stringify(record) : line}\n`);
}

/**
 * The one line that reports an SDK error: `error: <name>: <message>`. A cause the message quotes
 * (`fetch failed`) says little on its own, so the cause under it is added too. Credentials never
 * appear: URLs are redacted and each of `secrets` is masked, whatever wrote the text.
 */
export function errorLine(error: Error, secrets: readonly string[], prefix = ''): string {
  let message = `${prefix}${error.message}`;
  let cause = error.cause;
  for (let depth = 0; depth < 5 && cause instanceof Error && message.includes(cause.message); depth += 1) {
    cause = cause.cause;
    if (cause instanceof Error && cause.message !== '' && !message.includes(cause.message)) {
      message += ` (${cause.message})`;
    }
  }
  let text = redactUrl(message).replace(/\s*\n\s*/g, ' ');
  for (const secret of secrets) text = text.split(secret).join('***');
  return `error: ${error.name}: ${text}\n`;
}

/**
 * Reports an SDK error on `stderr` and returns the exit code: 130 when the command was aborted,
 * 1 otherwise. Anything else is a bug and is thrown on.
 */
export function reportError(error: unknown, stderr: Output, secrets: readonly string[]): number {
  if (!isConnmixError(error)) throw error;
  stderr.write(errorLine(error, secrets));
  return error.name === 'AbortError' ? EXIT_ABORTED : 1;
}
