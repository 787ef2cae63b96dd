/**
 * The part of an `AbortSignal` the client uses. The core has no DOM or Node types, so it names
 * the shape itself; the platform `AbortSignal` of browsers, Node, Deno and Bun fits it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function isAbortSignalLike(value: unknown): value is AbortSignalLike {
  if (typeof value !== 'object' || value === null) return false;
  const signal = value as Record<string, unknown>;
  return (
    typeof signal['aborted'] === 'boolean' &&
    typeof signal['addEventListener'] === 'function' &&
    typeof signal['removeEventListener'] === 'function'
  );
}

/**
 * Runs `onAbort` once when `signal` aborts. Returns the function that removes the listener: a
 * settled call must not keep a listener on a long-lived signal.
 */
export function listenForAbort(signal: AbortSignalLike | undefined, onAbort: () => void): () => void {
  if (!signal) return noop;
  const listener = () => onAbort();
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

function noop(): void {}
