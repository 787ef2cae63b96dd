import * as z from 'zod';
import { CALL_ARGS_RULES_JSON } from './jsonSchemaForms.ts';
import { Channel, ClientId, MessageType, RequestId, Topic } from './primitives.ts';
import { ConnCallRequest, type IdentifiedRequest } from './requests.ts';

// Requests as the SDK writes them on the wire, per dialect, and the neutral request each one
// means. For services that inspect connmix traffic, and the other half of the codec's round trip.

const Empty = z.tuple([]);
/** The args rules of `ConnCallRequest` run after a transform (`callRequest`): restated for JSON Schema. */
const CallParams = z
  .object({ c: ClientId, f: z.string(), a: z.array(z.unknown()) })
  .meta({ allOf: CALL_ARGS_RULES_JSON });
const SendParams = z.object({ c: ClientId, d: z.string() });
const PublishParams = z.object({ c: Channel, d: z.string() });

const frame = <M extends string, P extends z.ZodType>(m: M, p: P) =>
  z.object({ m: z.literal(m), p, i: RequestId });

/** The neutral `conn.call` a frame means, held to the neutral schema's argument rules. */
const callRequest = (
  i: number,
  { c, f, a }: z.infer<typeof CallParams>,
  ctx: z.core.$RefinementCtx,
): IdentifiedRequest => {
  const checked = ConnCallRequest.safeParse({ method: 'conn.call', clientId: c, func: f, args: a });
  if (checked.success) return { id: i, ...checked.data };
  for (const issue of checked.error.issues)
    ctx.addIssue({ code: 'custom', path: ['p', ...issue.path], message: issue.message });
  return z.NEVER;
};

export const WireRequestV102 = z.union([
  frame('server.ping', Empty).transform(({ i }): IdentifiedRequest => ({ id: i, method: 'server.ping' })),
  frame('queue.pop', z.array(Topic).min(1)).transform(({ i, p }): IdentifiedRequest => ({
    id: i,
    method: 'queue.pop',
    topics: p,
  })),
  frame('queue.unpop', Empty).transform(({ i }): IdentifiedRequest => ({ id: i, method: 'queue.unpop' })),
  frame('conn.call', z.tuple([CallParams])).transform(({ i, p: [call] }, ctx) => callRequest(i, call, ctx)),
  frame('mesh.send', z.tuple([SendParams])).transform(({ i, p: [s] }): IdentifiedRequest => ({
    id: i,
    method: 'mesh.send',
    clientId: s.c,
    data: s.d,
  })),
  frame('mesh.publish', z.tuple([PublishParams])).transform(({ i, p: [s] }): IdentifiedRequest => ({
    id: i,
    method: 'mesh.publish',
    channel: s.c,
    data: s.d,
  })),
]);

const typed = <T extends object>(params: T, t: 'text' | 'binary' | undefined) =>
  t === undefined ? params : { ...params, type: t };

export const WireRequestV103 = z.union([
  frame('queue.pop', z.object({ t: z.array(Topic).min(1) })).transform(({ i, p }): IdentifiedRequest => ({
    id: i,
    method: 'queue.pop',
    topics: p.t,
  })),
  frame('queue.unpop', z.object({})).transform(({ i }): IdentifiedRequest => ({
    id: i,
    method: 'queue.unpop',
  })),
  frame('conn.call', CallParams).transform(({ i, p }, ctx) => callRequest(i, p, ctx)),
  frame('mesh.send', SendParams.extend({ t: MessageType.optional() })).transform(
    ({ i, p }): IdentifiedRequest =>
      typed({ id: i, method: 'mesh.send' as const, clientId: p.c, data: p.d }, p.t),
  ),
  frame('mesh.publish', PublishParams.extend({ t: MessageType.optional() })).transform(
    ({ i, p }): IdentifiedRequest =>
      typed({ id: i, method: 'mesh.publish' as const, channel: p.c, data: p.d }, p.t),
  ),
]);

/** The wire request schema of each dialect. */
export const WireRequest = { 'v1.0.2': WireRequestV102, 'v1.0.3': WireRequestV103 } as const;
