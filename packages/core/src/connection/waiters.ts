import { abortErrorFor } from '../errors/errors.ts';
import { listenForAbort, type AbortSignalLike } from '../runtime/abort.ts';
import { clearTimer, setTimer } from '../runtime/timers.ts';

interface Waiter {
  readonly what: string;
  /** Resolves without an error, rejects with one; only the first call counts. */
  settle(error?: Error): void;
}

/**
 * Callers waiting for one thing to happen: a client's socket to open (`connect()`), an engine of
 * a cluster to open. Each settles exactly once: all together through `resolveAll` or `rejectAll`,
 * or alone on its deadline or its signal (`AbortError`); once settled it holds no timer and no
 * abort listener.
 */
export class Waiters {
  readonly #waiting = new Set<Waiter>();

  /**
   * Waits until released. `what` names the caller in its errors; `timedOut` makes the error of
   * the deadline when it passes, with what is known then.
   */
  wait(
    what: string,
    timeoutMs: number | undefined,
    signal: AbortSignalLike | undefined,
    timedOut: () => Error,
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFor(what, signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        what,
        settle: (error) => {
          if (!this.#waiting.delete(waiter)) return;
          clearTimer(timer);
          stopListening();
          if (error) reject(error);
          else resolve();
        },
      };
      this.#waiting.add(waiter);
      // Neither fires before both are set: the signal was not aborted, and a timer never fires at once.
      const stopListening = listenForAbort(signal, () => waiter.settle(abortErrorFor(what, signal!)));
      const timer =
        timeoutMs === undefined ? undefined : setTimer(() => waiter.settle(timedOut()), timeoutMs);
    });
  }

  resolveAll(): void {
    for (const waiter of [...this.#waiting]) waiter.settle();
  }

  rejectAll(errorFor: (what: string) => Error): void {
    for (const waiter of [...this.#waiting]) waiter.settle(errorFor(waiter.what));
  }
}
