import { listenForAbort, type AbortSignalLike } from './abort.ts';
import { clearTimer, setTimer, type TimerHandle } from './timers.ts';

/** How one wait may end on its own; its errors are made when it ends, with what is known then. */
export interface WaitLimits {
  timeoutMs: number | undefined;
  signal: AbortSignalLike | undefined;
  timedOut(): Error;
  aborted(): Error;
}

interface Waiter {
  readonly what: string;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Callers waiting for one thing to happen (a socket to open, an engine of a cluster to open). Each
 * settles exactly once: all together through `resolveAll` or `rejectAll`, or alone on its deadline
 * or its signal; once settled it holds no timer and no abort listener.
 */
export class Waiters {
  readonly #waiting = new Set<Waiter>();

  /** `what` names the caller in the errors `rejectAll` makes. */
  wait(what: string, limits: WaitLimits): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let stopListening = (): void => {};
      const done = (): boolean => {
        if (!this.#waiting.delete(waiter)) return false;
        clearTimer(timer);
        stopListening();
        return true;
      };
      const waiter: Waiter = {
        what,
        resolve: () => done() && resolve(),
        reject: (error) => done() && reject(error),
      };
      this.#waiting.add(waiter);
      stopListening = listenForAbort(limits.signal, () => waiter.reject(limits.aborted()));
      if (limits.timeoutMs !== undefined) {
        timer = setTimer(() => waiter.reject(limits.timedOut()), limits.timeoutMs);
      }
    });
  }

  resolveAll(): void {
    for (const waiter of [...this.#waiting]) waiter.resolve();
  }

  rejectAll(errorFor: (what: string) => Error): void {
    for (const waiter of [...this.#waiting]) waiter.reject(errorFor(waiter.what));
  }
}
