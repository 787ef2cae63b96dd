// A fake clock for scenarios on real sockets: timers and Date are faked, I/O stays real, and time
// only moves when the test moves it, so a bound measured from an event cannot flake under load.
import { vi } from 'vitest';
import { turn } from './settlements.ts';

/** Fakes the timers and Date; setImmediate and I/O stay real so sockets keep working. */
export function installFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/**
 * Moves fake time forward in `stepMs` steps, letting real I/O run between steps, until `done()`
 * holds; returns the fake time at that moment. Fails once `limitMs` of fake time have passed.
 */
export async function advanceUntil(
  what: string,
  done: () => boolean,
  { stepMs = 5, limitMs = 60_000, ioTurns = 5 }: { stepMs?: number; limitMs?: number; ioTurns?: number } = {},
): Promise<number> {
  const start = Date.now();
  for (;;) {
    for (let i = 0; i < ioTurns; i++) await turn();
    if (done()) return Date.now();
    if (Date.now() - start >= limitMs) throw new Error(`${what}: not within ${limitMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

/** Moves fake time forward by `totalMs` in `stepMs` steps, letting real I/O run between steps. */
export async function advanceFor(totalMs: number, { stepMs = 5, ioTurns = 5 } = {}): Promise<void> {
  for (let moved = 0; moved < totalMs; moved += stepMs) {
    for (let i = 0; i < ioTurns; i++) await turn();
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, totalMs - moved));
  }
}
