/**
 * Whether a `fetch` failure certainly happened before the request reached a server: the
 * connection was refused or the host name did not resolve. Only then may the same `mesh.*`
 * request go to another engine (it is not idempotent). Runtimes say it differently:
 * - Node (undici): `TypeError('fetch failed')` whose `cause` (or one of an `AggregateError`'s
 *   `errors`, when several addresses were tried) has `code` `ECONNREFUSED` / `ENOTFOUND`;
 * - Bun: an error with `code` `ConnectionRefused`;
 * - Deno: a `TypeError` whose message (or cause) says `Connection refused` / `dns error`.
 * Browsers report every network failure as the same `TypeError('Failed to fetch')`, so there a
 * failure is never taken for a refusal and never retried.
 */
export function neverReachedServer(error: unknown): boolean {
  return someCause(error, (cause) => {
    const code = cause['code'];
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    const message = cause['message'];
    return typeof message === 'string' && NEVER_SENT_MESSAGE.test(message);
  });
}

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ConnectionRefused']);
const NEVER_SENT_MESSAGE = /connection refused|\(os error 111\)|dns error: failed to lookup/i;

function someCause(error: unknown, test: (cause: Record<string, unknown>) => boolean): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const cause = next as Record<string, unknown>;
    if (test(cause)) return true;
    queue.push(cause['cause']);
    if (Array.isArray(cause['errors'])) queue.push(...(cause['errors'] as unknown[]));
  }
  return false;
}
