import type { AbortSignalLike } from '../runtime/abort.ts';
import type { ClientState, StateChange } from '../client/events.ts';
import { Waiters } from '../connection/waiters.ts';
import { ConnectionClosedError, TimeoutError } from '../errors/errors.ts';

/** The close code and reason a closed cluster reports (those of a client closed by its owner). */
export const CLUSTER_CLOSED = { code: 1000, reason: 'cluster closed' } as const;

/**
 * The state of a cluster, aggregated from its engines: `open` while at least one engine is open,
 * `connecting` until one first opened, `reconnecting` when none is open any more, `closed` for
 * good. It also holds the callers waiting for an open engine (`connect()`, `mesh.*`).
 */
export class ClusterState {
  readonly #onChange: (change: StateChange) => void;
  readonly #waiters = new Waiters();
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
    if (this.#state === 'open') this.#waiters.resolveAll();
  }

  /** Final: every waiter is rejected with `ConnectionClosedError`. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#waiters.rejectAll(
      (what) =>
        new ConnectionClosedError({ message: `${what} failed: the cluster was closed`, ...CLUSTER_CLOSED }),
    );
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
    return this.#waiters.wait(
      what,
      timeoutMs,
      signal,
      () => new TimeoutError({ what: `${what} (waiting for an open engine)`, timeoutMs: timeoutMs! }),
    );
  }

  #set(to: ClientState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onChange({ from, to });
  }
}
