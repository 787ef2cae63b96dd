import type { SendDurations } from './sendDurations.ts';
import type { EngineStats } from './stats.ts';

/** What the engine's documented metrics are computed from. */
export interface EngineMetricsSource {
  stats: EngineStats;
  /** The protocol server's kind, the `protocol` label. */
  protocol: 'websocket' | 'socket';
  durations: SendDurations;
}

/**
 * The engine's metrics under the names its docs list (prometheus.md): clients, messages read
 * and sent, send errors and the send-duration summary, labelled as the engine labels them.
 */
export function engineMetrics({ stats, protocol, durations }: EngineMetricsSource): string {
  const label = `protocol=${JSON.stringify(protocol)}`;
  const lines = [
    '# HELP connmix_engine_servers_clients Number of clients connected to the protocol servers.',
    '# TYPE connmix_engine_servers_clients gauge',
    `connmix_engine_servers_clients ${stats.connections}`,
    '# HELP connmix_engine_servers_read_messages_total Messages read from clients.',
    '# TYPE connmix_engine_servers_read_messages_total counter',
    `connmix_engine_servers_read_messages_total{${label}} ${stats.counters.protocolFramesIn}`,
    '# HELP connmix_engine_servers_send_messages_total Messages sent to clients.',
    '# TYPE connmix_engine_servers_send_messages_total counter',
    `connmix_engine_servers_send_messages_total{${label}} ${stats.counters.protocolFramesOut}`,
    '# HELP connmix_engine_servers_send_errors_total Sends to clients that failed.',
    '# TYPE connmix_engine_servers_send_errors_total counter',
    `connmix_engine_servers_send_errors_total{${label}} ${stats.counters.sendErrors}`,
    '# HELP connmix_engine_servers_send_duration_seconds Time to send a message to a client.',
    '# TYPE connmix_engine_servers_send_duration_seconds summary',
  ];
  for (const [scenario, summary] of Object.entries(durations.snapshot())) {
    const labels = `${label},scenario=${JSON.stringify(scenario)}`;
    for (const [q, value] of summary.quantiles) {
      lines.push(`connmix_engine_servers_send_duration_seconds{${labels},quantile="${q}"} ${value}`);
    }
    lines.push(`connmix_engine_servers_send_duration_seconds_sum{${labels}} ${summary.sum}`);
    lines.push(`connmix_engine_servers_send_duration_seconds_count{${labels}} ${summary.count}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The center's registry as its documented metrics count it. */
export interface RegistryFigures {
  /** Distinct channels end users are subscribed to, across the mesh. */
  channels: number;
  /** End users connected to running engines. */
  clients: number;
  /** Engines running. */
  engineNodes: number;
}

/** The center's metrics (prometheus.md: `connmix_center_registry_*` on the center's port). */
export function centerMetrics(figures: RegistryFigures): string {
  return `${[
    '# HELP connmix_center_registry_channels_total Total number of registry channels.',
    '# TYPE connmix_center_registry_channels_total counter',
    `connmix_center_registry_channels_total ${figures.channels}`,
    '# HELP connmix_center_registry_clients Number of clients in the registry.',
    '# TYPE connmix_center_registry_clients gauge',
    `connmix_center_registry_clients ${figures.clients}`,
    '# HELP connmix_center_registry_engine_nodes Number of engine nodes in the registry.',
    '# TYPE connmix_center_registry_engine_nodes gauge',
    `connmix_center_registry_engine_nodes ${figures.engineNodes}`,
  ].join('\n')}\n`;
}
