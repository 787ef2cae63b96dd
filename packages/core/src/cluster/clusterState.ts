import { listenForAbort, type AbortSignalLike } from '../runtime/abort.ts';
import type { ClientState, StateChange } from '../client/events.ts';
import { clearTimer, setTimer, type TimerHandle } from '../runtime/timers.ts';
import { ConnectionClosedError, TimeoutError, abortErrorFor } from '../errors/errors.ts';

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  what: string;
}

/** The close code and reason a closed cluster reports (those of a client closed by its owner). */
export const CLUSTER_CLOSED = { code: 1000, reason: 'cluster closed' } as const;

/**
 * The state of a cluster, aggregated from its engines: `open` while at least one engine is open,
 * `connecting` until one first opened, `reconnecting` when none is open any more, `closed` for
 * good. It also holds the callers waiting for an open engine (`connect()`, `mesh.*`).
 */
export class ClusterState {
  readonly #onChange: (change: StateChange) => void;
  readonly #waiters = new Set<Waiter>();
  #state: ClientState = 'idle';
  #everOpen = false;

  constructor(onChange: (change: StateChange) => void) {
    this.#onChange = onChange;
  }

  get state(): ClientState {
    return this.#state;
  }

  /** Leaves `idle`: the cluster is connecting. */
  start(): void {
    if (this.#state === 'idle') this.#set('connecting');
  }

  /** The engines' states changed: recompute, report a change once, release the waiters if open. */
  update(engineStates: readonly ClientState[]): void {
    if (this.#state === 'idle' || this.#state === 'closed') return;
    const open = engineStates.includes('open');
    if (open) this.#everOpen = true;
    this.#set(open ? 'open' : this.#everOpen ? 'reconnecting' : 'connecting');
    if (this.#state === 'open') for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  /** Final: every waiter is rejected with `ConnectionClosedError`. */
  close(): void {
    if (this.#state === 'closed') return;
    for (const waiter of [...this.#waiters]) {
      waiter.reject(
        new ConnectionClosedError({
          message: `${waiter.what} failed: the cluster was closed`,
          ...CLUSTER_CLOSED,
        }),
      );
    }
    this.#set('closed');
  }

  /**
   * Resolves once an engine is open (at once if one is); rejects on the deadline (`TimeoutError`),
   * the signal (`AbortError`) or when the cluster closes (`ConnectionClosedError`).
   */
  waitForOpen(
    what: string,
    timeoutMs: number | undefined,
    signal: AbortSignalLike | undefined,
  ): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#state === 'closed') {
      return Promise.reject(
        new ConnectionClosedError({ message: `${what} failed: the cluster is closed`, ...CLUSTER_CLOSED }),
      );
    }
    if (signal?.aborted) return Promise.reject(abortErrorFor(what, signal));
    return new Promise<void>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let stopListening = () => {};
      const done = (): boolean => {
        if (!this.#waiters.delete(waiter)) return false;
        clearTimer(timer);
        stopListening();
        return true;
      };
      const waiter: Waiter = {
        what,
        resolve: () => done() && resolve(),
        reject: (error) => done() && reject(error),
      };
      this.#waiters.add(waiter);
      stopListening = listenForAbort(signal, () => waiter.reject(abortErrorFor(what, signal!)));
      if (timeoutMs !== undefined) {
        timer = setTimer(
          () => waiter.reject(new TimeoutError({ what: `${what} (waiting for an open engine)`, timeoutMs })),
          timeoutMs,
        );
      }
    });
  }

  #set(to: ClientState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onChange({ from, to });
  }
}
