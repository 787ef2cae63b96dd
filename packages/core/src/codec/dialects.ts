import type { ValidationIssue } from '../errors/errors.ts';
import type { Dialect } from '../grammar/dialect.ts';
import type { OutgoingRequest } from '../schema/requests.ts';

/**
 * What differs between dialects on the way out: how params are laid out. The grammar table
 * (`../grammar/methods.ts`, `../grammar/layouts.ts`) states it for the readers; this is the
 * encoder's hot path spelled out, and the property tests read what it writes back with the zod
 * wire schemas and the dev mesh, both built from the table.
 */
export interface DialectRules {
  /** The `p` of a request. */
  params(request: OutgoingRequest): unknown;
  /** Whether `mesh.*` accepts `type: 'binary'` (base64 data). */
  readonly binary: boolean;
  /** Whether the heartbeat is the `server.ping` request (else the text frame `ping`). */
  readonly serverPing: boolean;
}

/** The params object of a request, as v1.0.3 writes it; v1.0.2 wraps it in an array. */
function paramsObject(request: OutgoingRequest): Record<string, unknown> {
  switch (request.method) {
    case 'server.ping':
    case 'queue.unpop':
      return {};
    case 'queue.pop':
      return { t: request.topics };
    case 'conn.call':
      return { c: request.clientId, f: request.func, a: request.args };
    case 'mesh.send':
    case 'mesh.publish': {
      const params = {
        c: request.method === 'mesh.send' ? request.clientId : request.channel,
        d: request.data,
      };
      return request.type === undefined ? params : { ...params, t: request.type };
    }
    default: {
      // A new method is a compile error here until it has its params.
      const unknown: never = request;
      return unknown;
    }
  }
}

export const DIALECTS: Record<Dialect, DialectRules> = {
  'v1.0.2': {
    binary: false,
    serverPing: true,
    params(request) {
      // Written out, not derived from the v1.0.3 object: this runs for every request.
      switch (request.method) {
        case 'queue.pop':
          return request.topics;
        case 'server.ping':
        case 'queue.unpop':
          return [];
        // v1.0.2 has no message type: text is implied (binary is refused before this point).
        case 'mesh.send':
          return [{ c: request.clientId, d: request.data }];
        case 'mesh.publish':
          return [{ c: request.channel, d: request.data }];
        default:
          return [paramsObject(request)];
      }
    },
  },
  'v1.0.3': { binary: true, serverPing: false, params: paramsObject },
};

/** Why `dialect` has no rules, or undefined when it has (own keys only: `toString` is no dialect). */
export function dialectIssue(dialect: unknown): ValidationIssue | undefined {
  if (typeof dialect === 'string' && Object.hasOwn(DIALECTS, dialect)) return undefined;
  return {
    path: ['dialect'],
    message: `unknown dialect ${JSON.stringify(dialect)}; use 'v1.0.2' or 'v1.0.3'`,
  };
}
