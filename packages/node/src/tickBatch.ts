import type { Socket } from 'node:net';

/**
 * Lets the frames written in one turn of the event loop leave together. The first write of a
 * turn goes out at once, so a lone call waits for nothing; a second write in the same turn corks
 * the socket, and a `process.nextTick` uncorks it after the promise callbacks of that turn (where
 * a burst of calls sends its frames) have run: one `writev` then carries them all instead of one
 * syscall per frame. `ws` corks and uncorks around each frame itself; corks nest, so its frames
 * wait for ours.
 */
export class TickBatch {
  #socket: Socket | undefined;
  #turn: 'idle' | 'written' | 'corked' = 'idle';

  attach(socket: Socket): void {
    this.#socket = socket;
  }

  /** Call before each write. */
  hold(): void {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#turn === 'idle') {
      this.#turn = 'written';
      process.nextTick(() => {
        if (this.#turn === 'corked') socket.uncork();
        this.#turn = 'idle';
      });
    } else if (this.#turn === 'written') {
      this.#turn = 'corked';
      socket.cork();
    }
  }
}
