import type { QueueMessageData } from '../schema/incoming.ts';
import type { DeliveryResult, SuccessResult } from '../schema/results.ts';
import type { NamesAndOptions } from './arguments.ts';
import { channels, setContext, setContextValue } from './connCalls.ts';
import type { CallOptions } from './options.ts';

/**
 * What a message's helpers need: the client (or, in a cluster, the node's client) the message came
 * from. The two methods of `Client` they use, named here so a message does not depend on the client.
 */
export interface MessageActions {
  send(clientId: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  call(
    clientId: string,
    func: string,
    args: readonly unknown[],
    options?: CallOptions,
  ): Promise<SuccessResult>;
}

/**
 * One message consumed from a queue topic, with helpers that act on the end-user connection that
 * sent it. The helpers are on the prototype, so the message's own keys, JSON and spread are its data.
 */
export interface QueueMessage extends QueueMessageData {
  /** Sends `data` back to the connection (`mesh.send`). */
  reply(data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult>;
  /** Sets one context value on the connection (`conn.call set_context_value`). */
  setContextValue(key: string, value: unknown, options?: CallOptions): Promise<SuccessResult>;
  /** Replaces the connection's context (`conn.call set_context`). */
  setContext(context: Record<string, unknown>, options?: CallOptions): Promise<SuccessResult>;
  /** Subscribes the connection to channels: `msg.subscribe('room1', 'room2')`. */
  subscribe(...channels: NamesAndOptions): Promise<SuccessResult>;
  /** Unsubscribes the connection from channels. */
  unsubscribe(...channels: NamesAndOptions): Promise<SuccessResult>;
}

/**
 * A message is an instance of one class: its own enumerable keys are the data (`node` first when
 * there is one, as the engine sends it), and the helpers live once on the prototype instead of as
 * five closures and five property descriptors per message. The client it acts through is a
 * private field, invisible to `Object.keys`, `JSON.stringify`, spreads and `toEqual`.
 */
class ReceivedMessage {
  declare node?: string;
  declare clientId: string;
  declare topic: string;
  declare data: unknown;
  readonly #actions: MessageActions;

  constructor(data: QueueMessageData, actions: MessageActions) {
    if (data.node !== undefined) this.node = data.node;
    this.clientId = data.clientId;
    this.topic = data.topic;
    this.data = data.data;
    this.#actions = actions;
  }

  // Getters, so that a helper taken off its message (`const { reply } = message`) still acts on
  // it: the bound function is made when it is read, not for every message received.
  get reply(): QueueMessage['reply'] {
    return (data, options) => this.#actions.send(this.clientId, data, options);
  }

  get setContextValue(): QueueMessage['setContextValue'] {
    return (key, value, options) => setContextValue(this.#actions, this.clientId, key, value, options);
  }

  get setContext(): QueueMessage['setContext'] {
    return (context, options) => setContext(this.#actions, this.clientId, context, options);
  }

  get subscribe(): QueueMessage['subscribe'] {
    return async (...names) =>
      channels(this.#actions, this.clientId, 'subscribe', names, 'conn.call subscribe');
  }

  get unsubscribe(): QueueMessage['unsubscribe'] {
    return async (...names) =>
      channels(this.#actions, this.clientId, 'unsubscribe', names, 'conn.call unsubscribe');
  }
}

export function createQueueMessage(data: QueueMessageData, actions: MessageActions): QueueMessage {
  return new ReceivedMessage(data, actions);
}
