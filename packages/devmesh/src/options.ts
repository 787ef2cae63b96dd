import { randomBytes } from 'node:crypto';
import { ValidationError, type Dialect, type ValidationIssue } from '@connmix/core';
import type { AccessOptions } from './access.ts';
import { defaultEntry, type Entry } from './entry.ts';

/** What a queue push does when its topic holds `topicSize` messages, or a new topic would exceed `maxTopics`. */
export type QueueFullPolicy = 'block' | 'error';

export interface QueueOptions {
  /** Messages one topic holds while no consumer takes them. @default 2000 */
  topicSize?: number | undefined;
  /** Topics one engine holds at once. @default 100 */
  maxTopics?: number | undefined;
  /** `block`: `push` waits for room (backpressure on that end user); `error`: `push` rejects. @default 'block' */
  whenFull?: QueueFullPolicy | undefined;
}

export interface ApiServerOptions {
  /**
   * An API socket that sends nothing for this long is dropped; 0 disables. The engine's read
   * timeout: 600 s in v1.0.2 (`api_server.read_timeout: 600`), 60 s in v1.0.3
   * (`apiServer.readTimeout: 60`). @default 600000 in v1.0.2, 60000 in v1.0.3
   */
  idleTimeoutMs?: number | undefined;
  /** Largest frame an API socket may send. @default 16777216 (16 MiB) */
  maxPayloadBytes?: number | undefined;
}

export interface ProtocolServerOptions {
  /** An end-user socket that sends nothing for this long is dropped; 0 disables. @default 60000 */
  idleTimeoutMs?: number | undefined;
  /** A larger end-user frame closes that connection (code 1009). @default 1048576 (1 MiB) */
  maxPayloadBytes?: number | undefined;
}

/** Explicit ports; a missing or 0 port is chosen by the OS. */
export interface DevMeshPorts {
  /** The center's HTTP API. */
  center?: number | undefined;
  /** Per engine, in order: its API server and its protocol server. */
  engines?: ReadonlyArray<{ api?: number | undefined; protocol?: number | undefined }> | undefined;
}

export interface DevMeshOptions {
  /** Number of engines. @default 1 */
  engines?: number | undefined;
  /** Wire dialect every engine speaks. @default 'v1.0.2' */
  dialect?: Dialect | undefined;
  /** Interface every server binds to. @default '127.0.0.1' */
  host?: string | undefined;
  /**
   * `'os'`: every port chosen by the OS. `'fixed'`: the engine's defaults, center 6787, engine i API
   * 6789 + 2i and protocol 6790 + 2i. Or explicit ports. @default 'os'
   */
  ports?: 'os' | 'fixed' | DevMeshPorts | undefined;
  /**
   * Node ids of the engines, in order; all-digit ids are written as JSON numbers. `'short'`: a
   * random 10-letter id per engine, as v1.0.3 engines log them (`vsemvqedsc`), written as JSON
   * strings. @default ['1', '2', ...]
   */
  nodeIds?: readonly string[] | 'short' | undefined;
  /** The entry hooks, the JS counterpart of the Lua entry script. @default defaultEntry */
  entry?: Entry | undefined;
  /** Queue limits. */
  queue?: QueueOptions | undefined;
  /** API server (workers) limits. */
  api?: ApiServerOptions | undefined;
  /** Protocol server (end users) limits. */
  protocol?: ProtocolServerOptions | undefined;
  /** Users allowed on the center and the API servers (HTTP Basic). @default undefined (open) */
  access?: AccessOptions | undefined;
}

/** The defaults of every option, in one place. */
export const DEFAULT_DEV_MESH_OPTIONS = {
  engines: 1,
  dialect: 'v1.0.2',
  host: '127.0.0.1',
  ports: 'os',
  queue: { topicSize: 2000, maxTopics: 100, whenFull: 'block' },
  api: { idleTimeoutMs: { 'v1.0.2': 600_000, 'v1.0.3': 60_000 }, maxPayloadBytes: 16 * 1024 * 1024 },
  protocol: { idleTimeoutMs: 60_000, maxPayloadBytes: 1024 * 1024 },
  fixedPorts: { center: 6787, api: 6789, protocol: 6790 },
} as const;

/** Options with every default filled in, per engine where it differs. */
export interface ResolvedOptions {
  dialect: Dialect;
  host: string;
  centerPort: number;
  engines: Array<{ node: string; index: number; apiPort: number; protocolPort: number }>;
  entry: Entry;
  queue: Required<{ [K in keyof QueueOptions]: NonNullable<QueueOptions[K]> }>;
  api: { idleTimeoutMs: number; maxPayloadBytes: number };
  protocol: { idleTimeoutMs: number; maxPayloadBytes: number };
  access: AccessOptions | undefined;
}

/** Fills in the defaults; throws `ValidationError` listing every bad option. */
export function resolveOptions(options: DevMeshOptions = {}): ResolvedOptions {
  const d = DEFAULT_DEV_MESH_OPTIONS;
  const issues: ValidationIssue[] = [];
  const check = (ok: boolean, path: Array<string | number>, message: string) => {
    if (!ok) issues.push({ path, message });
  };
  const count = options.engines ?? d.engines;
  check(
    Number.isInteger(count) && count >= 1 && count <= 1023,
    ['engines'],
    'engines is an integer from 1 to 1023',
  );
  const dialect = options.dialect ?? d.dialect;
  check(dialect === 'v1.0.2' || dialect === 'v1.0.3', ['dialect'], "dialect is 'v1.0.2' or 'v1.0.3'");
  const numbered = () => Array.from({ length: count }, (_, i) => String(i + 1));
  const given: unknown = options.nodeIds;
  check(
    given === undefined || given === 'short' || Array.isArray(given),
    ['nodeIds'],
    "nodeIds is a list of ids or 'short'",
  );
  const nodeIds: readonly string[] =
    given === 'short' ? shortNodeIds(count) : Array.isArray(given) ? (given as string[]) : numbered();
  check(nodeIds.length === count, ['nodeIds'], 'give one node id per engine');
  check(new Set(nodeIds).size === nodeIds.length, ['nodeIds'], 'node ids must be distinct');
  nodeIds.forEach((id, i) =>
    check(/^[\w.-]+$/.test(id), ['nodeIds', i], 'a node id is letters, digits, _ . -'),
  );

  const queue = {
    topicSize: options.queue?.topicSize ?? d.queue.topicSize,
    maxTopics: options.queue?.maxTopics ?? d.queue.maxTopics,
    whenFull: options.queue?.whenFull ?? d.queue.whenFull,
  };
  check(isCount(queue.topicSize, 1), ['queue', 'topicSize'], 'topicSize is a positive integer');
  check(isCount(queue.maxTopics, 1), ['queue', 'maxTopics'], 'maxTopics is a positive integer');
  check(
    queue.whenFull === 'block' || queue.whenFull === 'error',
    ['queue', 'whenFull'],
    "'block' or 'error'",
  );
  const api = {
    idleTimeoutMs:
      options.api?.idleTimeoutMs ?? d.api.idleTimeoutMs[dialect === 'v1.0.3' ? 'v1.0.3' : 'v1.0.2'],
    maxPayloadBytes: options.api?.maxPayloadBytes ?? d.api.maxPayloadBytes,
  };
  const protocol = {
    idleTimeoutMs: options.protocol?.idleTimeoutMs ?? d.protocol.idleTimeoutMs,
    maxPayloadBytes: options.protocol?.maxPayloadBytes ?? d.protocol.maxPayloadBytes,
  };
  for (const [name, value] of [
    ['api', api],
    ['protocol', protocol],
  ] as const) {
    check(isCount(value.idleTimeoutMs, 0), [name, 'idleTimeoutMs'], 'a duration in ms (0 disables)');
    check(isCount(value.maxPayloadBytes, 1), [name, 'maxPayloadBytes'], 'a positive number of bytes');
  }

  const ports = options.ports ?? d.ports;
  const explicit = typeof ports === 'object' ? ports : undefined;
  const fixed = ports === 'fixed';
  check(ports === 'os' || fixed || explicit !== undefined, ['ports'], "ports is 'os', 'fixed' or an object");
  const centerPort = fixed ? d.fixedPorts.center : (explicit?.center ?? 0);
  check(isPort(centerPort), ['ports', 'center'], 'a port from 0 to 65535');
  const engines = nodeIds.slice(0, count).map((node, index) => {
    const given = explicit?.engines?.[index];
    const apiPort = fixed ? d.fixedPorts.api + 2 * index : (given?.api ?? 0);
    const protocolPort = fixed ? d.fixedPorts.protocol + 2 * index : (given?.protocol ?? 0);
    check(isPort(apiPort), ['ports', 'engines', index, 'api'], 'a port from 0 to 65535');
    check(isPort(protocolPort), ['ports', 'engines', index, 'protocol'], 'a port from 0 to 65535');
    return { node, index, apiPort, protocolPort };
  });
  issues.push(...accessIssues(options.access));
  if (issues.length > 0) throw new ValidationError('dev mesh options', issues);
  return {
    dialect,
    host: options.host ?? d.host,
    centerPort,
    engines,
    entry: options.entry ?? defaultEntry,
    queue,
    api,
    protocol,
    access: options.access,
  };
}

/** Distinct random ids of 10 letters from xid's alphabet, never all digits (so never a JSON number). */
function shortNodeIds(count: number): string[] {
  const alphabet = 'abcdefghijklmnopqrstuv';
  const ids = new Set<string>();
  while (ids.size < count) {
    ids.add(Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join(''));
  }
  return [...ids];
}

function accessIssues(access: AccessOptions | undefined): ValidationIssue[] {
  if (access === undefined) return [];
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(access.users)) return [{ path: ['access', 'users'], message: 'users is an array' }];
  access.users.forEach((user, i) => {
    if (typeof user.username !== 'string' || user.username === '' || user.username.includes(':'))
      issues.push({ path: ['access', 'users', i, 'username'], message: 'a non-empty name without ":"' });
    if (typeof user.password !== 'string')
      issues.push({ path: ['access', 'users', i, 'password'], message: 'a string' });
    if (
      !Array.isArray(user.roles) ||
      (user.roles as readonly unknown[]).some((role) => role !== 'read' && role !== 'write')
    )
      issues.push({ path: ['access', 'users', i, 'roles'], message: "roles are 'read' and/or 'write'" });
  });
  return issues;
}

function isCount(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}
