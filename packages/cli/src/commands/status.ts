import type { EngineStats } from '@connmix/devmesh';

/** One line that sums up a mesh: engines up, end users, workers, consumers, queued messages, frames. */
export function formatStatus(stats: readonly EngineStats[]): string {
  const up = stats.filter((engine) => engine.state !== 'stopped').length;
  const frozen = stats.filter((engine) => engine.state === 'frozen').length;
  const sum = (pick: (engine: EngineStats) => number) =>
    stats.reduce((total, engine) => total + pick(engine), 0);
  const queued = sum((engine) =>
    Object.values(engine.topics).reduce((total, topic) => total + topic.depth, 0),
  );
  const parts = [
    `engines ${up}/${stats.length} up${frozen > 0 ? ` (${frozen} frozen)` : ''}`,
    `users ${sum((engine) => engine.connections)}`,
    `workers ${sum((engine) => engine.apiSockets)}`,
    `consumers ${sum((engine) => engine.consumers)}`,
    `queued ${queued}`,
    `pushed ${sum((engine) => engine.pushed)}`,
    `api frames in/out ${sum((e) => e.counters.apiFramesIn)}/${sum((e) => e.counters.apiFramesOut)}`,
  ];
  return parts.join(' | ');
}
