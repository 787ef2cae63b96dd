import { ValidationError } from '@connmix/core';
import { basicToken, decodeLeniently, maskUserinfo } from '@connmix/core/internal';
import type { BasicAuth } from './options.ts';

/** A URL with its `user:pass@` part taken out, and the credentials it held. */
export interface UrlWithoutCredentials {
  url: string;
  auth: BasicAuth | undefined;
}

/**
 * Takes `user:pass@` out of a WebSocket URL, so the credentials travel only in the
 * `Authorization` header and can never appear in an error message built from the URL.
 */
export function splitUrlCredentials(url: string): UrlWithoutCredentials {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: Node's URL error keeps the whole input, credentials included.
    throw new ValidationError('WebSocket URL', [
      {
        path: ['url'],
        message:
          `${maskUserinfo(url)} is not a valid URL (expected ws://host:port/ws/v1; percent-encode ` +
          '/ ? # @ % in credentials, or pass them as auth)',
      },
    ]);
  }
  if (parsed.username === '' && parsed.password === '') return { url, auth: undefined };
  const auth = {
    // A `%` that starts no escape (`100%`) is kept, as WHATWG URL kept it.
    username: decodeLeniently(parsed.username),
    password: decodeLeniently(parsed.password),
  };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, auth };
}

/** The `Authorization` header value for HTTP Basic (RFC 7617, UTF-8). */
export function basicAuthorization(auth: BasicAuth): string {
  // The core's encoder, the one the cluster's discovery and the REST client use: one UTF-8 rule.
  return `Basic ${basicToken(auth)}`;
}

/** Why these credentials cannot be sent with HTTP Basic, if they cannot. */
export function basicAuthIssue(auth: BasicAuth): string | undefined {
  if (typeof auth.username !== 'string' || typeof auth.password !== 'string') {
    return 'auth takes { username: string, password: string }';
  }
  if (auth.username.includes(':')) return 'an HTTP Basic username cannot contain ":"';
  return undefined;
}
