import type { SuccessResult } from '../schema/results.ts';
import { checkContext, checkContextValue, splitNames, type NamesAndOptions } from './arguments.ts';

/** Whatever runs a `conn.call` function for an end-user connection: a client, a cluster, a message's client. */
export interface ConnCaller<O> {
  call(clientId: string, func: string, args: readonly unknown[], options?: O): Promise<SuccessResult>;
}

// The four shortcuts of `conn.call`, written once for the client, the cluster and queue messages.

export function setContextValue<O>(
  caller: ConnCaller<O>,
  clientId: string,
  key: string,
  value: unknown,
  options: O | undefined,
): Promise<SuccessResult> {
  checkContextValue(key, value);
  return caller.call(clientId, 'set_context_value', [key, value], options);
}

export function setContext<O>(
  caller: ConnCaller<O>,
  clientId: string,
  context: Record<string, unknown>,
  options: O | undefined,
): Promise<SuccessResult> {
  checkContext(context);
  return caller.call(clientId, 'set_context', [context], options);
}

/** `subscribe` or `unsubscribe`: channel names, optionally followed by the call options. */
export function channels<O>(
  caller: ConnCaller<O>,
  clientId: string,
  func: 'subscribe' | 'unsubscribe',
  args: NamesAndOptions | readonly unknown[],
  what = 'conn.call request',
): Promise<SuccessResult> {
  const { names, options } = splitNames(what, 'channels', args);
  return caller.call(clientId, func, names, options as O | undefined);
}
