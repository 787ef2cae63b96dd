import type { QueueMessageData } from '../schema/incoming.ts';
import type { Client } from './client.ts';
import type { DeliveryResult, SuccessResult } from '../schema/results.ts';
import { splitNames, type NamesAndOptions } from './arguments.ts';
import type { CallOptions } from './options.ts';

/** What a message's helpers need: the client (or, in a cluster, the node) the message came from. */
export type MessageActions = Pick<Client, 'send' | 'call'>;

/**
 * One message consumed from a queue topic, with helpers that act on the end-user connection that
 * sent it. The helpers are non-enumerable, so the message compares and logs as its data.
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

export function createQueueMessage(data: QueueMessageData, actions: MessageActions): QueueMessage {
  const { clientId } = data;
  const message: QueueMessageData =
    data.node === undefined
      ? { clientId, topic: data.topic, data: data.data }
      : { node: data.node, clientId, topic: data.topic, data: data.data };
  const channelCall =
    (func: 'subscribe' | 'unsubscribe') =>
    async (...args: NamesAndOptions) => {
      const { names, options } = splitNames(`conn.call ${func}`, 'channels', args);
      return actions.call(clientId, func, names, options as CallOptions | undefined);
    };
  const helpers: Omit<QueueMessage, keyof QueueMessageData> = {
    reply: (reply, options) => actions.send(clientId, reply, options),
    setContextValue: (key, value, options) =>
      actions.call(clientId, 'set_context_value', [key, value], options),
    setContext: (context, options) => actions.call(clientId, 'set_context', [context], options),
    subscribe: channelCall('subscribe'),
    unsubscribe: channelCall('unsubscribe'),
  };
  const descriptors: PropertyDescriptorMap = {};
  for (const [name, value] of Object.entries(helpers)) {
    descriptors[name] = { value, enumerable: false, writable: false, configurable: false };
  }
  return Object.defineProperties(message, descriptors) as QueueMessage;
}
