import * as z from 'zod';
import { METHODS } from '../grammar/methods.ts';
import { deliveryResult, RESULT_FORMS, type ResultForm } from '../grammar/results.ts';
import { COUNTED_RESULT_GAP } from './jsonSchemaForms.ts';
import { natural } from './primitives.ts';

/** `queue.pop`, `queue.unpop`, `conn.call` (and `server.ping`) resolve to this. */
export const SuccessResult = z.object({ success: z.boolean() });
export type SuccessResult = z.infer<typeof SuccessResult>;

/** `mesh.send` and `mesh.publish` resolve to delivery counts, the same in both dialects. */
export const DeliveryResult = z.object({
  success: /* @__PURE__ */ natural(),
  fail: /* @__PURE__ */ natural(),
  total: /* @__PURE__ */ natural(),
});
export type DeliveryResult = z.infer<typeof DeliveryResult>;

/** Raw `r` objects as the engine writes them. */
export const PingWireResult = z.object({ s: z.string() });
export const FlagWireResult = z.object({ s: z.boolean() });
/** v1.0.2 `mesh.*`: `s` a flag, `f` failed, `t` total. */
export const CountedWireResult = z
  .object({ s: z.boolean(), f: /* @__PURE__ */ natural(), t: /* @__PURE__ */ natural() })
  .refine((r) => r.f <= r.t, { error: 'f (failed) cannot exceed t (total)' })
  .meta({ $comment: COUNTED_RESULT_GAP });
/** v1.0.3 `mesh.publish`: `s` delivered (a number), `f` failed. */
export const PublishWireResultV103 = z.object({ s: /* @__PURE__ */ natural(), f: /* @__PURE__ */ natural() });

/** The zod form of each result form of the grammar (`../grammar/results.ts`), with its meaning. */
const FORM_SCHEMAS = {
  ping: PingWireResult.transform((r) => RESULT_FORMS.ping(r)!),
  flag: FlagWireResult.transform((r) => RESULT_FORMS.flag(r)!),
  counted: CountedWireResult.transform((r) => deliveryResult(r.t - r.f, r.f)),
  sendFlag: FlagWireResult.transform((r) => RESULT_FORMS.sendFlag(r)!),
  publishCounts: PublishWireResultV103.transform((r) => deliveryResult(r.s, r.f)),
} as const satisfies Record<ResultForm, z.ZodType>;

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

/** The result forms of `method` (the table lists them), as one schema: a union when it has more. */
function resultSchema<M extends keyof MethodResults>(method: M): z.ZodType<MethodResults[M], unknown> {
  const forms = METHODS[method].result.map((form: ResultForm) => FORM_SCHEMAS[form]);
  return (forms.length === 1 ? forms[0]! : z.union(forms)) as never;
}

/** A result schema per method that accepts the `r` of either dialect and normalizes it. */
export const MethodResultSchemas = {
  'server.ping': /* @__PURE__ */ resultSchema('server.ping'),
  'queue.pop': /* @__PURE__ */ resultSchema('queue.pop'),
  'queue.unpop': /* @__PURE__ */ resultSchema('queue.unpop'),
  'conn.call': /* @__PURE__ */ resultSchema('conn.call'),
  'mesh.send': /* @__PURE__ */ resultSchema('mesh.send'),
  'mesh.publish': /* @__PURE__ */ resultSchema('mesh.publish'),
} as const;
