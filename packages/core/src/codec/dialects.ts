import type { Dialect } from '../schema/primitives.ts';
import type { OutgoingRequest } from '../schema/requests.ts';

/**
 * What differs between dialects on the way out: how params are laid out. Adding a dialect is
 * adding one entry here (and, if its frames differ, a branch in `decodeFrame`).
 */
export interface DialectRules {
  /** The `p` of a request. */
  params(request: OutgoingRequest): unknown;
  /** Whether `mesh.*` accepts `type: 'binary'` (base64 data). */
  readonly binary: boolean;
  /** Whether the heartbeat is the `server.ping` request (else the text frame `ping`). */
  readonly serverPing: boolean;
}

const v102: DialectRules = {
  binary: false,
  serverPing: true,
  params(request) {
    switch (request.method) {
      case 'server.ping':
      case 'queue.unpop':
        return [];
      case 'queue.pop':
        return request.topics;
      case 'conn.call':
        return [{ c: request.clientId, f: request.func, a: request.args }];
      case 'mesh.send':
        return [{ c: request.clientId, d: request.data }];
      case 'mesh.publish':
        return [{ c: request.channel, d: request.data }];
      default:
        return unreachable(request);
    }
  },
};

const v103: DialectRules = {
  binary: true,
  serverPing: false,
  params(request) {
    switch (request.method) {
      case 'server.ping':
      case 'queue.unpop':
        return {};
      case 'queue.pop':
        return { t: request.topics };
      case 'conn.call':
        return { c: request.clientId, f: request.func, a: request.args };
      case 'mesh.send':
        return withType({ c: request.clientId, d: request.data }, request.type);
      case 'mesh.publish':
        return withType({ c: request.channel, d: request.data }, request.type);
      default:
        return unreachable(request);
    }
  },
};

export const DIALECTS: Record<Dialect, DialectRules> = { 'v1.0.2': v102, 'v1.0.3': v103 };

function withType(params: { c: string; d: string }, type: 'text' | 'binary' | undefined) {
  return type === undefined ? params : { ...params, t: type };
}

function unreachable(value: never): never {
  throw new Error(`unhandled request ${JSON.stringify(value)}`);
}
