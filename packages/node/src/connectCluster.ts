import { openCluster, type Cluster, type ConnectClusterOptions } from '@connmix/core';
import { nodeTransport } from './nodeTransport.ts';

/**
 * Creates a cluster client over `ws` (`nodeTransport()` unless `transport` is given) and resolves
 * once one engine is open. If none opens within `timeoutMs` (or `signal` aborts), the cluster is
 * closed and the promise rejects. Credentials in `center` (`http://user:pass@host:6787`) go to
 * discovery only: give the engines theirs with `nodeTransport({ auth })`.
 *
 * @example
 * const cluster = await connectCluster({ center: 'http://127.0.0.1:6787', timeoutMs: 10_000 });
 * await cluster.pop('chat');
 */
export async function connectCluster(options: ConnectClusterOptions): Promise<Cluster> {
  return openCluster({ ...options, transport: options.transport ?? nodeTransport() });
}
