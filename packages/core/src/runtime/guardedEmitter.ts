/** An event map with an `error` event, where throwing handlers are reported. */
export type EventsWithError = { error: unknown; [type: string]: unknown };

/** Builds the `error` event that reports a throwing handler of `event`. */
export type HandlerErrorFactory<Events extends EventsWithError> = (
  event: Exclude<keyof Events, 'error'>,
  cause: unknown,
) => Events['error'];

type Handler = (event: never) => void;

/**
 * A typed emitter in which a throwing handler cannot break its owner: the throw is reported on
 * `error`. A throw from an `error` handler is dropped, since reporting it would loop. The client
 * and the cluster each own one.
 *
 * Each event's handlers are an array replaced (never changed in place) by `on` and by the
 * unsubscribe, so an `emit` walks the handlers there were when it started, as mitt does, without
 * copying the list for every event.
 */
export class GuardedEmitter<Events extends EventsWithError> {
  readonly #handlers = new Map<keyof Events, Handler[]>();
  readonly #handlerError: HandlerErrorFactory<Events>;
  #closed = false;

  constructor(handlerError: HandlerErrorFactory<Events>) {
    this.#handlerError = handlerError;
  }

  /** Adds a handler; returns the function that removes it (once, even if it was added twice). */
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): () => void {
    if (this.#closed) return () => {};
    const handlers = this.#handlers;
    handlers.set(type, [...(handlers.get(type) ?? []), handler as Handler]);
    let removed = false;
    return () => {
      const list = handlers.get(type);
      const at = removed || !list ? -1 : list.indexOf(handler as Handler);
      removed = true;
      if (at >= 0)
        handlers.set(
          type,
          list!.filter((_, index) => index !== at),
        );
    };
  }

  /** Whether a handler of `type` is registered. */
  listens(type: keyof Events): boolean {
    return (this.#handlers.get(type)?.length ?? 0) > 0;
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const list = this.#handlers.get(type);
    if (!list) return;
    for (const handler of list) {
      try {
        (handler as (event: Events[K]) => void)(event);
      } catch (cause) {
        if (type !== 'error') this.emit('error', this.#handlerError(type as Exclude<K, 'error'>, cause));
      }
    }
  }

  /** Removes every handler for good: nothing survives a closed owner. */
  close(): void {
    this.#closed = true;
    this.#handlers.clear();
  }
}
