import { now, Timer } from '../runtime/timers.ts';

export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Probes one open socket every `intervalMs` and declares it dead when nothing was heard for
 * `timeoutMs` after a probe. Probes keep their cadence whatever `timeoutMs` is: the engine drops a
 * socket it has not read from for 60 s, so the probe is also what keeps the socket alive, and
 * waiting for an unanswered probe before sending the next would stretch the gap between writes
 * to `timeoutMs`. Death is therefore declared at most `intervalMs + timeoutMs` after the last thing
 * heard: the first probe after it goes out within `intervalMs`, and is given `timeoutMs`.
 *
 * Anything heard from the socket answers the probes (a pong, a response, a message): under load
 * a pong can queue behind other frames, and any frame proves the socket is alive.
 *
 * Deadlines are timestamps checked whenever the single timer fires, never a count of firings: a
 * throttled timer (a background tab fires at most once a minute) wakes late, sees the deadline
 * has passed and declares the socket dead on the spot instead of keeping it alive.
 */
export class Heartbeat {
  readonly #timing: HeartbeatTiming;
  readonly #probe: () => void;
  readonly #onDead: () => void;
  readonly #timer = new Timer();
  #lastProbeAt = 0;
  /** When the first probe since the socket was last heard went out; undefined when none has. */
  #unansweredSince: number | undefined;
  #running = false;

  constructor(timing: HeartbeatTiming, probe: () => void, onDead: () => void) {
    this.#timing = timing;
    this.#probe = probe;
    this.#onDead = onDead;
  }

  start(): void {
    this.#running = true;
    this.#lastProbeAt = now();
    this.#unansweredSince = undefined;
    this.#timer.start(this.#timing.intervalMs, () => this.#wake());
  }

  /** Something arrived on the socket: every probe sent so far is answered. */
  heard(): void {
    this.#unansweredSince = undefined;
  }

  stop(): void {
    this.#running = false;
    this.#timer.stop();
  }

  #wake(): void {
    const time = now();
    const { intervalMs, timeoutMs } = this.#timing;
    if (this.#unansweredSince !== undefined && time - this.#unansweredSince >= timeoutMs) {
      this.stop();
      this.#onDead();
      return;
    }
    if (time - this.#lastProbeAt >= intervalMs) {
      this.#lastProbeAt = time;
      this.#unansweredSince ??= time;
      this.#probe();
      // A probe that could not be sent kills the socket, which stops this heartbeat.
      if (!this.#running) return;
    }
    let due = this.#lastProbeAt + intervalMs;
    if (this.#unansweredSince !== undefined) due = Math.min(due, this.#unansweredSince + timeoutMs);
    this.#timer.start(due - time, () => this.#wake());
  }
}
