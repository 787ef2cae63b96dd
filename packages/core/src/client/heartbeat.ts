import { now, Timer } from './timers.ts';

export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Probes one open socket and declares it dead when a probe goes unanswered. Anything heard from
 * the socket answers the probe (a pong, a response, a message): under load a pong can queue
 * behind other frames, and any frame proves the socket is alive.
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
  /** When the unanswered probe went out; undefined when none is outstanding. */
  #probeSentAt: number | undefined;
  #running = false;

  constructor(timing: HeartbeatTiming, probe: () => void, onDead: () => void) {
    this.#timing = timing;
    this.#probe = probe;
    this.#onDead = onDead;
  }

  start(): void {
    this.#running = true;
    this.#lastProbeAt = now();
    this.#probeSentAt = undefined;
    this.#timer.start(this.#timing.intervalMs, () => this.#wake());
  }

  /** Something arrived on the socket: the outstanding probe, if any, is answered. */
  heard(): void {
    this.#probeSentAt = undefined;
  }

  stop(): void {
    this.#running = false;
    this.#timer.stop();
  }

  #wake(): void {
    const time = now();
    const { intervalMs, timeoutMs } = this.#timing;
    if (this.#probeSentAt !== undefined && time - this.#probeSentAt >= timeoutMs) {
      this.stop();
      this.#onDead();
      return;
    }
    if (this.#probeSentAt === undefined && time - this.#lastProbeAt >= intervalMs) {
      this.#lastProbeAt = time;
      this.#probeSentAt = time;
      this.#probe();
      // A probe that could not be sent kills the socket, which stops this heartbeat.
      if (!this.#running) return;
    }
    const due =
      this.#probeSentAt !== undefined ? this.#probeSentAt + timeoutMs : this.#lastProbeAt + intervalMs;
    this.#timer.start(due - time, () => this.#wake());
  }
}
