import { ConnmixError, type Transport, type TransportFactory, type TransportHandlers } from '@connmix/core';
import { redactUrl, transportLifecycle } from '@connmix/core/internal';
import type { BrowserTransportOptions, WebSocketConstructor } from './options.ts';

/** `WebSocket.OPEN`, without touching a global that a runtime may not have. */
const OPEN = 1;

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
  let socket: WebSocket | undefined;
  const [isEnded, end, fail, failToCreate, notOpen, close] = transportLifecycle(handlers, () => socket);

  try {
    socket = protocols === undefined ? new WebSocketClass(url) : new WebSocketClass(url, protocols);
  } catch (error) {
    // A URL the platform refuses (SyntaxError) is reported like any failed open. Its message
    // quotes the URL as given, credentials included: it is replaced by its masked form, and of
    // the platform's error only the name is kept.
    const cause = new Error(
      redactUrl(`${(error as Error | undefined)?.message ?? error}`.split(url).join(where)),
    );
    cause.name = (error as Error | undefined)?.name ?? 'Error';
    failToCreate(where, cause);
  }

  if (socket) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      if (!isEnded()) handlers.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (!isEnded()) handlers.onMessage(toFrame(event.data));
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
      if (isEnded() || socket?.readyState !== OPEN) {
        throw notOpen(`cannot send: the connection to ${where} is not open`);
      }
      socket.send(frame);
    },
    close,
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
