/** Calls `onIdle` once nothing has touched it for `ms` (0 disables). One timer, refreshed in place. */
export class IdleTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #ms: number;
  readonly #onIdle: () => void;

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
    if (ms > 0) this.#timer = setTimeout(() => this.#fire(), ms);
  }

  /** Something was received: the wait starts over. */
  touch(): void {
    this.#timer?.refresh();
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#onIdle();
  }
}
