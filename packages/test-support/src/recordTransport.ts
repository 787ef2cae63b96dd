// Opens one transport and records every handler call, in order, for assertions.
import type { Transport, TransportCloseInfo, TransportFactory } from '@connmix/core';

export type TransportEvent =
  | { type: 'open' }
  | { type: 'message'; frame: string | Uint8Array }
  | { type: 'pong' }
  | { type: 'error'; error: Error }
  | { type: 'close'; info: TransportCloseInfo };

export interface RecordedTransport {
  transport: Transport;
  events: TransportEvent[];
  opened: Promise<void>;
  closed: Promise<TransportCloseInfo>;
  /** Resolves with the next message frame (already received ones included, in order). */
  nextMessage(): Promise<string | Uint8Array>;
  errors(): Error[];
}

export function recordTransport(factory: TransportFactory, url: string): RecordedTransport {
  const events: TransportEvent[] = [];
  let markOpen!: () => void;
  let markClosed!: (info: TransportCloseInfo) => void;
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  const closed = new Promise<TransportCloseInfo>((resolve) => (markClosed = resolve));
  const messages: Array<string | Uint8Array> = [];
  const waiting: Array<(frame: string | Uint8Array) => void> = [];
  const transport = factory(url, {
    onOpen() {
      events.push({ type: 'open' });
      markOpen();
    },
    onMessage(frame) {
      events.push({ type: 'message', frame });
      const next = waiting.shift();
      if (next) next(frame);
      else messages.push(frame);
    },
    onPong() {
      events.push({ type: 'pong' });
    },
    onError(error) {
      events.push({ type: 'error', error });
    },
    onClose(info) {
      events.push({ type: 'close', info });
      markClosed(info);
    },
  });
  return {
    transport,
    events,
    opened,
    closed,
    nextMessage() {
      const frame = messages.shift();
      return frame === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(frame);
    },
    errors: () => events.flatMap((event) => (event.type === 'error' ? [event.error] : [])),
  };
}
