import { ConnmixError, type ProtocolError, type ServerError, type TimeoutError } from '../errors/errors.ts';
import { GuardedEmitter } from '../runtime/guardedEmitter.ts';
import type { QueueMessage } from './queueMessage.ts';
import type { StateChange } from '../connection/state.ts';

export type { ClientState, StateChange } from '../connection/state.ts';

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
  /** Popping wanted topics (on a new connection, or for a new subscription) failed; it is retried with backoff. */
  | { kind: 'repop'; error: Error; topics: string[] }
  /** Unpopping the topics that no subscription wants any more failed; it is retried with backoff. */
  | { kind: 'unpop'; error: Error; topics: string[] }
  /** A `consume()` subscription or `messages()` consumer fell `highWaterMark` messages behind; nothing is dropped. */
  | { kind: 'slow'; error: ConnmixError; buffered: number; highWaterMark: number; topic: string | undefined }
  /**
   * Messages arrived with no consumer at all: past `highWaterMark` of them (once, until a consumer
   * took them), and at `close()` for those still held, which are then lost.
   */
  | { kind: 'unconsumed'; error: ConnmixError; held: number }
  /** A `state` or `message` handler threw; the client carried on. */
  | { kind: 'handler'; error: ConnmixError; event: 'state' | 'message' };

/** The events of a client, each handler getting one object. */
export type ClientEvents = {
  state: StateChange;
  message: QueueMessage;
  error: ClientErrorEvent;
};

export type ClientEventHandler<K extends keyof ClientEvents> = (event: ClientEvents[K]) => void;

/** The client's emitter: a throwing handler is reported on `error` as `{ kind: 'handler' }`. */
export function createClientEmitter(): GuardedEmitter<ClientEvents> {
  return new GuardedEmitter<ClientEvents>((event, cause) => ({
    kind: 'handler',
    error: new ConnmixError(`a ${event} handler threw; the client carried on`, { cause }),
    event,
  }));
}
