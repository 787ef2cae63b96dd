// The shapes a response's `r` takes, and what each one means. `normalizeResult` reads them in the
// order a method's table entry lists them; `MethodResultSchemas` declares the same in zod.
// This module must stay free of zod: the client bundle imports it.
import { isNatural } from './values.ts';

export interface SuccessResult {
  success: boolean;
}
export interface DeliveryResult {
  success: number;
  fail: number;
  total: number;
}

/** `mesh.*` resolve to delivery counts, the same in both dialects. */
export function deliveryResult(success: number, fail: number): DeliveryResult {
  return { success, fail, total: success + fail };
}

type Wire = Readonly<Record<string, unknown>>;

/** Each form: what an `r` of that shape means, or undefined when `r` does not have it. */
export const RESULT_FORMS = {
  /** `server.ping`: `s` is `'server.pong'`. */
  ping: ({ s }: Wire): SuccessResult | undefined =>
    typeof s === 'string' ? { success: s === 'server.pong' } : undefined,
  /** `s` a flag. */
  flag: ({ s }: Wire): SuccessResult | undefined => (typeof s === 'boolean' ? { success: s } : undefined),
  /** v1.0.2 `mesh.*`: `s` a flag, `f` failed, `t` total (never below `f`). */
  counted: ({ s, f, t }: Wire): DeliveryResult | undefined =>
    typeof s === 'boolean' && isNatural(f) && isNatural(t) && f <= t ? deliveryResult(t - f, f) : undefined,
  /** v1.0.3 `mesh.send`: `s` whether the one client got it. */
  sendFlag: ({ s }: Wire): DeliveryResult | undefined => {
    if (typeof s !== 'boolean') return undefined;
    return s ? deliveryResult(1, 0) : deliveryResult(0, 1);
  },
  /** v1.0.3 `mesh.publish`: `s` delivered, `f` failed. */
  publishCounts: ({ s, f }: Wire): DeliveryResult | undefined =>
    isNatural(s) && isNatural(f) ? deliveryResult(s, f) : undefined,
} as const;

export type ResultForm = keyof typeof RESULT_FORMS;
