/** Counters an engine keeps from its creation on (they survive restarts). */
export interface EngineCounters {
  /** Frames received from and sent to API clients (workers). */
  apiFramesIn: number;
  apiFramesOut: number;
  /** Frames received from and sent to end users. */
  protocolFramesIn: number;
  protocolFramesOut: number;
  /** REST calls (`POST /v1/mesh/*`) answered. */
  restRequests: number;
  /** End-user connections accepted. */
  connectionsOpened: number;
  /** Sockets (API or end user) dropped because they sent nothing for the idle timeout. */
  idleTimeouts: number;
  /** Entry hooks that threw (each closed its connection with 1011). */
  hookErrors: number;
  /** Sends to end users that failed (the socket was closing, or a socket entry's `encode` gave nothing). */
  sendErrors: number;
}

/** What an engine holds and has done, at one moment. */
export interface EngineStats {
  node: string;
  state: 'running' | 'frozen' | 'stopped';
  /** Open end-user connections. */
  connections: number;
  /** Open API sockets. */
  apiSockets: number;
  /** API sockets consuming at least one topic. */
  consumers: number;
  /** Per topic: messages waiting (no consumer yet) and consumers. */
  topics: Record<string, { depth: number; consumers: number }>;
  /** Pushes waiting for room (`queue.whenFull: 'block'`). */
  blockedPushes: number;
  /** Messages pushed and handed to a consumer since the engine (re)started. */
  pushed: number;
  delivered: number;
  counters: EngineCounters;
}

export function createCounters(): EngineCounters {
  return {
    apiFramesIn: 0,
    apiFramesOut: 0,
    protocolFramesIn: 0,
    protocolFramesOut: 0,
    restRequests: 0,
    connectionsOpened: 0,
    idleTimeouts: 0,
    hookErrors: 0,
    sendErrors: 0,
  };
}

/** The stats in the Prometheus text format (the v1.0.3 API server's `GET /metrics`). */
export function toPrometheus(stats: EngineStats): string {
  const node = `node=${JSON.stringify(stats.node)}`;
  const lines = [
    `connmix_connections{${node}} ${stats.connections}`,
    `connmix_api_sockets{${node}} ${stats.apiSockets}`,
    `connmix_queue_consumers{${node}} ${stats.consumers}`,
    `connmix_queue_pushed_total{${node}} ${stats.pushed}`,
    `connmix_queue_delivered_total{${node}} ${stats.delivered}`,
  ];
  for (const [topic, { depth, consumers }] of Object.entries(stats.topics)) {
    const labels = `${node},topic=${JSON.stringify(topic)}`;
    lines.push(`connmix_queue_depth{${labels}} ${depth}`, `connmix_topic_consumers{${labels}} ${consumers}`);
  }
  for (const [name, value] of Object.entries(stats.counters)) {
    lines.push(`connmix_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total{${node}} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}
