// ES2022 has no timers, and the core compiles without DOM and Node types, so the timer functions
// are typed here. They are read from `globalThis` at call time (not captured at import), so fake
// timers installed by a test after this module loaded are the ones used.

/** An opaque timer handle: a number in browsers, an object in Node. */
export type TimerHandle = unknown;

interface TimerHost {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Runtimes fire a longer delay at once (Node warns and uses 1 ms), so delays are capped. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

function host(): TimerHost {
  return globalThis as unknown as TimerHost;
}

export function setTimer(callback: () => void, delayMs: number): TimerHandle {
  return host().setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
}

export function clearTimer(handle: TimerHandle): void {
  host().clearTimeout(handle);
}

/** Milliseconds since the epoch. Deadlines are compared against it, never counted in timer firings. */
export function now(): number {
  return Date.now();
}

/** One re-armable timer: starting it again replaces the previous schedule. */
export class Timer {
  #handle: TimerHandle | undefined;

  start(delayMs: number, callback: () => void): void {
    this.stop();
    const handle = setTimer(() => {
      if (this.#handle !== handle) return;
      this.#handle = undefined;
      callback();
    }, delayMs);
    this.#handle = handle;
  }

  stop(): void {
    if (this.#handle === undefined) return;
    clearTimer(this.#handle);
    this.#handle = undefined;
  }
}
