/**
 * The only thing a runtime adapter implements. The core never touches a WebSocket type: an
 * adapter (browser, Node, a test fake) turns its socket into these calls.
 */

/**
 * Called for every connection attempt; returns a fresh transport that starts connecting at once.
 * It throws, or reports a `ValidationError` through `onError`, when the URL or the adapter's
 * settings cannot work (an invalid URL or port, malformed credentials): the client then ends
 * instead of retrying something that cannot heal.
 */
export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

export interface TransportCloseInfo {
  /** WebSocket close code (1006 when the socket died without a close frame). */
  code: number;
  reason: string;
  /**
   * The HTTP status the server answered the upgrade with, when it refused it (401, 403, 404...).
   * Set only by adapters that can see it (Node's `ws`; browsers hide it).
   */
  httpStatus?: number | undefined;
}

export interface TransportHandlers {
  onOpen(): void;
  /** Binary frames are passed on as they are; the codec rejects them with a `ProtocolError`. */
  onMessage(frame: string | Uint8Array): void;
  /** Called once, whatever ended the socket (also after `close()` and after a failed open). */
  onClose(info: TransportCloseInfo): void;
  onError(error: Error): void;
  /** A reply to a native ping frame. */
  onPong?(): void;
}

export interface Transport {
  /** Sends one text frame; throws if the socket is not open. */
  send(frame: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent, where the runtime reports it. */
  readonly bufferedAmount?: number;
  /** Sends a native ping frame, where the runtime has one (Node `ws`; not browsers). */
  ping?(): void;
}
