// How big each scenario runs. CI runs the short counts (the whole suite in well under a minute on a
// loaded machine); `pnpm test:reliability` sets CONNMIX_RELIABILITY=full and runs the published ones.

/** True during `pnpm test:reliability`. */
export const FULL_RUN = process.env['CONNMIX_RELIABILITY'] === 'full';

/** `short` in CI, `full` in a full run. */
export function count(short: number, full: number): number {
  return FULL_RUN ? full : short;
}

/** A test timeout that grows with the run: full counts take minutes, not seconds. */
export function timeoutFor(shortMs: number, fullMs: number): number {
  return FULL_RUN ? fullMs : shortMs;
}
