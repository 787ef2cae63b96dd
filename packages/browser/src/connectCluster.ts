import { openCluster, type Cluster, type ConnectClusterOptions } from '@connmix/core';
import { browserTransport } from './browserTransport.ts';

/**
 * Creates a cluster client over the platform `WebSocket` (`browserTransport()` unless `transport`
 * is given) and resolves once one engine is open. If none opens within `timeoutMs` (or `signal`
 * aborts), the cluster is closed and the promise rejects.
 *
 * @example
 * const cluster = await connectCluster({ center: 'https://center.example', timeoutMs: 10_000 });
 * await cluster.pop('chat');
 */
export async function connectCluster(options: ConnectClusterOptions): Promise<Cluster> {
  return openCluster({ ...options, transport: options.transport ?? browserTransport() });
}
