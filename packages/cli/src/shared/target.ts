import {
  ConnectionClosedError,
  ConnmixError,
  TimeoutError,
  createClient,
  createCluster,
  nodeTransport,
  type Client,
  type Cluster,
  type ClusterNode,
} from '@connmix/node';
import type { ConnectionSettings } from './commandLine.ts';

/** An open connection: a client of one engine, or a cluster (which is a `Client` too). */
export type Target =
  | { kind: 'engine'; url: string; client: Client }
  | { kind: 'cluster'; center: string; client: Client; cluster: Cluster };

export interface OpenTargetOptions {
  /** Aborts the wait for the connection. */
  signal: AbortSignal;
  /** Heartbeats for a command that stays connected (`pop`); a one-shot command needs none. */
  keepAlive: boolean;
}

/**
 * Connects to the engine or the cluster the flags name. Unlike a long-lived worker, a command
 * gives up on the first failure (a refused upgrade, a center that does not answer) instead of
 * retrying until the deadline, and reports that failure. Once open, the client reconnects as usual.
 */
export async function openTarget(settings: ConnectionSettings, options: OpenTargetOptions): Promise<Target> {
  const { endpoint, auth, dialect, timeoutMs } = settings;
  const clientOptions = {
    transport: nodeTransport({ auth, handshakeTimeoutMs: timeoutMs }),
    dialect,
    requestTimeoutMs: timeoutMs,
    connectTimeoutMs: timeoutMs,
    heartbeat: options.keepAlive ? undefined : false,
  } as const;
  if (endpoint.kind === 'engine') {
    const client = createClient({ ...clientOptions, url: endpoint.url });
    await connectOrFail(client, timeoutMs, options.signal, (fail) => {
      let lastError: Error | undefined;
      const offError = client.on('error', (event) => {
        if (event.kind === 'transport') lastError = event.error;
      });
      const offState = client.on('state', ({ to }) => {
        if (to === 'reconnecting' || to === 'closed') fail(lastError ?? notOpened(endpoint.url));
      });
      return () => {
        offError();
        offState();
      };
    });
    return { kind: 'engine', url: endpoint.url, client };
  }
  const cluster = createCluster({ ...clientOptions, center: withCredentials(endpoint.center, auth) });
  await connectOrFail(
    cluster,
    timeoutMs,
    options.signal,
    (fail) => {
      let lastError: Error | undefined;
      const offError = cluster.on('error', (event) => {
        if (event.kind === 'discovery') fail(event.error);
        else if (event.kind === 'transport') lastError = event.error;
      });
      // Every engine the center listed failed its first attempt: no engine is about to open.
      const offNodes = cluster.on('nodes', ({ nodes }) => {
        if (nodes.length > 0 && nodes.every(({ state }) => state === 'reconnecting' || state === 'closed')) {
          fail(lastError ?? notOpened(nodes.map(({ url }) => url).join(', ')));
        }
      });
      return () => {
        offError();
        offNodes();
      };
    },
    (error) =>
      error instanceof TimeoutError && cluster.nodes.length === 0
        ? new ConnmixError(`the center ${endpoint.center} lists no engine (waited ${timeoutMs} ms for one)`, {
            cause: error,
          })
        : error,
  );
  return { kind: 'cluster', center: endpoint.center, client: cluster, cluster };
}

/** Closes what `openTarget` opened. */
export async function closeTarget(target: Target): Promise<void> {
  await target.client.close();
}

/**
 * The engines of a cluster once none of them is still connecting (each is open, or failed its
 * first attempt), or when `timeoutMs` has passed, whichever comes first.
 */
export async function settledNodes(
  cluster: Cluster,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ClusterNode[]> {
  const settled = (nodes: readonly ClusterNode[]) =>
    nodes.every(({ state }) => state !== 'idle' && state !== 'connecting');
  if (settled(cluster.nodes)) return cluster.nodes;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const off = cluster.on('nodes', ({ nodes }) => {
      if (settled(nodes)) done();
    });
    signal.addEventListener('abort', done, { once: true });
  });
  return cluster.nodes;
}

/**
 * `connect()` with a deadline, cut short by `watch` calling `fail`: the client is then closed and
 * the promise rejects with that failure rather than with the abort it caused. `explain` may
 * replace any other error with a clearer one, while the client still shows what went on.
 */
async function connectOrFail(
  client: Pick<Client, 'connect' | 'close'>,
  timeoutMs: number,
  signal: AbortSignal,
  watch: (fail: (error: Error) => void) => () => void,
  explain: (error: unknown) => unknown = (error) => error,
): Promise<void> {
  const attempt = new AbortController();
  let failure: Error | undefined;
  const unwatch = watch((error) => {
    failure ??= error;
    attempt.abort();
  });
  let watching = true;
  const stopWatching = () => {
    if (watching) unwatch();
    watching = false;
  };
  const abort = () => attempt.abort();
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect({ signal: attempt.signal, timeoutMs });
  } catch (error) {
    // Before close(): the `closed` it causes is not a failure to report.
    stopWatching();
    const reported = failure ?? explain(error);
    await client.close();
    throw reported;
  } finally {
    stopWatching();
    signal.removeEventListener('abort', abort);
  }
}

function notOpened(where: string): ConnectionClosedError {
  return new ConnectionClosedError({
    message: `could not connect to ${where}`,
    code: 1006,
    reason: '',
  });
}

/** The center URL with the credentials in it, which is how discovery takes them. */
function withCredentials(center: string, auth: ConnectionSettings['auth']): string {
  if (!auth) return center;
  const url = new URL(center);
  url.username = encodeURIComponent(auth.username);
  url.password = encodeURIComponent(auth.password);
  return url.href;
}
