// Counts the timers started while it is installed and still pending: what a scenario left behind.
// The SDK reads `setTimeout` from `globalThis` at call time, so wrapping the globals sees its timers;
// the test runner's own timers were started before and are not counted.

export interface TimerTracker {
  /** Timers started since `install` that have neither fired nor been cleared. */
  pending(): number;
  /** Timers started since `install`. */
  started(): number;
  /** Puts the original functions back. */
  uninstall(): void;
}

type TimerFunction = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => unknown;

export function installTimerTracker(): TimerTracker {
  const host = globalThis as unknown as Record<
    'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval',
    TimerFunction | ((handle: unknown) => void)
  >;
  const original = {
    setTimeout: host.setTimeout as TimerFunction,
    setInterval: host.setInterval as TimerFunction,
    clearTimeout: host.clearTimeout as (handle: unknown) => void,
    clearInterval: host.clearInterval as (handle: unknown) => void,
  };
  const live = new Set<unknown>();
  let started = 0;
  const start =
    (schedule: TimerFunction, once: boolean): TimerFunction =>
    (callback, delay, ...args) => {
      started++;
      const handle: unknown = schedule(
        (...callbackArgs: unknown[]) => {
          if (once) live.delete(handle);
          callback(...callbackArgs);
        },
        delay,
        ...args,
      );
      live.add(handle);
      return handle;
    };
  const clear =
    (cancel: (handle: unknown) => void) =>
    (handle: unknown): void => {
      live.delete(handle);
      cancel(handle);
    };
  host.setTimeout = start(original.setTimeout, true);
  host.setInterval = start(original.setInterval, false);
  host.clearTimeout = clear(original.clearTimeout);
  host.clearInterval = clear(original.clearInterval);
  return {
    pending: () => live.size,
    started: () => started,
    uninstall() {
      Object.assign(host, original);
    },
  };
}
