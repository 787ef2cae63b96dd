import { basicToken } from '../redact.ts';

/** The user of the credentials matrix: distinctive, so that any part of it can be searched for. */
export const USERNAME = 'wrk7usr';

/** What separates the three parts of each password: the characters that broke redaction. */
const SEPARATORS = ["'", '"', '@', '/', ':', '%', '#', '?', ' ', 'ä密🔑'];

/** Passwords `K3y<sep>V4l<sep>Q9z`: no part (K3y, V4l, Q9z) may appear anywhere, whole or cut. */
export const PASSWORDS: readonly string[] = SEPARATORS.map((sep) => `K3y${sep}V4l${sep}Q9z`);

/** Where a password may be written in a URL. */
export type UrlForm = 'raw' | 'percent-encoded';

export function userinfo(password: string, form: UrlForm): string {
  return `${USERNAME}:${form === 'raw' ? password : encodeURIComponent(password)}@`;
}

/**
 * True when a URL cannot hold the raw password: WHATWG URL would read part of it as the host or
 * path (`/ ? #`), or the SDK's URL checks refuse the whitespace. Such a URL must be refused.
 */
export function refusedRaw(password: string): boolean {
  return /[/?#\s]/.test(password);
}

/**
 * What of the credentials `text` shows: any part of the password (raw or percent-encoded) or the
 * Basic token. The user name is not secret and is not searched for.
 */
export function leaks(text: string, password: string): string[] {
  const found = ['K3y', 'V4l', 'Q9z', basicToken({ username: USERNAME, password })].filter((part) =>
    text.includes(part),
  );
  if (text.includes(encodeURIComponent(password))) found.push(encodeURIComponent(password));
  return found;
}

/** `util.inspect` of Node, passed in: the core's sources compile without Node types. */
export type Inspect = (value: unknown, options: { depth: number }) => string;

/** Everything a value shows when logged (`util.inspect`, depth Infinity: causes, fields) or serialized. */
export function shown(value: unknown, inspect: Inspect): string {
  return `${inspect(value, { depth: Infinity })}\n${JSON.stringify(value, safeReplacer())}`;
}

function safeReplacer() {
  const seen = new WeakSet<object>();
  return (_key: string, value: unknown) => {
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    if (value instanceof Error)
      return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
    return value;
  };
}
