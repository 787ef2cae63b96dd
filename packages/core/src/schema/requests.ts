import * as z from 'zod';
import { jsonValueIssue } from '../codec/jsonValue.ts';
import { connCallArgsIssue, MESSAGES } from '../codec/rules.ts';
import { Channel, ClientId, MessageType, RequestId, Topic } from './primitives.ts';

/** The requests a client sends, in the neutral form shared by both dialects. */
export const ServerPingRequest = z.object({ method: z.literal('server.ping') });

export const QueuePopRequest = z.object({
  method: z.literal('queue.pop'),
  topics: z.array(Topic).min(1, { error: MESSAGES.topics }),
});

export const QueueUnpopRequest = z.object({ method: z.literal('queue.unpop') });

/** `conn.call`; the four documented functions have their arguments checked, and every argument is JSON. */
export const ConnCallRequest = z
  .object({
    method: z.literal('conn.call'),
    clientId: ClientId,
    func: z.string().min(1, { error: MESSAGES.func }),
    args: z.array(z.unknown()),
  })
  .superRefine((request, ctx) => {
    const issue = connCallArgsIssue(request.func, request.args) ?? jsonValueIssue(request.args);
    if (issue) ctx.addIssue({ code: 'custom', path: ['args', ...issue.path], message: issue.message });
  });

export const MeshSendRequest = z.object({
  method: z.literal('mesh.send'),
  clientId: ClientId,
  data: z.string(),
  type: MessageType.optional(),
});

export const MeshPublishRequest = z.object({
  method: z.literal('mesh.publish'),
  channel: Channel,
  data: z.string(),
  type: MessageType.optional(),
});

export const OutgoingRequest = z.discriminatedUnion('method', [
  ServerPingRequest,
  QueuePopRequest,
  QueueUnpopRequest,
  ConnCallRequest,
  MeshSendRequest,
  MeshPublishRequest,
]);
export type OutgoingRequest = z.infer<typeof OutgoingRequest>;
export type Method = OutgoingRequest['method'];

/** What `codec.encode` takes: a request plus the id the client chose for it. */
export const IdentifiedRequest = z.intersection(OutgoingRequest, z.object({ id: RequestId }));
export type IdentifiedRequest = OutgoingRequest & { id: number };
