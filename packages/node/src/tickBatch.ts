import type { Socket } from 'node:net';

/**
 * Lets the frames written in one turn of the event loop leave together: the first write of a
 * turn corks the socket and a `process.nextTick` uncorks it, after the promise callbacks of that
 * turn (which is where a burst of calls sends its frames) have run. One `writev` then carries
 * them all instead of one syscall per frame. `ws` corks and uncorks around each frame itself;
 * corks nest, so its frames wait for ours.
 */
export class TickBatch {
  #socket: Socket | undefined;
  #held = false;

  attach(socket: Socket): void {
    this.#socket = socket;
  }

  /** Call before each write: the socket stays corked until the end of this turn. */
  hold(): void {
    const socket = this.#socket;
    if (this.#held || !socket) return;
    this.#held = true;
    socket.cork();
    process.nextTick(() => {
      this.#held = false;
      socket.uncork();
    });
  }
}
