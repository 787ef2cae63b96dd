import * as z from 'zod';
import { COUNTED_RESULT_GAP } from './jsonSchemaForms.ts';

/** `queue.pop`, `queue.unpop`, `conn.call` (and `server.ping`) resolve to this. */
export const SuccessResult = z.object({ success: z.boolean() });
export type SuccessResult = z.infer<typeof SuccessResult>;

/** `mesh.send` and `mesh.publish` resolve to delivery counts, the same in both dialects. */
export const DeliveryResult = z.object({
  success: z.int().nonnegative(),
  fail: z.int().nonnegative(),
  total: z.int().nonnegative(),
});
export type DeliveryResult = z.infer<typeof DeliveryResult>;

const Count = z.int().nonnegative();

/** Raw `r` objects as the engine writes them. */
export const PingWireResult = z.object({ s: z.string() });
export const FlagWireResult = z.object({ s: z.boolean() });
/** v1.0.2 `mesh.*`: `s` a flag, `f` failed, `t` total. */
export const CountedWireResult = z
  .object({ s: z.boolean(), f: Count, t: Count })
  .refine((r) => r.f <= r.t, { error: 'f (failed) cannot exceed t (total)' })
  .meta({ $comment: COUNTED_RESULT_GAP });
/** v1.0.3 `mesh.publish`: `s` delivered (a number), `f` failed. */
export const PublishWireResultV103 = z.object({ s: Count, f: Count });

/** The normalized result of each method. */
export interface MethodResults {
  'server.ping': SuccessResult;
  'queue.pop': SuccessResult;
  'queue.unpop': SuccessResult;
  'conn.call': SuccessResult;
  'mesh.send': DeliveryResult;
  'mesh.publish': DeliveryResult;
}
export type MethodResult<M extends keyof MethodResults = keyof MethodResults> = MethodResults[M];

/** A result schema per method that accepts the `r` of either dialect and normalizes it. */
export const MethodResultSchemas = {
  'server.ping': PingWireResult.transform((r) => ({ success: r.s === 'server.pong' })),
  'queue.pop': FlagWireResult.transform((r) => ({ success: r.s })),
  'queue.unpop': FlagWireResult.transform((r) => ({ success: r.s })),
  'conn.call': FlagWireResult.transform((r) => ({ success: r.s })),
  'mesh.send': z.union([
    CountedWireResult.transform((r) => counted(r.t - r.f, r.f)),
    FlagWireResult.transform((r) => (r.s ? counted(1, 0) : counted(0, 1))),
  ]),
  'mesh.publish': z.union([
    CountedWireResult.transform((r) => counted(r.t - r.f, r.f)),
    PublishWireResultV103.transform((r) => counted(r.s, r.f)),
  ]),
} as const;

function counted(success: number, fail: number): DeliveryResult {
  return { success, fail, total: success + fail };
}
