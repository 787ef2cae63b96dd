import { basicToken } from '../errors/redact.ts';

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
  return `Basic ${basicToken(auth)}`;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
