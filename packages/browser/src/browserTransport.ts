import {
  ConnectionClosedError,
  ConnmixError,
  ValidationError,
  type Transport,
  type TransportCloseInfo,
  type TransportFactory,
  type TransportHandlers,
} from '@connmix/core';
import { redactUrl } from '@connmix/core/internal';
import type { BrowserTransportOptions, WebSocketConstructor } from './options.ts';

/** `WebSocket.OPEN`, without touching a global that a runtime may not have. */
const OPEN = 1;
/** Close code of a socket that ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;

/**
 * A transport over the platform `WebSocket`: browsers, web workers, Deno, Bun and Node >= 22.
 * Browsers cannot set headers or send ping frames: authenticate through the URL or a proxy, and
 * the client's heartbeat uses protocol-level pings.
 *
 * @example
 * const client = createClient({ url: 'wss://gateway.example/ws/v1', transport: browserTransport() });
 */
export function browserTransport(options: BrowserTransportOptions = {}): TransportFactory {
  const WebSocketClass = options.WebSocket ?? platformWebSocket();
  const protocols = options.protocols;
  return (url, handlers) => openBrowserTransport(url, handlers, WebSocketClass, protocols);
}

function platformWebSocket(): WebSocketConstructor {
  const found = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof found !== 'function') {
    throw new ConnmixError('no global WebSocket here: use @connmix/node, or browserTransport({ WebSocket })');
  }
  return found;
}

function openBrowserTransport(
  url: string,
  handlers: TransportHandlers,
  WebSocketClass: WebSocketConstructor,
  protocols: string | string[] | undefined,
): Transport {
  // Browsers say nothing about a failure but in the one SyntaxError below, so masking the URL is
  // all the redaction needed here (and all this bundle can afford). One URL, not text: its
  // userinfo runs to the last `@` of the authority, spaces included.
  const where = redactUrl(url.replace(/^(\w+:\/\/)[^/?#]*@/, '$1***@'));
  let ended = false;
  /** Set by `close()`: the error event of a socket we are closing is not news. */
  let closeRequested: TransportCloseInfo | undefined;

  const end = (info: TransportCloseInfo) => {
    if (ended) return;
    ended = true;
    handlers.onClose(info);
  };
  const fail = (error: Error) => {
    if (!ended && !closeRequested) handlers.onError(error);
  };

  let socket: WebSocket | undefined;
  try {
    socket = protocols === undefined ? new WebSocketClass(url) : new WebSocketClass(url, protocols);
  } catch (error) {
    // A URL the platform refuses (SyntaxError) is reported like any failed open, as a
    // ValidationError: retrying it cannot help. Its message quotes the URL as given, credentials
    // included: it is replaced by its masked form, and of the platform's error only the name is kept.
    const cause = new Error(
      redactUrl(`${(error as Error | undefined)?.message ?? error}`.split(url).join(where)),
    );
    cause.name = (error as Error | undefined)?.name ?? 'Error';
    setTimeout(() => {
      const issue = { path: ['url'], message: `cannot connect to ${where}: ${cause.message}` };
      fail(new ValidationError('WebSocket URL', [issue], { cause }));
      end({ code: ABNORMAL_CLOSURE, reason: '' });
    }, 0);
  }

  if (socket) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      if (!ended) handlers.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (!ended) handlers.onMessage(toFrame(event.data));
    });
    socket.addEventListener('error', () => {
      fail(new ConnmixError(`WebSocket error on ${where} (browsers give no detail: see the network log)`));
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      end({ code: event.code, reason: event.reason });
    });
  }

  return {
    send(frame) {
      if (ended || socket?.readyState !== OPEN) {
        throw new ConnectionClosedError({
          message: `cannot send: the connection to ${where} is not open`,
          ...(closeRequested ?? { code: ABNORMAL_CLOSURE, reason: '' }),
        });
      }
      socket.send(frame);
    },
    close(code = 1000, reason = '') {
      if (ended) return;
      closeRequested ??= { code, reason };
      try {
        socket?.close(code, reason);
      } catch {
        // Browsers accept only 1000 and 3000-4999, and a reason of at most 123 bytes.
        socket?.close();
      }
    },
    get bufferedAmount() {
      return socket?.bufferedAmount ?? 0;
    },
  };
}

/** Text stays a string; any binary payload becomes a plain `Uint8Array`. */
function toFrame(data: unknown): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // A Blob (a WebSocket class that ignores binaryType): still binary, still rejected by the codec.
  return new Uint8Array(0);
}
