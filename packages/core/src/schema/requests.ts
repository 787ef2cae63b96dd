import * as z from 'zod';
import { MESSAGES, type FieldName } from '../grammar/fields.ts';
import { METHODS, type MethodGrammar } from '../grammar/methods.ts';
import { Channel, ClientId, MessageType, RequestId, Topic } from './primitives.ts';

/** The zod form of each field rule of the grammar (`../grammar/fields.ts`). */
export const FIELD_SCHEMAS = {
  topics: z.array(Topic).min(1, { error: MESSAGES.topics }),
  clientId: ClientId,
  channel: Channel,
  func: z.string().min(1, { error: MESSAGES.func }),
  args: z.array(z.unknown()),
  data: z.string(),
  type: MessageType.optional(),
} as const satisfies Record<FieldName, z.ZodType>;
type FieldSchemas = typeof FIELD_SCHEMAS;

type MethodFields<M extends keyof typeof METHODS> = (typeof METHODS)[M]['fields'][number];
type RequestShape<M extends keyof typeof METHODS> = { method: z.ZodLiteral<M> } & {
  [F in MethodFields<M>]: FieldSchemas[F];
};

/** The neutral request of `method`, with the fields its table entry lists (its own rule aside). */
function fieldsOf<M extends keyof typeof METHODS>(method: M): z.ZodObject<RequestShape<M>> {
  const shape: Record<string, z.ZodType> = { method: z.literal(method) };
  for (const field of METHODS[method].fields as readonly FieldName[]) shape[field] = FIELD_SCHEMAS[field];
  return z.object(shape) as unknown as z.ZodObject<RequestShape<M>>;
}

/** The method's own rule (`refine` in the table) as a zod refinement. */
export function refineOf(method: keyof typeof METHODS) {
  const { refine }: MethodGrammar = METHODS[method];
  return (request: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    const issue = refine?.(request);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  };
}

/** A schema with a refinement: one call, so the bundler can drop it when it is not used. */
function withRefine<S extends z.ZodType>(schema: S, refine: Parameters<S['superRefine']>[0]) {
  return schema.superRefine(refine);
}

/** The requests a client sends, in the neutral form shared by both dialects. */
export const ServerPingRequest = /* @__PURE__ */ fieldsOf('server.ping');
export const QueuePopRequest = /* @__PURE__ */ fieldsOf('queue.pop');
export const QueueUnpopRequest = /* @__PURE__ */ fieldsOf('queue.unpop');
/** `conn.call`; the four documented functions have their arguments checked, and every argument is JSON. */
export const ConnCallRequest = /* @__PURE__ */ withRefine(
  /* @__PURE__ */ fieldsOf('conn.call'),
  /* @__PURE__ */ refineOf('conn.call'),
);
export const MeshSendRequest = /* @__PURE__ */ fieldsOf('mesh.send');
export const MeshPublishRequest = /* @__PURE__ */ fieldsOf('mesh.publish');

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
