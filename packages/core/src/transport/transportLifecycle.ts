import { ConnectionClosedError, ConnmixError, ValidationError } from '../errors/errors.ts';
import { setTimer } from '../runtime/timers.ts';
import type { TransportCloseInfo, TransportHandlers } from './transport.ts';

/** Close code of a socket that ended without a close frame. */
export const ABNORMAL_CLOSURE = 1006;

/** What closing needs of a socket: the platform `WebSocket` and `ws` both have it. */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/** What {@link transportLifecycle} returns, in this order. */
export type TransportLifecycle = readonly [
  /** Whether the transport has ended: no event is passed on after that. */
  isEnded: () => boolean,
  /** Reports the close, the first time only. */
  end: (info: TransportCloseInfo) => void,
  /** Reports an error, unless the transport has ended or is being closed. */
  fail: (error: Error) => void,
  failToCreate: (where: string, error: unknown) => void,
  notOpen: (message: string) => ConnectionClosedError,
  /** `Transport.close`. */
  close: (code?: number, reason?: string) => void,
];

/**
 * The part of a transport that every adapter shares, whatever its socket: `onClose` is called
 * once, an error is news only while the socket is neither ended nor being closed on purpose, and
 * a refused send carries the close that was asked for. `socket` is read when closing: it is
 * `undefined` until the socket exists, and stays so when it could not be created.
 *
 * A tuple of functions, not an object: the names then cost nothing in the browser bundle.
 */
export function transportLifecycle(
  handlers: Pick<TransportHandlers, 'onClose' | 'onError'>,
  socket: () => ClosableSocket | undefined,
): TransportLifecycle {
  let ended = false;
  /** Set by `close()`: the errors of a socket we are closing are not news. */
  let closeRequested: TransportCloseInfo | undefined;

  const end = (info: TransportCloseInfo): void => {
    if (ended) return;
    ended = true;
    handlers.onClose(info);
  };
  const fail = (error: Error): void => {
    if (!ended && !closeRequested) handlers.onError(error);
  };
  /**
   * The socket could not even be created: reported a turn later, the way any failed open is, and
   * as a `ValidationError` (unless it already is a connmix error): retrying it cannot help.
   */
  const failToCreate = (where: string, error: unknown): void => {
    setTimer(() => {
      fail(
        error instanceof ConnmixError
          ? error
          : new ValidationError(
              'WebSocket URL',
              [{ path: ['url'], message: `cannot connect to ${where}: ${(error as Error).message}` }],
              { cause: error },
            ),
      );
      end({ code: ABNORMAL_CLOSURE, reason: '' });
    }, 0);
  };
  /** What a send (or ping) on a socket that is not open throws: the close asked for, if any. */
  const notOpen = (message: string): ConnectionClosedError =>
    new ConnectionClosedError({ message, ...(closeRequested ?? { code: ABNORMAL_CLOSURE, reason: '' }) });
  const close = (code = 1000, reason = ''): void => {
    if (ended) return;
    closeRequested ??= { code, reason };
    try {
      socket()?.close(code, reason);
    } catch {
      // A code or reason the socket will not put in a close frame (browsers accept only 1000 and
      // 3000-4999, and a reason of at most 123 bytes): close with the default.
      socket()?.close();
    }
  };
  const isEnded = (): boolean => ended;
  return [isEnded, end, fail, failToCreate, notOpen, close];
}
