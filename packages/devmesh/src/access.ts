import type { IncomingMessage } from 'node:http';

/** What a user may do: `read` pops and pings, `write` also calls `conn.call` and `mesh.*`. */
export type AccessRole = 'read' | 'write';

export interface AccessUser {
  username: string;
  password: string;
  roles: readonly AccessRole[];
  /** IP globs the user may connect from (`127.0.0.1`, `10.0.*.*`, `*`). @default '*' */
  host?: string | readonly string[] | undefined;
}

export interface AccessOptions {
  /** Users checked with HTTP Basic on the center, on API upgrades and on REST calls. */
  users: readonly AccessUser[];
}

/** Who is on the other end of a request, once access allowed it. */
export interface Principal {
  /** The user name, or undefined when access control is off. */
  readonly username: string | undefined;
  readonly roles: ReadonlySet<AccessRole>;
}

export type AccessDecision =
  { ok: true; principal: Principal } | { ok: false; status: 401 | 403; message: string };

const OPEN: Principal = { username: undefined, roles: new Set<AccessRole>(['read', 'write']) };

/** Checks the Basic credentials and the remote address of a request against `access.users`. */
export function authorize(access: AccessOptions | undefined, request: IncomingMessage): AccessDecision {
  if (access === undefined) return { ok: true, principal: OPEN };
  const credentials = basicCredentials(request.headers.authorization);
  if (credentials === undefined)
    return { ok: false, status: 401, message: 'credentials required (HTTP Basic)' };
  const user = access.users.find(
    (candidate) => candidate.username === credentials.username && candidate.password === credentials.password,
  );
  if (user === undefined) return { ok: false, status: 401, message: 'unknown user or wrong password' };
  const address = normalizeAddress(request.socket.remoteAddress ?? '');
  const globs = user.host === undefined ? ['*'] : typeof user.host === 'string' ? [user.host] : user.host;
  if (!globs.some((glob) => hostMatches(glob, address))) {
    return { ok: false, status: 403, message: `user ${user.username} may not connect from ${address}` };
  }
  return { ok: true, principal: { username: user.username, roles: new Set(user.roles) } };
}

/** The reason a principal may not run a write method, or undefined when it may. */
export function writeDenied(principal: Principal): string | undefined {
  if (principal.roles.has('write')) return undefined;
  return `forbidden: user ${principal.username ?? '(anonymous)'} lacks the write role`;
}

/** The reason a principal may not pop, or undefined when it may. */
export function readDenied(principal: Principal): string | undefined {
  if (principal.roles.has('read') || principal.roles.has('write')) return undefined;
  return `forbidden: user ${principal.username ?? '(anonymous)'} has no role`;
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) is `127.0.0.1`. */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** A glob where `*` matches any run of characters and everything else is literal. */
export function hostMatches(glob: string, address: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(address);
}
