import { isPlainObject } from '../grammar/values.ts';
import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import { splitUrlCredentials, type RestAuth } from './basicAuth.ts';
import type { RestFetch, RestFetchResponse } from './fetchTypes.ts';

/** Options of `createRestClient`. */
export interface RestClientOptions {
  /** Base URL of one engine's API server (v1.0.3), e.g. `http://127.0.0.1:6789`. Give this or `urls`. */
  url?: string | undefined;
  /**
   * Base URLs of several engines: calls are spread over them, and a call moves on to the next one
   * only when its request certainly never reached an engine (connection refused).
   */
  urls?: readonly string[] | undefined;
  /** HTTP Basic credentials; they take precedence over `user:pass@` in a URL. */
  auth?: RestAuth | undefined;
  /**
   * The `fetch` to use (to add headers, or where the runtime has none). It is called as a
   * `RestFetch`; the second form admits the platform `fetch` itself, whose `RequestInit` the core
   * (compiled without DOM types) cannot name. @default globalThis.fetch, read at call time
   */
  fetch?: RestFetch | ((url: string, init: never) => Promise<RestFetchResponse>) | undefined;
  /** Deadline of each call, failover included. @default 10_000 */
  timeoutMs?: number | undefined;
}

/** The default of every REST client option. */
export const REST_DEFAULTS = { timeoutMs: 10_000 } as const;

/** One engine, as the REST client calls it. */
export interface RestEndpoint {
  /** Base URL without credentials (safe to show). */
  base: string;
  /** The `Authorization` credentials for this engine, if any. */
  auth: RestAuth | undefined;
}

export interface ResolvedRestOptions {
  endpoints: RestEndpoint[];
  fetch: RestFetch | undefined;
  timeoutMs: number;
}

const HTTP_URL = /^https?:\/\/\S+$/i;
const KEYS = new Set(['url', 'urls', 'auth', 'fetch', 'timeoutMs']);

/** Checks every option up front; throws `ValidationError` listing each problem. */
export function resolveRestOptions(options: RestClientOptions): ResolvedRestOptions {
  if (!isPlainObject(options)) {
    throw new ValidationError('REST client options', [
      { path: [], message: 'createRestClient takes an options object' },
    ]);
  }
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) issues.push({ path: [key], message: `unknown option ${key}` });
  }
  const { url, urls, auth, fetch, timeoutMs = REST_DEFAULTS.timeoutMs } = options;
  let given: unknown[] = [];
  if ((url === undefined) === (urls === undefined)) {
    issues.push({ path: [], message: 'give either url (one engine) or urls (several engines)' });
  } else if (url !== undefined) {
    given = [url];
  } else if (!Array.isArray(urls) || urls.length === 0) {
    issues.push({ path: ['urls'], message: 'urls is a non-empty array of engine URLs' });
  } else {
    given = urls;
  }
  const endpoints: RestEndpoint[] = [];
  given.forEach((entry, index) => {
    const path = url !== undefined ? ['url'] : ['urls', index];
    if (typeof entry !== 'string' || !HTTP_URL.test(entry)) {
      issues.push({
        path,
        message: 'an engine URL is the http(s) base URL of its API server, e.g. http://127.0.0.1:6789',
      });
      return;
    }
    const split = splitUrlCredentials(entry);
    if (split.auth?.username.includes(':') && auth === undefined) {
      issues.push({ path, message: 'an HTTP Basic username cannot contain ":" (%3A in the URL)' });
    }
    endpoints.push({ base: split.url.replace(/\/+$/, ''), auth: split.auth });
  });
  if (auth !== undefined) {
    if (
      !isPlainObject(auth) ||
      typeof auth['username'] !== 'string' ||
      typeof auth['password'] !== 'string'
    ) {
      issues.push({ path: ['auth'], message: 'auth takes { username: string, password: string }' });
    } else if (auth.username.includes(':')) {
      issues.push({ path: ['auth', 'username'], message: 'an HTTP Basic username cannot contain ":"' });
    } else {
      for (const endpoint of endpoints) endpoint.auth = { username: auth.username, password: auth.password };
    }
  }
  if (fetch !== undefined && typeof fetch !== 'function') {
    issues.push({ path: ['fetch'], message: 'fetch is a function' });
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    issues.push({ path: ['timeoutMs'], message: 'timeoutMs is a positive number of ms' });
  }
  if (issues.length > 0) throw new ValidationError('REST client options', issues);
  return { endpoints, fetch: fetch as RestFetch | undefined, timeoutMs: timeoutMs as number };
}
