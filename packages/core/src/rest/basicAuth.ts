import { encodeBase64 } from '../runtime/base64.ts';

/** HTTP Basic credentials. */
export interface RestAuth {
  username: string;
  password: string;
}

/** An http(s) URL with its `user:pass@` part taken out, and the credentials it held. */
export interface SplitUrl {
  url: string;
  auth: RestAuth | undefined;
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@(.*)$/i;

/**
 * `http://user:pass@host/x` → `http://host/x` and the credentials: `fetch` refuses a URL that
 * carries credentials, and a URL without them can go into an error message.
 */
export function splitUrlCredentials(url: string): SplitUrl {
  const match = USERINFO.exec(url);
  if (!match) return { url, auth: undefined };
  const [, scheme = '', userinfo = '', rest = ''] = match;
  const colon = userinfo.indexOf(':');
  const [username, password] =
    colon < 0 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  return { url: `${scheme}${rest}`, auth: { username: decode(username), password: decode(password) } };
}

/** The `Authorization` header value for HTTP Basic (RFC 7617, UTF-8). */
export function basicAuthorization(auth: RestAuth): string {
  // UTF-8 bytes of `user:pass` without TextEncoder (not in the ES2022 typings).
  const binary = unescape(encodeURIComponent(`${auth.username}:${auth.password}`));
  return `Basic ${encodeBase64(Uint8Array.from(binary, (char) => char.charCodeAt(0)))}`;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
