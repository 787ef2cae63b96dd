import type { AbortSignalLike } from '../runtime/abort.ts';
import type { TransportFactory } from '../transport/transport.ts';
import type { Cluster } from './cluster.ts';
import { createCluster } from './createCluster.ts';
import type { ClusterOptions } from './options.ts';

/** Options of an adapter's `connectCluster(options)`: every cluster option, the transport made for you. */
export interface ConnectClusterOptions extends Omit<ClusterOptions, 'transport'> {
  /** Opens the sockets of every engine client. @default the adapter's own transport */
  transport?: TransportFactory | undefined;
  /** Aborts the wait for the first open engine (the cluster is then closed). @default undefined */
  signal?: AbortSignalLike | undefined;
  /**
   * Deadline for the first open engine, discovery and retries included; past it the cluster is
   * closed. @default undefined: it waits until an engine can be reached
   */
  timeoutMs?: number | undefined;
}

/**
 * Creates a cluster and resolves once one engine is open. If none opens (when `timeoutMs` passes
 * or `signal` aborts), the cluster is closed (no timer, request or socket is left behind) and the
 * promise rejects. The adapters' `connectCluster()` is this with their transport as the default.
 *
 * @example
 * const cluster = await openCluster({ center: 'http://127.0.0.1:6787', transport: myTransport() });
 */
export async function openCluster(
  options: ConnectClusterOptions & { transport: TransportFactory },
): Promise<Cluster> {
  const { signal, timeoutMs, ...clusterOptions } = options;
  const cluster = createCluster(clusterOptions);
  try {
    await cluster.connect({ signal, timeoutMs });
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
