// An edge-worker / serverless handler that publishes to a connmix room: a plain module with the
// `fetch(request, env)` export that Cloudflare Workers, Deno Deploy, Bun.serve and most serverless
// platforms call. It holds no socket: each request is one `POST /v1/mesh/publish` to an engine.
import { createRestClient, isConnmixError, ValidationError } from '@connmix/core';

/** The platform's environment (secrets and variables). */
export interface Env {
  /** REST base URL of one engine or several, comma-separated: `http://10.0.0.5:6789,http://10.0.0.6:6789`. */
  CONNMIX_REST_URL: string;
  CONNMIX_USER?: string | undefined;
  CONNMIX_PASSWORD?: string | undefined;
}

/** What a caller posts: `{ "room": "room1", "text": "hello" }`. */
interface PublishBody {
  room: string;
  text: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return json(405, { error: 'POST { room, text }' });
    let body: PublishBody;
    try {
      body = (await request.json()) as PublishBody;
    } catch {
      return json(400, { error: 'the body is JSON { room, text }' });
    }
    const rest = createRestClient({
      urls: env.CONNMIX_REST_URL.split(',').map((url) => url.trim()),
      auth:
        env.CONNMIX_USER === undefined
          ? undefined
          : { username: env.CONNMIX_USER, password: env.CONNMIX_PASSWORD ?? '' },
      timeoutMs: 5_000,
    });
    try {
      // The platform's request signal: a client that goes away cancels the publish.
      const delivered = await rest.publish(body.room, body.text, { signal: request.signal });
      return json(200, delivered);
    } catch (error) {
      if (error instanceof ValidationError) return json(400, { error: error.message });
      // SDK messages never carry credentials, so they can be shown.
      if (isConnmixError(error)) return json(502, { error: `${error.name}: ${error.message}` });
      throw error;
    }
  },
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
