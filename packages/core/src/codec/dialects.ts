import type { ValidationIssue } from '../errors/errors.ts';
import type { Dialect } from '../grammar/dialect.ts';
import { fieldInDialect, methodInDialect, paramsOf } from '../grammar/methods.ts';
import type { OutgoingRequest } from '../schema/requests.ts';

/**
 * What differs between dialects on the way out, as the grammar table (`../grammar/methods.ts`)
 * says it: how params are laid out, and what each dialect can say at all.
 */
export interface DialectRules {
  /** The `p` of a request. */
  params(request: OutgoingRequest): unknown;
  /** Whether `mesh.*` accepts `type: 'binary'` (base64 data). */
  readonly binary: boolean;
  /** Whether the heartbeat is the `server.ping` request (else the text frame `ping`). */
  readonly serverPing: boolean;
}

function rulesOf(dialect: Dialect): DialectRules {
  return {
    // A dialect without the message type field (v1.0.2) sends text only.
    binary: fieldInDialect('type', dialect),
    serverPing: methodInDialect('server.ping', dialect),
    params: (request) => paramsOf(request, dialect),
  };
}

export const DIALECTS: Record<Dialect, DialectRules> = {
  'v1.0.2': rulesOf('v1.0.2'),
  'v1.0.3': rulesOf('v1.0.3'),
};

/** Why `dialect` has no rules, or undefined when it has (own keys only: `toString` is no dialect). */
export function dialectIssue(dialect: unknown): ValidationIssue | undefined {
  if (typeof dialect === 'string' && Object.hasOwn(DIALECTS, dialect)) return undefined;
  return {
    path: ['dialect'],
    message: `unknown dialect ${JSON.stringify(dialect)}; use 'v1.0.2' or 'v1.0.3'`,
  };
}
