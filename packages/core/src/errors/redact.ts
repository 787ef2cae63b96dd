import { encodeBase64 } from '../runtime/base64.ts';
import { utf8Bytes } from '../runtime/utf8.ts';
import { ConnmixError } from './errors.ts';

// Credentials reach the SDK in URLs (`ws://user:pass@host`) and in `auth` options, and leave it
// in two ways: through the URL when it is shown, and through messages that other code wrote
// (`ws`, `fetch`, `new URL`, a center's answer). The first is closed by never showing a URL
// with its userinfo; the second by scrubbing every form of the secrets we know from the text
// of those errors, their stacks and their causes.

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;
/** WHATWG URL ends the authority of `ws:`, `http:` and the like at the first of these. */
const AUTHORITY_END = /[/\\?#]/;
/** `Basic <token>` and `Bearer <token>`, as an `Authorization` header or an echo of it holds them. */
const AUTHORIZATION_TOKEN = /\b(Basic|Bearer)(\s+)[A-Za-z0-9+/=._~-]+/gi;

/** A URL cut where WHATWG URL cuts it: scheme, userinfo (up to the last `@` of the authority), the rest. */
export interface UrlUserinfo {
  scheme: string;
  userinfo: string | undefined;
  rest: string;
}

/** Splits the userinfo off a URL; `userinfo` is undefined when it has none (or is no URL). */
export function splitUserinfo(url: string): UrlUserinfo {
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme === undefined) return { scheme: '', userinfo: undefined, rest: url };
  const afterScheme = url.slice(scheme.length);
  const end = afterScheme.search(AUTHORITY_END);
  const authority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at < 0) return { scheme, userinfo: undefined, rest: afterScheme };
  return { scheme, userinfo: authority.slice(0, at), rest: afterScheme.slice(at + 1) };
}

/** The URL without its userinfo: `ws://user:pass@host/ws/v1` → `ws://host/ws/v1`. A stable, shareable id. */
export function withoutUserinfo(url: string): string {
  const { scheme, userinfo, rest } = splitUserinfo(url);
  return userinfo === undefined ? url : `${scheme}${rest}`;
}

/** The URL with its userinfo shown as `***`: `ws://user:pass@host/ws/v1` → `ws://***@host/ws/v1`. */
export function maskUserinfo(url: string): string {
  const { scheme, userinfo, rest } = splitUserinfo(url);
  if (userinfo !== undefined) return `${scheme}***@${rest}`;
  // An `@` past the authority may end credentials holding an unencoded `/`, `?` or `#`: hide it all.
  const lenient = lenientUserinfo(url);
  return lenient === undefined ? url : `${scheme}***@${url.slice(scheme.length + lenient.length + 1)}`;
}

/**
 * Why credentials in this URL would be misread, if they would: an `@` after the host means
 * a `/`, `?` or `#` in them was not percent-encoded, and the URL names another host than meant.
 * The message never quotes the URL.
 */
export function userinfoIssue(url: string): string | undefined {
  const { userinfo, rest } = splitUserinfo(url);
  if (!SCHEME.test(url) || !rest.includes('@')) return undefined;
  return (
    `the URL has an @ after its host${userinfo === undefined ? '' : ' and credentials'}: percent-encode ` +
    '/ ? # @ in a user name or password (%2F %3F %23 %40), or pass the credentials as auth'
  );
}

/**
 * Everything between `scheme://` and the last `@` of the URL: what could be credentials, even in
 * a URL that WHATWG would read otherwise (`ws://user:pa/ss@host`). Over-reaching is fine here.
 */
function lenientUserinfo(url: string): string | undefined {
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme === undefined) return undefined;
  const at = url.lastIndexOf('@');
  return at < scheme.length ? undefined : url.slice(scheme.length, at);
}

/** HTTP Basic credentials. */
export interface Credentials {
  username: string;
  password: string;
}

/** Every form in which the credentials of a URL may appear in a message (raw, decoded, encoded). */
export function secretsOfUrl(url: string): string[] {
  const secrets = new Set<string>();
  for (const userinfo of [splitUserinfo(url).userinfo, lenientUserinfo(url)]) {
    if (userinfo === undefined || userinfo === '') continue;
    secrets.add(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon < 0) continue;
    const username = decodeLeniently(userinfo.slice(0, colon));
    const password = decodeLeniently(userinfo.slice(colon + 1));
    for (const secret of secretsOfCredentials({ username, password })) secrets.add(secret);
    secrets.add(userinfo.slice(colon + 1));
  }
  return [...secrets];
}

/** Every form in which a password may appear: raw, percent-encoded, `user:pass`, its Basic token. */
export function secretsOfCredentials({ username, password }: Credentials): string[] {
  if (typeof password !== 'string' || password === '') return [];
  const secrets = new Set([
    password,
    encodeURIComponent(password),
    encodeUserinfo(password),
    // As a JSON body quotes it (`"` and `\` escaped).
    JSON.stringify(password).slice(1, -1),
    `${username}:${password}`,
  ]);
  secrets.add(basicToken({ username, password }));
  return [...secrets];
}

/** The token of `Authorization: Basic <token>`: base64 of the UTF-8 bytes of `user:pass` (RFC 7617). */
export function basicToken({ username, password }: Credentials): string {
  return encodeBase64(utf8Bytes(`${username}:${password}`));
}

/** WHATWG URL's userinfo percent-encode set: how a password shows in a parsed URL's `href`. */
const USERINFO_ENCODED = /[\u0000-\u0020"#<>?`{}/:;=@[\\\]^|\u{7f}-\u{10ffff}]/u;

function encodeUserinfo(text: string): string {
  let encoded = '';
  for (const char of text) {
    if (!USERINFO_ENCODED.test(char)) encoded += char;
    else
      for (const byte of utf8Bytes(char)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** `decodeURIComponent`, or the text as it is when it is not valid percent-encoding (`100%`). */
export function decodeLeniently(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Takes known secrets out of text and errors, so no message, stack or cause can show them. */
export interface Redactor {
  text(text: string): string;
  /** The error with every secret taken out of it and its causes; SDK errors are cleaned in place. */
  error<E>(error: E): E;
}

/** A redactor of `secrets` (and of any `Basic`/`Bearer` token, whoever's it is). */
export function createRedactor(secrets: Iterable<string>): Redactor {
  // Longest first, so that a secret containing another is taken out whole.
  const known = [...new Set(secrets)].filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    let output = input.replace(AUTHORIZATION_TOKEN, '$1$2***');
    for (const secret of known) output = output.split(secret).join('***');
    return output;
  };
  return { text, error: <E>(error: E) => redactError(error, text, new Set()) as E };
}

/** Own fields kept on the copy of a foreign error (`ws` and Node errors put their detail there). */
function redactError(error: unknown, text: (input: string) => string, seen: Set<unknown>): unknown {
  if (typeof error === 'string') return text(error);
  if (!(error instanceof Error) || seen.has(error)) return error;
  seen.add(error);
  const target: Error = error instanceof ConnmixError ? error : new Error('');
  if (target !== error && error.name !== target.name) define(target, 'name', text(error.name));
  const fields = target as unknown as Record<string, unknown>;
  const source = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(error)) {
    if (key === 'cause') continue;
    const value = source[key];
    if (typeof value === 'string') fields[key] = text(value);
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    // A foreign error's object fields (requests, sockets, headers) are not copied.
    else if (target === error) fields[key] = value;
  }
  define(target, 'message', text(error.message));
  if (typeof error.stack === 'string') define(target, 'stack', text(error.stack));
  if ('cause' in error) define(target, 'cause', redactError(error.cause, text, seen));
  return target;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}
