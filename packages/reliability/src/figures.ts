// The figures a full run publishes in RELIABILITY.md. Tests may not print (a test that writes to the
// console fails), so each scenario records its figures in a JSON file of its own and
// `pnpm test:reliability` prints them all once the run is over.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the figures of the last run are kept (ignored by git). */
export const FIGURES_DIR = join(import.meta.dirname, '..', 'figures');

export type Figures = Record<string, string | number | boolean>;

/** Records the figures of one scenario, replacing those of the previous run. */
export function recordFigures(scenario: string, figures: Figures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(
    join(FIGURES_DIR, `${scenario}.json`),
    `${JSON.stringify({ scenario, ...figures }, null, 2)}\n`,
  );
}
