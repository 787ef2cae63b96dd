export interface Figure {
  /** Median of the rounds, in the case's unit. */
  median: number;
  min: number;
  max: number;
  /** Median of the per-round ratios to the baseline case of the same round (1 for the baseline). */
  ratio: number | undefined;
}

export interface Case {
  name: string;
  /** One measurement: a rate (higher is better) or a size, in `unit`. */
  measure(): Promise<number>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs every case once per round, the order rotated from round to round so no case always runs
 * first (or right after the same neighbour), and compares each to the first case within each
 * round: a machine that slows down mid-run moves both sides of a ratio together.
 */
export async function interleaved(cases: readonly Case[], rounds: number): Promise<Map<string, Figure>> {
  const results = cases.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (let step = 0; step < cases.length; step += 1) {
      const index = (step + round) % cases.length;
      results[index]!.push(await cases[index]!.measure());
    }
  }
  const baseline = results[0]!;
  return new Map(
    cases.map((entry, index) => {
      const values = results[index]!;
      const ratios = values.map((value, round) => value / baseline[round]!);
      return [
        entry.name,
        { median: median(values), min: Math.min(...values), max: Math.max(...values), ratio: median(ratios) },
      ];
    }),
  );
}
