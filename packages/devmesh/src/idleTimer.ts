/** Calls `onIdle` once nothing has touched it for `ms` (0 disables). One timer, refreshed in place. */
export class IdleTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    if (ms > 0) this.timer = setTimeout(() => this.fire(), ms);
  }

  /** Something was received: the wait starts over. */
  touch(): void {
    this.timer?.refresh();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.onIdle();
  }
}
