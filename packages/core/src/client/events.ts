import mitt from 'mitt';
import { ConnmixError, type ProtocolError, type ServerError, type TimeoutError } from '../errors/errors.ts';
import type { QueueMessage } from './queueMessage.ts';

/** Where a client is in its life. `closed` is final. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One change of state, emitted once. */
export interface StateChange {
  from: ClientState;
  to: ClientState;
}

/**
 * Everything reported on `error`: each variant carries an `Error` (so `event.error` can always be
 * logged) and a `kind` to switch on. None of them is fatal; a fatal loss shows as a `state` change.
 */
export type ClientErrorEvent =
  /** A frame that is not valid connmix (bad JSON, a binary frame, a malformed response); it was skipped. */
  | { kind: 'protocol'; error: ProtocolError }
  /** A response or pong that no call is waiting for; it changed nothing. */
  | { kind: 'unknown-response'; error: ProtocolError; id: number | null }
  /** An event this SDK does not know; passed on as it came. */
  | { kind: 'unknown-event'; error: ProtocolError; event: string; payload: unknown }
  /** An error response that names no request (`"i": null`). */
  | { kind: 'server'; error: ServerError }
  /** The transport failed (it reports why), could not be created, or did not open in time. */
  | { kind: 'transport'; error: Error }
  /** A heartbeat went unanswered: the socket is treated as dead and replaced. */
  | { kind: 'heartbeat'; error: TimeoutError }
  /** Popping the remembered topics on a new connection failed; it is retried with backoff. */
  | { kind: 'repop'; error: Error; topics: string[] }
  /** A `messages()` consumer fell `highWaterMark` messages behind; nothing is dropped. */
  | { kind: 'slow'; error: ConnmixError; buffered: number; highWaterMark: number; topic: string | undefined }
  /** A `state` or `message` handler threw; the client carried on. */
  | { kind: 'handler'; error: ConnmixError; event: 'state' | 'message' };

/** The events of a client, each handler getting one object. */
export type ClientEvents = {
  state: StateChange;
  message: QueueMessage;
  error: ClientErrorEvent;
};

export type ClientEventHandler<K extends keyof ClientEvents> = (event: ClientEvents[K]) => void;

/**
 * A typed emitter in which a throwing handler cannot break the client: the throw is caught and
 * reported on `error`. A throw from an `error` handler is dropped, since reporting it would loop.
 */
export class ClientEmitter {
  readonly #emitter = mitt<ClientEvents>();
  #closed = false;

  /** Adds a handler; returns the function that removes it. */
  on<K extends keyof ClientEvents>(type: K, handler: ClientEventHandler<K>): () => void {
    if (this.#closed) return () => {};
    const guarded = (event: ClientEvents[K]) => {
      try {
        handler(event);
      } catch (cause) {
        if (type !== 'error') {
          const event = type === 'state' ? 'state' : 'message';
          this.emit('error', {
            kind: 'handler',
            error: new ConnmixError(`a ${event} handler threw; the client carried on`, { cause }),
            event,
          });
        }
      }
    };
    this.#emitter.on(type, guarded);
    return () => this.#emitter.off(type, guarded);
  }

  emit<K extends keyof ClientEvents>(type: K, event: ClientEvents[K]): void {
    this.#emitter.emit(type, event);
  }

  /** Removes every handler for good: nothing survives a closed client. */
  close(): void {
    this.#closed = true;
    this.#emitter.all.clear();
  }
}
