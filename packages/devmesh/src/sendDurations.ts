/** Where a send to an end user came from: this engine, or another one through the mesh. */
export type SendScenario = 'local' | 'forward';

/** The quantiles the engine's `send_duration_seconds` summary reports. */
export const SEND_QUANTILES = [0, 0.25, 0.5, 0.75, 1] as const;

/** Samples one summary keeps for its quantiles (the engine's `prometheus.summary.bufCap`). */
const BUFFER_CAP = 500;

interface Summary {
  /** The last BUFFER_CAP durations, oldest overwritten first. */
  readonly recent: number[];
  next: number;
  sum: number;
  count: number;
}

/**
 * How long sends to end users take, per scenario, as a Prometheus summary: quantiles over the
 * last 500 sends, and the sum and count of all of them. (The engine also ages samples out after
 * `maxAge`, 600 s; here only the buffer bounds them.)
 */
export class SendDurations {
  readonly #summaries: Record<SendScenario, Summary> = {
    local: { recent: [], next: 0, sum: 0, count: 0 },
    forward: { recent: [], next: 0, sum: 0, count: 0 },
  };

  record(scenario: SendScenario, seconds: number): void {
    const summary = this.#summaries[scenario];
    if (summary.recent.length < BUFFER_CAP) summary.recent.push(seconds);
    else summary.recent[summary.next] = seconds;
    summary.next = (summary.next + 1) % BUFFER_CAP;
    summary.sum += seconds;
    summary.count++;
  }

  /** Per scenario: each quantile's value (NaN with no samples, as Prometheus writes it), sum and count. */
  snapshot(): Record<SendScenario, { quantiles: Array<[number, number]>; sum: number; count: number }> {
    const one = (summary: Summary) => {
      const sorted = [...summary.recent].sort((a, b) => a - b);
      const quantiles = SEND_QUANTILES.map((q): [number, number] => [
        q,
        sorted.length === 0 ? Number.NaN : (sorted[Math.round(q * (sorted.length - 1))] as number),
      ]);
      return { quantiles, sum: summary.sum, count: summary.count };
    };
    return { local: one(this.#summaries.local), forward: one(this.#summaries.forward) };
  }
}
