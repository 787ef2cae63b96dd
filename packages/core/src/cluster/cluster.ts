import type { NamesAndOptions } from '../client/arguments.ts';
import type {
  ConsumeArguments,
  MessagesOptions,
  MessageStream,
  PingResult,
  Subscription,
} from '../client/client.ts';
import type { ClientEventHandler, ClientEvents, ClientState } from '../client/events.ts';
import type { CallOptions } from '../client/options.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { DeliveryResult, MethodResults, SuccessResult } from '../schema/results.ts';
import type { ClusterEventHandler, ClusterEvents, ClusterMessage, ClusterNode } from './events.ts';
import type { ClusterCallOptions } from './options.ts';

/** The answer to a cluster's `ping()`: the round trip, and the engine that answered. */
export interface ClusterPingResult extends PingResult {
  node: string;
}

/** The messages of every engine of a cluster as one async iterator; `break` or `close()` stops it. */
export type ClusterMessageStream = MessageStream<ClusterMessage>;

/** A `consume()` subscription of a cluster: the messages of its topics from every engine, merged. */
export type ClusterSubscription = Subscription<ClusterMessage>;

/** Channel names followed by optional cluster call options: `subscribe(id, 'a', 'b', { node })`. */
export type ClusterNamesAndOptions = [...names: string[]] | [...names: string[], options: ClusterCallOptions];

/**
 * A client of every engine of a connmix cluster, with the methods and events of a `Client`: one
 * engine client each, topics popped on all of them, `conn.call` routed to the engine that holds
 * the end-user connection, `mesh.*` sent through any open engine.
 */
export interface Cluster {
  /**
   * `idle` until started; `connecting` until an engine first opens; `open` while at least one
   * engine is open; `reconnecting` when none is open any more; `closed` (final) after `close()`.
   */
  readonly state: ClientState;
  /** The engines now, each with its client's state, in the order they joined. */
  readonly nodes: ClusterNode[];
  /**
   * Starts discovery (or the static engines) and resolves as soon as **one** engine is open.
   * Idempotent. No deadline unless you give one; a cluster whose center is down keeps trying.
   */
  connect(options?: CallOptions): Promise<void>;
  /**
   * Adds a handler for `state`, `message`, `error` or `nodes`; returns the function that removes it.
   * @example cluster.on('nodes', ({ nodes }) => console.log(nodes.map((n) => `${n.id}:${n.state}`)));
   */
  on<K extends keyof ClusterEvents>(type: K, handler: ClusterEventHandler<K>): () => void;
  /** The client's signature, so that a cluster fits where a `Client` is expected. */
  on<K extends keyof ClientEvents>(type: K, handler: ClientEventHandler<K>): () => void;
  /** Measures a round trip through one open engine (round robin, or `{ node }`). */
  ping(options?: ClusterCallOptions): Promise<ClusterPingResult>;
  /**
   * Pops topics on every engine, and on every engine that joins later. `{ success: true }` only if
   * every engine accepted; once one did, the topics are remembered and the others are retried
   * (reported as `repop` with their `node`). Rejects with the first engine's error if none did.
   */
  pop(...topics: NamesAndOptions): Promise<SuccessResult>;
  /**
   * Consumes topics on every engine (also engines that join later or come back) as one async
   * iterator, buffering before the pops go out. Closing it unpops every engine and pops again what
   * other subscriptions and `pop()` still want.
   * @example
   * for await (const msg of cluster.consume('foo')) await msg.reply('got it');
   */
  consume(...topics: ConsumeArguments): ClusterSubscription;
  /**
   * Stops consuming on every engine and forgets the topics of `pop()` (those of open subscriptions
   * are popped again); `{ success: true }` only if every engine accepted.
   */
  unpop(options?: CallOptions): Promise<SuccessResult>;
  /**
   * The messages of every engine, merged, as an async iterator under the client's slow-consumer
   * policy (nothing dropped; `slow` reported past `highWaterMark`). Ends on `close()`.
   * @example for await (const msg of cluster.messages({ topic: 'foo' })) await msg.reply('ok');
   */
  messages(options?: MessagesOptions): ClusterMessageStream;
  /** Sets one context value on an end-user connection, on the engine that holds it. */
  setContextValue(
    clientId: string,
    key: string,
    value: unknown,
    options?: ClusterCallOptions,
  ): Promise<SuccessResult>;
  /** Replaces the context of an end-user connection, on the engine that holds it. */
  setContext(
    clientId: string,
    context: Record<string, unknown>,
    options?: ClusterCallOptions,
  ): Promise<SuccessResult>;
  /** Subscribes an end-user connection to channels, on the engine that holds it. */
  subscribe(clientId: string, ...channels: ClusterNamesAndOptions): Promise<SuccessResult>;
  /** Unsubscribes an end-user connection from channels, on the engine that holds it. */
  unsubscribe(clientId: string, ...channels: ClusterNamesAndOptions): Promise<SuccessResult>;
  /**
   * Runs a `conn.call` function on the engine that holds the connection: `{ node }`, else the one
   * its last message came through, else (unknown, e.g. after a restart) the one that accepts it
   * when every engine is asked, which is then remembered. Only that engine runs it: the others
   * answer 301. Rejects with a `ServerError` 301 when no engine accepts it.
   * @example await cluster.call(msg.clientId, 'subscribe', ['room1'], { node: msg.node });
   */
  call(
    clientId: string,
    func: string,
    args: readonly unknown[],
    options?: ClusterCallOptions,
  ): Promise<SuccessResult>;
  /** Sends to one end-user connection anywhere, through an open engine (the mesh forwards it). */
  send(clientId: string, data: string | Uint8Array, options?: ClusterCallOptions): Promise<DeliveryResult>;
  /** Sends to every connection subscribed to a channel, through an open engine. */
  publish(channel: string, data: string | Uint8Array, options?: ClusterCallOptions): Promise<DeliveryResult>;
  /**
   * Sends any request where its method belongs: `queue.pop`/`queue.unpop` to every engine (as
   * `pop`/`unpop`), `conn.call` to the engine of its client, the others to an open engine.
   */
  request<R extends OutgoingRequest>(
    request: R,
    options?: ClusterCallOptions,
  ): Promise<MethodResults[R['method']]>;
  /** Closes for good: every engine client, the resync timer and the iterators; nothing is left. */
  close(): Promise<void>;
}
