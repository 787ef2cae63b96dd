import type { AbortSignalLike } from '../runtime/abort.ts';
import { Timer } from '../runtime/timers.ts';
import { isAbsoluteUrl } from '../runtime/url.ts';
import { parseJsonExact } from '../codec/exactJson.ts';
import { isPlainObject } from '../grammar/values.ts';
import { AbortError, ConnmixError, ProtocolError, TimeoutError } from '../errors/errors.ts';
import {
  basicToken,
  createRedactor,
  secretsOfCredentials,
  secretsOfUrl,
  splitUserinfo,
  decodeLeniently,
  type Credentials,
  type Redactor,
} from '../errors/redact.ts';
import type { DiscoveredNode, FetchInit, FetchLike, FetchResponseLike } from './options.ts';

/** One engine to keep a client for. */
export interface EngineAddress {
  id: string;
  url: string;
}

export interface DiscoveryOptions {
  /** Base URL of the center's HTTP API; credentials in it (`http://user:pass@host`) go as HTTP Basic. */
  center: string;
  /** The injected `fetch`; `globalThis.fetch` is read at each run when absent. */
  fetch: FetchLike | undefined;
  /** Deadline of one `GET /v1/nodes`. */
  timeoutMs: number;
  nodeUrl: ((node: DiscoveredNode) => string) | undefined;
}

interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** `api_server` (`host:port`) → the engine's API WebSocket, secure when the center is. */
export function defaultNodeUrl(center: string): (node: DiscoveredNode) => string {
  const scheme = /^https:/i.test(center) ? 'wss' : 'ws';
  return (node) => `${scheme}://${node.apiServer}/ws/v1`;
}

/**
 * Reads the engine list from the center (`GET {center}/v1/nodes`). One run at a time; `cancel()`
 * ends the run in flight at once, so a closed cluster keeps no timer and no request.
 */
export class Discovery {
  readonly #options: DiscoveryOptions;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #nodeUrl: (node: DiscoveredNode) => string;
  readonly #timer = new Timer();
  /** Takes the credentials out of every error, in every form (a center may echo the header). */
  readonly #redactor: Redactor;
  #cancel: ((error: Error) => void) | undefined;

  constructor(options: DiscoveryOptions) {
    this.#options = options;
    const { base, credentials } = splitCredentials(options.center);
    this.#url = `${base.replace(/\/+$/, '')}/v1/nodes`;
    this.#headers = { accept: 'application/json' };
    if (credentials) this.#headers['authorization'] = `Basic ${basicToken(credentials)}`;
    this.#redactor = createRedactor([
      ...secretsOfUrl(options.center),
      ...(credentials ? secretsOfCredentials(credentials) : []),
    ]);
    this.#nodeUrl = options.nodeUrl ?? defaultNodeUrl(options.center);
  }

  /** Fetches and checks the list; rejects with a `ConnmixError` saying what went wrong. */
  run(): Promise<EngineAddress[]> {
    this.cancel();
    const what = `GET ${this.#url}`;
    const fetch = this.#options.fetch ?? (globalThis as unknown as { fetch?: FetchLike }).fetch;
    if (typeof fetch !== 'function') {
      return Promise.reject(
        new ConnmixError(`${what} cannot run: this runtime has no fetch; pass the fetch option`),
      );
    }
    const Controller = (globalThis as unknown as { AbortController?: new () => AbortControllerLike })
      .AbortController;
    const controller = Controller ? new Controller() : undefined;
    return new Promise<EngineAddress[]>((resolve, reject) => {
      const settle = (error: Error | undefined, nodes?: EngineAddress[]) => {
        if (this.#cancel !== fail) return;
        this.#cancel = undefined;
        this.#timer.stop();
        if (error) {
          const redacted = this.#redactor.error(error);
          controller?.abort(redacted);
          reject(redacted);
        } else resolve(nodes ?? []);
      };
      const fail = (error: Error) => settle(error);
      this.#cancel = fail;
      const { timeoutMs } = this.#options;
      this.#timer.start(timeoutMs, () => fail(new TimeoutError({ what, timeoutMs })));
      const init: FetchInit = { method: 'GET', headers: { ...this.#headers } };
      if (controller) init.signal = controller.signal;
      let request: Promise<FetchResponseLike>;
      try {
        request = fetch(this.#url, init);
      } catch (cause) {
        request = Promise.reject(cause);
      }
      request
        .then(async (response) => {
          const text = await response.text();
          if (!response.ok) {
            // Scrubbed before it is cut: a cut could leave part of a token that no longer matches.
            const body = this.#redactor.text(text).slice(0, 200);
            throw new ConnmixError(`${what} answered HTTP ${response.status}: ${body}`);
          }
          return this.#parse(text);
        })
        .then(
          (nodes) => settle(undefined, nodes),
          (cause: unknown) =>
            fail(
              cause instanceof ConnmixError
                ? cause
                : new ConnmixError(`${what} failed: ${describe(cause)}`, { cause }),
            ),
        );
    });
  }

  /** Ends the run in flight, if any, with `AbortError`. */
  cancel(): void {
    this.#cancel?.(new AbortError(`GET ${this.#url}`));
  }

  #parse(text: string): EngineAddress[] {
    const shown = this.#redactor.text(text);
    const problem = (what: string) => new ProtocolError(`the center's /v1/nodes answer ${what}`, shown);
    let body: unknown;
    try {
      body = parseJsonExact(text, [['nodes', '*', 'id']]);
    } catch (cause) {
      throw new ProtocolError("the center's /v1/nodes answer is not JSON", shown, { cause });
    }
    if (!isPlainObject(body) || !Array.isArray(body['nodes'])) throw problem('has no nodes array');
    const nodes: EngineAddress[] = [];
    const seen = new Set<string>();
    for (const [index, entry] of body['nodes'].entries()) {
      const id = isPlainObject(entry) ? entry['id'] : undefined;
      const apiServer = isPlainObject(entry) ? entry['api_server'] : undefined;
      if (typeof id !== 'string' || id === '' || typeof apiServer !== 'string' || apiServer === '') {
        throw problem(`has an entry ${index} without a string or integer id and an api_server`);
      }
      if (seen.has(id)) throw problem(`lists node ${id} twice`);
      seen.add(id);
      let url: string;
      try {
        url = this.#nodeUrl({ id, apiServer });
      } catch (cause) {
        throw new ConnmixError(`nodeUrl threw for node ${id}`, { cause });
      }
      if (!isAbsoluteUrl(url)) {
        throw new ConnmixError(`nodeUrl returned ${JSON.stringify(url)} for node ${id}, not a WebSocket URL`);
      }
      nodes.push({ id, url });
    }
    return nodes;
  }
}

/**
 * `http://user:pass@host/x` → `http://host/x` and the percent-decoded credentials, sent as HTTP
 * Basic (fetch refuses URLs with credentials). The userinfo ends at the last `@` of the authority,
 * as WHATWG URL reads it, so a password may hold `@` (or `%40`); the user name ends at the first `:`.
 */
function splitCredentials(center: string): { base: string; credentials: Credentials | undefined } {
  const { scheme, userinfo, rest } = splitUserinfo(center);
  if (userinfo === undefined) return { base: center, credentials: undefined };
  const colon = userinfo.indexOf(':');
  const username = decodeLeniently(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeLeniently(userinfo.slice(colon + 1));
  return { base: `${scheme}${rest}`, credentials: { username, password } };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
