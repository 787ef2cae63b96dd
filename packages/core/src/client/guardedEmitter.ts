import mitt, { type Emitter } from 'mitt';

/** An event map with an `error` event, where throwing handlers are reported. */
export type EventsWithError = { error: unknown; [type: string]: unknown };

/** Builds the `error` event that reports a throwing handler of `event`. */
export type HandlerErrorFactory<Events extends EventsWithError> = (
  event: Exclude<keyof Events, 'error'>,
  cause: unknown,
) => Events['error'];

/**
 * A typed emitter (mitt) in which a throwing handler cannot break its owner: the throw is
 * reported on `error`. A throw from an `error` handler is dropped, since reporting it would loop.
 * The client and the cluster each own one.
 */
export class GuardedEmitter<Events extends EventsWithError> {
  readonly #emitter: Emitter<Events> = mitt<Events>();
  readonly #handlerError: HandlerErrorFactory<Events>;
  #closed = false;

  constructor(handlerError: HandlerErrorFactory<Events>) {
    this.#handlerError = handlerError;
  }

  /** Adds a handler; returns the function that removes it. */
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): () => void {
    if (this.#closed) return () => {};
    const guarded = (event: Events[K]) => {
      try {
        handler(event);
      } catch (cause) {
        if (type !== 'error') this.emit('error', this.#handlerError(type as Exclude<K, 'error'>, cause));
      }
    };
    this.#emitter.on(type, guarded);
    return () => this.#emitter.off(type, guarded);
  }

  /** Whether a handler of `type` is registered. */
  listens(type: keyof Events): boolean {
    return (this.#emitter.all.get(type)?.length ?? 0) > 0;
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    this.#emitter.emit(type, event);
  }

  /** Removes every handler for good: nothing survives a closed owner. */
  close(): void {
    this.#closed = true;
    this.#emitter.all.clear();
  }
}
