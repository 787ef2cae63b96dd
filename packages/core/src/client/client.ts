import type { MethodResults } from '../schema/results.ts';
import type { DeliveryResult, SuccessResult } from '../schema/results.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { NamesAndOptions } from './arguments.ts';
import type { ClientEventHandler, ClientEvents, ClientState } from './events.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';
import type { CallOptions } from './options.ts';
import type { QueueMessage } from './queueMessage.ts';

/** The answer to `ping()`. */
export interface PingResult {
  /** Round trip from the moment the probe went out, in ms. */
  rttMs: number;
}

export interface MessagesOptions {
  /** Only messages of this topic; all topics when absent. */
  topic?: string | undefined;
  /** Buffered messages past which the consumer is reported `slow`. @default the client's `highWaterMark` */
  highWaterMark?: number | undefined;
  /** Aborting it stops the iterator. */
  signal?: AbortSignalLike | undefined;
}

/** The queue messages of a client as an async iterator; `break` or `close()` stops it, `client.close()` ends it. */
export interface MessageStream<M extends QueueMessage = QueueMessage> extends AsyncIterableIterator<
  M,
  undefined
> {
  /** Messages received but not read yet. */
  readonly buffered: number;
  /** Stops it; what it had not read goes to the other consumers, or is held for the next one. */
  close(): Promise<void>;
  return(): Promise<IteratorResult<M, undefined>>;
}

/** Options of `consume()`, given after the topics. */
export interface ConsumeOptions {
  /** Buffered messages past which the subscription is reported `slow`. @default the client's `highWaterMark` */
  highWaterMark?: number | undefined;
  /** Aborting it closes the subscription. */
  signal?: AbortSignalLike | undefined;
}

/** Topics followed by optional consume options: `consume('foo', 'bar', { highWaterMark: 100 })`. */
export type ConsumeArguments = [...topics: string[]] | [...topics: string[], options: ConsumeOptions];

/**
 * The messages of some topics, as an async iterator that buffered from the moment it was made:
 * nothing the pop brings can be missed. It keeps its topics popped, across reconnections, until
 * it is closed; closing it leaves what other subscriptions consume flowing.
 */
export interface Subscription<M extends QueueMessage = QueueMessage> extends MessageStream<M> {
  /** The topics it consumes. */
  readonly topics: readonly string[];
}

/** A client of one connmix engine's API server. */
export interface Client {
  /** Where the client is: `idle`, `connecting`, `open`, `reconnecting` or `closed` (final). */
  readonly state: ClientState;
  /** Opens the connection; resolves when open. Idempotent: every caller shares one socket. */
  connect(options?: CallOptions): Promise<void>;
  /**
   * Adds a handler for `state`, `message` or `error`; returns the function that removes it.
   * @example const off = client.on('message', (msg) => msg.reply('got it'));
   */
  on<K extends keyof ClientEvents>(type: K, handler: ClientEventHandler<K>): () => void;
  /** Measures a round trip (`server.ping` in v1.0.2, the text frame `ping` in v1.0.3). */
  ping(options?: CallOptions): Promise<PingResult>;
  /**
   * Consumes queue topics. From the call on, they are popped again on every new connection (ahead
   * of the calls queued meanwhile), also when this pop's socket died before its answer, until the
   * engine refuses them or `unpop()`; a `queue.pop` sent through `request()` counts too. Prefer
   * `consume()`, which also reads them.
   * @example await client.pop('foo', 'bar', { timeoutMs: 5_000 });
   */
  pop(...topics: NamesAndOptions): Promise<SuccessResult>;
  /**
   * Consumes topics as an async iterator, the way to read a queue: it buffers before its pop goes
   * out, keeps its topics popped across reconnections (a pop that fails on a dying socket goes out
   * again on the next one) and stops them when closed, while other subscriptions keep flowing.
   * @example
   * for await (const msg of client.consume('foo')) await msg.reply('got it');
   */
  consume(...topics: ConsumeArguments): Subscription;
  /**
   * Stops consuming every topic (the engine cancels all at once) and forgets those of `pop()`;
   * the topics of open `consume()` subscriptions are popped again right after.
   */
  unpop(options?: CallOptions): Promise<SuccessResult>;
  /**
   * The consumed messages as an async iterator; it first gets the messages that arrived while no
   * one consumed them. Nothing is ever dropped: past `highWaterMark` unread messages the client
   * reports `{ kind: 'slow' }` on `error` (once, until the reader has drained half of them) and
   * keeps buffering. Ends on `close()`; `break` stops it.
   * @example for await (const msg of client.messages({ topic: 'foo' })) await msg.reply('ok');
   */
  messages(options?: MessagesOptions): MessageStream;
  /** Sets one context value on an end-user connection. */
  setContextValue(
    clientId: string,
    key: string,
    value: unknown,
    options?: CallOptions,
  ): Promise<SuccessResult>;
  /** Replaces the context of an end-user connection. */
  setContext(
    clientId: string,
    context: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<SuccessResult>;
  /** Subscribes an end-user connection to channels. */
  subscribe(clientId: string, ...channels: NamesAndOptions): Promise<SuccessResult>;
  /** Unsubscribes an end-user connection from channels. */
  unsubscribe(clientId: string, ...channels: NamesAndOptions): Promise<SuccessResult>;
  /** Runs any `conn.call` function on the engine that holds the connection. */
  call(
    clientId: string,
    func: string,
    args: readonly unknown[],
    options?: CallOptions,
  ): Promise<SuccessResult>;
  /** Sends to one end-user connection; bytes go as base64 `binary` (v1.0.3 only). */
  send(clientId: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  /** Sends to every connection subscribed to a channel. */
  publish(channel: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  /** Sends any request and resolves with its normalized result: the escape hatch. */
  request<R extends OutgoingRequest>(request: R, options?: CallOptions): Promise<MethodResults[R['method']]>;
  /** Closes for good: pending calls fail, iterators end, no timer, listener or socket is left. */
  close(): Promise<void>;
}
