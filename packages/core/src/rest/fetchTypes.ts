import type { AbortSignalLike } from '../runtime/abort.ts';

/**
 * The part of `fetch` the REST client uses. The core has no DOM or Node types, so it names the
 * shape itself; the platform `fetch` of browsers, Node, Deno, Bun and edge workers fits it.
 */
export interface RestFetchInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignalLike | undefined;
}

/** The part of a `fetch` response the REST client reads. */
export interface RestFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

/** The shape of the platform `fetch`, as far as the REST client uses it. */
export type RestFetch = (url: string, init: RestFetchInit) => Promise<RestFetchResponse>;

/** An `AbortController`, read from `globalThis` (every runtime with `fetch` has one). */
export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

export function newAbortController(): AbortControllerLike | undefined {
  const Controller = (globalThis as unknown as { AbortController?: new () => AbortControllerLike })
    .AbortController;
  return Controller ? new Controller() : undefined;
}

export function platformFetch(): RestFetch | undefined {
  const found = (globalThis as unknown as { fetch?: unknown }).fetch;
  // Called unbound, the platform fetch throws "Illegal invocation" in browsers.
  return typeof found === 'function'
    ? (url, init) => (found as RestFetch).call(globalThis, url, init)
    : undefined;
}
