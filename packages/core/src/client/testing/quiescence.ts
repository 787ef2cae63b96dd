// Waiting until no promise callback is left to run, without counting microtask turns: a
// macrotask starts only once the microtask queue is empty, however long the chain of `then`s that
// filled it. The runtime's own function is captured here, at import, before any test installs
// fake timers, so waiting never moves (or depends on) fake time.
type Schedule = (callback: () => void) => void;

const runtime = globalThis as unknown as {
  setImmediate?: (callback: () => void) => unknown;
  setTimeout: (callback: () => void, delayMs: number) => unknown;
};
const setImmediate = runtime.setImmediate;
const setTimeout = runtime.setTimeout;
const nextMacrotask: Schedule =
  setImmediate === undefined ? (callback) => setTimeout(callback, 0) : (callback) => setImmediate(callback);

/** Resolves once every pending promise callback (and every one they queue) has run. */
export function quiescence(): Promise<void> {
  return new Promise((resolve) => nextMacrotask(resolve));
}
