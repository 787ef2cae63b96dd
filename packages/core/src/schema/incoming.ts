import * as z from 'zod';
import { ClientId, NodeId, RequestId } from './primitives.ts';

/** One message a worker consumed from a queue topic (the `queue.pop` event). */
export const QueueMessageData = z.object({
  /** The engine node the message came from (v1.0.3 events; set by the cluster in both dialects). */
  node: NodeId.optional(),
  clientId: ClientId,
  topic: z.string(),
  /** Whatever the entry script pushed; no fixed schema. An empty Lua table arrives as `[]`. */
  data: z.unknown(),
});
export type QueueMessageData = z.infer<typeof QueueMessageData>;

export const ResponseIncoming = z.object({ kind: z.literal('response'), id: RequestId, result: z.unknown() });
export const ErrorIncoming = z.object({
  kind: z.literal('error'),
  id: RequestId.nullable(),
  code: z.int(),
  message: z.string(),
});
export const QueueEventIncoming = z.object({
  kind: z.literal('event'),
  event: z.literal('queue.pop'),
  message: QueueMessageData,
});
/** An event this SDK does not know yet: passed on as it came. */
export const UnknownEventIncoming = z.object({
  kind: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});
export const PongIncoming = z.object({ kind: z.literal('pong') });

/** Everything `codec.decode` can return. */
export const Incoming = z.union([
  ResponseIncoming,
  ErrorIncoming,
  QueueEventIncoming,
  UnknownEventIncoming,
  PongIncoming,
]);
export type Incoming = z.infer<typeof Incoming>;
export type ResponseIncoming = z.infer<typeof ResponseIncoming>;
export type ErrorIncoming = z.infer<typeof ErrorIncoming>;
export type QueueEventIncoming = z.infer<typeof QueueEventIncoming>;
export type UnknownEventIncoming = z.infer<typeof UnknownEventIncoming>;
export type PongIncoming = z.infer<typeof PongIncoming>;
