import { isPlainObject } from '../grammar/values.ts';
import { ValidationError, type ValidationIssue } from '../errors/errors.ts';
import { userinfoIssue, withoutUserinfo } from '../errors/redact.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';
import { isAbsoluteUrl } from '../runtime/url.ts';
import type { CallOptions, ClientOptions, ResolvedClientOptions } from '../client/options.ts';
import { resolveClientOptions } from '../client/resolveOptions.ts';

/** One engine as the center lists it, handed to `nodeUrl`. */
export interface DiscoveredNode {
  /** The node id; an id the center wrote as a JSON number comes as its exact decimal string. */
  id: string;
  /** `host:port` of the engine's API server (`api_server`). */
  apiServer: string;
}

/** An engine given by hand, with the id the cluster knows it by. */
export interface StaticNode {
  id: string;
  /** WebSocket URL of the engine's API server, e.g. `ws://10.0.0.5:6789/ws/v1`. */
  url: string;
}

/** What discovery passes to `fetch`. */
export interface FetchInit {
  method: 'GET';
  headers: Record<string, string>;
  signal?: AbortSignalLike | undefined;
}

/** The part of a `fetch` response that discovery reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

/** The shape of the platform `fetch`, as far as discovery uses it. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/** `createClient` options (except `url`), which every engine client gets, plus the cluster's own. */
export interface ClusterOptions extends Omit<ClientOptions, 'url'> {
  /** Base URL of the center's HTTP API (`http://host:6787`); engines are found at `GET {center}/v1/nodes`. */
  center?: string | undefined;
  /**
   * The engines, when there is no center: API URLs or `{ id, url }`. A URL's node id is the URL
   * without its credentials (`ws://user:pass@host/ws/v1` is node `ws://host/ws/v1`).
   */
  nodes?: ReadonlyArray<string | StaticNode> | undefined;
  /** Time between two discoveries (the first runs at connect). @default 60_000 */
  resyncIntervalMs?: number | undefined;
  /** The `fetch` discovery uses (to add headers, or where the runtime has none). @default globalThis.fetch, read at call time */
  fetch?: FetchLike | undefined;
  /** Maps a discovered engine to its API URL. @default `ws://{apiServer}/ws/v1` (`wss://` when the center is https) */
  nodeUrl?: ((node: DiscoveredNode) => string) | undefined;
  /** Client ids whose engine the cluster remembers for `conn.call`, least recently seen forgotten first. @default 100_000 */
  routeCapacity?: number | undefined;
}

/** Options of a cluster call: those of a client call, plus the engine to use. */
export interface ClusterCallOptions extends CallOptions {
  /** Sends the call through this engine (an id of `cluster.nodes`, e.g. `msg.node`) instead of the one the cluster picks. */
  node?: string | undefined;
}

/** The default of every cluster option (the client options default to `CLIENT_DEFAULTS`). */
export const CLUSTER_DEFAULTS = {
  resyncIntervalMs: 60_000,
  routeCapacity: 100_000,
} as const;

export type EngineSource = { kind: 'center'; center: string } | { kind: 'static'; nodes: StaticNode[] };

export interface ResolvedClusterOptions {
  /** What each engine client is created with, `url` aside. */
  client: Omit<ClientOptions, 'url'>;
  /** The client options with their defaults, for the cluster's own deadlines and retries. */
  defaults: ResolvedClientOptions;
  source: EngineSource;
  resyncIntervalMs: number;
  fetch: FetchLike | undefined;
  nodeUrl: ((node: DiscoveredNode) => string) | undefined;
  routeCapacity: number;
}

const CLUSTER_KEYS = ['center', 'nodes', 'resyncIntervalMs', 'fetch', 'nodeUrl', 'routeCapacity'] as const;
/** A placeholder that passes the client's URL check, so its other options are checked up front. */
const PLACEHOLDER_URL = 'ws://cluster.invalid/ws/v1';

/** Checks every option up front and fills in the defaults; throws `ValidationError` listing each problem. */
export function resolveClusterOptions(options: ClusterOptions): ResolvedClusterOptions {
  if (!isPlainObject(options)) {
    throw new ValidationError('cluster options', [
      { path: [], message: 'createCluster takes an options object' },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const client: Record<string, unknown> = { ...options };
  for (const key of CLUSTER_KEYS) delete client[key];
  delete client['url'];
  let defaults: ResolvedClientOptions | undefined;
  try {
    defaults = resolveClientOptions({ ...(client as Omit<ClientOptions, 'url'>), url: PLACEHOLDER_URL });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
  }
  if ('url' in options) {
    issues.push({
      path: ['url'],
      message: 'a cluster has no url: give center (discovery) or nodes (a list of engine URLs)',
    });
  }
  const source = engineSource(options, issues);
  const resyncIntervalMs = options.resyncIntervalMs ?? CLUSTER_DEFAULTS.resyncIntervalMs;
  if (typeof resyncIntervalMs !== 'number' || !Number.isFinite(resyncIntervalMs) || resyncIntervalMs <= 0) {
    issues.push({ path: ['resyncIntervalMs'], message: 'resyncIntervalMs is a positive number of ms' });
  }
  const routeCapacity = options.routeCapacity ?? CLUSTER_DEFAULTS.routeCapacity;
  if (!Number.isSafeInteger(routeCapacity) || routeCapacity <= 0) {
    issues.push({
      path: ['routeCapacity'],
      message: 'routeCapacity is a positive integer (a client id count)',
    });
  }
  for (const key of ['fetch', 'nodeUrl'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      issues.push({ path: [key], message: `${key} is a function` });
    }
  }
  if (issues.length > 0 || !defaults || !source) throw new ValidationError('cluster options', issues);
  return {
    client: client as Omit<ClientOptions, 'url'>,
    defaults,
    source,
    resyncIntervalMs,
    fetch: options.fetch,
    nodeUrl: options.nodeUrl,
    routeCapacity,
  };
}

function engineSource(options: ClusterOptions, issues: ValidationIssue[]): EngineSource | undefined {
  const { center, nodes } = options;
  if ((center === undefined) === (nodes === undefined)) {
    issues.push({
      path: center === undefined ? [] : ['nodes'],
      message: 'give either center (the URL of the center, for discovery) or nodes (engine URLs), not both',
    });
    return undefined;
  }
  if (center !== undefined) {
    if (typeof center !== 'string' || !/^https?:\/\/\S+$/i.test(center)) {
      issues.push({
        path: ['center'],
        message: 'center is the http(s) URL of the center, e.g. http://127.0.0.1:6787',
      });
      return undefined;
    }
    const issue = userinfoIssue(center);
    if (issue) {
      issues.push({ path: ['center'], message: issue });
      return undefined;
    }
    return { kind: 'center', center };
  }
  if (!Array.isArray(nodes) || nodes.length === 0) {
    issues.push({ path: ['nodes'], message: 'nodes is a non-empty array of engine URLs or { id, url }' });
    return undefined;
  }
  const resolved: StaticNode[] = [];
  const seen = new Set<string>();
  nodes.forEach((node: unknown, index) => {
    // The id of a bare URL is that URL without its credentials: ids are shown everywhere.
    const entry = typeof node === 'string' ? { id: withoutUserinfo(node), url: node } : node;
    if (
      !isPlainObject(entry) ||
      typeof entry['id'] !== 'string' ||
      entry['id'] === '' ||
      !isAbsoluteUrl(entry['url'])
    ) {
      issues.push({
        path: ['nodes', index],
        message: 'a node is an engine API URL (ws://host:6789/ws/v1) or { id, url }',
      });
      return;
    }
    const id = entry['id'];
    const issue = userinfoIssue(entry['url'] as string);
    if (issue) {
      issues.push({ path: ['nodes', index], message: issue });
      return;
    }
    if (seen.has(id)) {
      issues.push({ path: ['nodes', index], message: `node id ${id} is given twice` });
      return;
    }
    seen.add(id);
    resolved.push({ id, url: entry['url'] as string });
  });
  return { kind: 'static', nodes: resolved };
}

/** Splits the engine choice off the options of one cluster call; throws `ValidationError` on a bad `node`. */
export function splitNodeOption(
  what: string,
  options: unknown,
): { node: string | undefined; options: CallOptions | undefined } {
  if (!isPlainObject(options) || !('node' in options))
    return { node: undefined, options: options as CallOptions };
  const { node, ...rest } = options;
  if (node !== undefined && (typeof node !== 'string' || node === '')) {
    throw new ValidationError(what, [
      { path: ['node'], message: 'node is the id of an engine of cluster.nodes' },
    ]);
  }
  return { node: node as string | undefined, options: rest as CallOptions };
}
