import { ConnmixError } from '../errors/errors.ts';
import type { ClientErrorEvent, ClientState, StateChange } from '../client/events.ts';
import { GuardedEmitter } from '../runtime/guardedEmitter.ts';
import type { QueueMessage } from '../client/queueMessage.ts';

/** One engine of a cluster, as `cluster.nodes` and the `nodes` event list it. */
export interface ClusterNode {
  /** The node id: the center's id, or the static node's id (unless given, its URL without credentials). */
  id: string;
  /** The engine's API URL, credentials replaced by `***`. */
  url: string;
  /** The state of the cluster's client of this engine. */
  state: ClientState;
}

/** The `nodes` event: the engine list after an engine joined, left or changed state. */
export interface NodesEvent {
  nodes: ClusterNode[];
}

/** A queue message consumed through a cluster: `node` is always the engine it came through. */
export interface ClusterMessage extends QueueMessage {
  node: string;
}

/**
 * Everything reported on a cluster's `error`. An event of one engine's client comes as that
 * client reported it, with `node` added; the cluster's own events have no `node`, except
 * `repop` and `unpop`, which name the engine that failed. None of them is fatal.
 */
export type ClusterErrorEvent =
  | (Exclude<ClientErrorEvent, { kind: 'handler' | 'unpop' }> & {
      /** The engine whose client reported it; absent when the cluster itself did (`slow`). */
      node?: string | undefined;
    })
  /** A `state`, `message` or `nodes` handler threw; the cluster carried on. */
  | { kind: 'handler'; error: ConnmixError; event: 'state' | 'message' | 'nodes'; node?: string | undefined }
  /** `GET {center}/v1/nodes` failed or answered something unusable; the engines known so far keep working and it is retried with backoff (at the latest at the next resync). */
  | { kind: 'discovery'; error: ConnmixError; center: string; node?: undefined }
  /**
   * `queue.unpop` failed on this engine while others accepted it (the engine may still deliver
   * messages), or the engine's client could not unpop the `topics` no subscription wants (retried).
   */
  | { kind: 'unpop'; error: Error; node: string; topics?: string[] | undefined };

/** The events of a cluster: those of a client, plus `nodes`. */
export type ClusterEvents = {
  state: StateChange;
  message: ClusterMessage;
  error: ClusterErrorEvent;
  nodes: NodesEvent;
};

export type ClusterEventHandler<K extends keyof ClusterEvents> = (event: ClusterEvents[K]) => void;

/** The cluster's emitter: a throwing handler is reported on `error` as `{ kind: 'handler' }`. */
export function createClusterEmitter(): GuardedEmitter<ClusterEvents> {
  return new GuardedEmitter<ClusterEvents>((event, cause) => ({
    kind: 'handler',
    error: new ConnmixError(`a ${event} handler threw; the cluster carried on`, { cause }),
    event,
  }));
}
