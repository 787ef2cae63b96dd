import type { Cluster } from './cluster.ts';
import { ConnmixCluster } from './connmixCluster.ts';
import type { ClusterOptions } from './options.ts';

/**
 * Creates a cluster client; nothing is opened until `connect()` or the first call. Every engine
 * client gets the client options given here (`transport`, `dialect`, `heartbeat`, ...).
 * @example
 * const cluster = createCluster({ center: 'http://127.0.0.1:6787', transport: nodeTransport() });
 * await cluster.connect();
 * await cluster.pop('foo');
 */
export function createCluster(options: ClusterOptions): Cluster {
  return new ConnmixCluster(options);
}
