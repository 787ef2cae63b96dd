// Watches promises settle: how often each one settled and how, so a test can assert that every
// call settled exactly once and with what.

export interface Settlement {
  status: 'fulfilled' | 'rejected';
  value?: unknown;
  reason?: unknown;
}

export interface SettlementLog {
  /** Every settlement seen per promise, in the order the promises were given. */
  readonly outcomes: Settlement[][];
  /** Resolves when every promise has settled. */
  readonly all: Promise<void>;
}

export function watchSettlements(promises: ReadonlyArray<Promise<unknown>>): SettlementLog {
  const outcomes: Settlement[][] = promises.map(() => []);
  const all = Promise.all(
    promises.map((promise, index) =>
      promise.then(
        (value) => void outcomes[index]?.push({ status: 'fulfilled', value }),
        (reason: unknown) => void outcomes[index]?.push({ status: 'rejected', reason }),
      ),
    ),
  ).then(() => undefined);
  return { outcomes, all };
}

/** Lets every I/O callback and promise job queued so far run (no clock involved). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Turns the event loop until `done()` holds; fails after `maxTurns` turns instead of hanging. */
export async function turnUntil(what: string, done: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (done()) return;
    await turn();
  }
  throw new Error(`${what}: still not true after ${maxTurns} turns of the event loop`);
}
