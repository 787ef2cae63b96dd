import { listenForAbort } from '../runtime/abort.ts';
import { payloadOf } from '../client/arguments.ts';
import type { CallOptions } from '../client/options.ts';
import { resolveCallOptions } from '../client/resolveOptions.ts';
import { Timer } from '../runtime/timers.ts';
import { DIALECTS } from '../codec/dialects.ts';
import { assertValidRequest } from '../codec/validateRequest.ts';
import { ConnmixError, TimeoutError, abortErrorFor } from '../errors/errors.ts';
import type { DeliveryResult } from '../schema/results.ts';
import { basicAuthorization } from './basicAuth.ts';
import { newAbortController, platformFetch, type RestFetch } from './fetchTypes.ts';
import { resolveRestOptions, type RestClientOptions, type RestEndpoint } from './options.ts';
import { neverReachedServer } from './refused.ts';
import { readRestAnswer } from './restAnswer.ts';

/** A publisher over the engine's REST endpoints (v1.0.3): no socket to keep open. */
export interface RestClient {
  /** Sends to one end-user connection (`POST /v1/mesh/send`); bytes go as base64 `binary`. */
  send(clientId: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  /** Publishes to every connection subscribed to `channel` (`POST /v1/mesh/publish`). */
  publish(channel: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  /** The engine base URLs, credentials left out. */
  readonly urls: readonly string[];
}

type DeliveryMethod = 'mesh.send' | 'mesh.publish';
const PATHS: Record<DeliveryMethod, string> = {
  'mesh.send': '/v1/mesh/send',
  'mesh.publish': '/v1/mesh/publish',
};

/**
 * A client for serverless and edge senders, built on `fetch` only: the same results and errors
 * as `client.send` / `client.publish`, without a WebSocket.
 *
 * @example
 * ```ts
 * const rest = createRestClient({ url: 'http://127.0.0.1:6789', auth: { username, password } });
 * const { success } = await rest.publish('room1', JSON.stringify({ text: 'hello' }));
 * ```
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const resolved = resolveRestOptions(options);
  const { endpoints } = resolved;
  let next = 0;

  // Async, so that bad input rejects the call (as the WebSocket client's does) instead of throwing.
  const deliver = async (method: DeliveryMethod, target: unknown, data: unknown, callOptions: unknown) => {
    const what = `${method} request`;
    const payload = payloadOf(what, data);
    const request =
      method === 'mesh.send'
        ? { method, clientId: target as string, ...payload }
        : { method, channel: target as string, ...payload };
    assertValidRequest(request);
    const { timeoutMs, signal } = resolveCallOptions(callOptions, resolved.timeoutMs);
    const body = JSON.stringify(DIALECTS['v1.0.3'].params(request));
    const fetch = resolved.fetch ?? platformFetch();
    if (typeof fetch !== 'function') {
      throw new ConnmixError(`${method} cannot run: this runtime has no fetch; pass the fetch option`);
    }
    // Spread calls over the engines: each call starts one further along the list.
    const first = next;
    next = (next + 1) % endpoints.length;
    const order = endpoints.map((_, i) => endpoints[(first + i) % endpoints.length] as RestEndpoint);
    return post({ fetch, method, body, order, timeoutMs, signal });
  };

  return {
    urls: endpoints.map((endpoint) => endpoint.base),
    send: (clientId, data, callOptions) => deliver('mesh.send', clientId, data, callOptions),
    publish: (channel, data, callOptions) => deliver('mesh.publish', channel, data, callOptions),
  };
}

interface Post {
  fetch: RestFetch;
  method: DeliveryMethod;
  body: string;
  order: RestEndpoint[];
  timeoutMs: number;
  signal: CallOptions['signal'];
}

/** One call: tries the engines in order while they refuse, within one deadline. */
function post({ fetch, method, body, order, timeoutMs, signal }: Post): Promise<DeliveryResult> {
  const what = `${method} (POST ${PATHS[method]})`;
  if (signal?.aborted) return Promise.reject(abortErrorFor(what, signal));
  return new Promise<DeliveryResult>((resolve, reject) => {
    const timer = new Timer();
    let controller = newAbortController();
    let settled = false;
    const settle = (error: Error | undefined, result?: DeliveryResult) => {
      if (settled) return;
      settled = true;
      timer.stop();
      stopListening();
      if (error) {
        controller?.abort(error);
        reject(error);
      } else resolve(result as DeliveryResult);
    };
    const stopListening = listenForAbort(signal, () => settle(abortErrorFor(what, signal!)));
    timer.start(timeoutMs, () => settle(new TimeoutError({ what, timeoutMs })));

    const attempt = (index: number, refused: string[]): void => {
      const endpoint = order[index] as RestEndpoint;
      const url = `${endpoint.base}${PATHS[method]}`;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (endpoint.auth) headers['authorization'] = basicAuthorization(endpoint.auth);
      if (index > 0) controller = newAbortController();
      let response;
      try {
        response = fetch(url, { method: 'POST', headers, body, signal: controller?.signal });
      } catch (cause) {
        response = Promise.reject(cause);
      }
      response
        .then(async (answer) => readRestAnswer(method, `POST ${url}`, answer.status, await answer.text()))
        .then(
          (result) => settle(undefined, result),
          (cause: unknown) => {
            if (settled) return;
            if (cause instanceof ConnmixError) return settle(cause);
            if (neverReachedServer(cause)) {
              refused.push(endpoint.base);
              if (index + 1 < order.length) return attempt(index + 1, refused);
              return settle(
                new ConnmixError(
                  `${what} failed: every engine refused the connection (${refused.join(', ')})`,
                  {
                    cause,
                  },
                ),
              );
            }
            settle(new ConnmixError(`POST ${url} failed: ${describe(cause)}`, { cause }));
          },
        );
    };
    attempt(0, []);
  });
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node's `fetch failed` says nothing; its cause says what happened (ECONNRESET, ...).
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
