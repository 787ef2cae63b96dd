import type { ClientRequest, IncomingMessage } from 'node:http';
import {
  ConnectionClosedError,
  ConnmixError,
  ProtocolError,
  ValidationError,
  type Transport,
  type TransportFactory,
  type TransportHandlers,
  type ValidationIssue,
} from '@connmix/core';
import {
  ABNORMAL_CLOSURE,
  createRedactor,
  maskUserinfo,
  secretsOfCredentials,
  secretsOfUrl,
  transportLifecycle,
} from '@connmix/core/internal';
import WebSocket from 'isomorphic-ws';
import { basicAuthIssue, basicAuthorization, splitUrlCredentials } from './basicAuth.ts';
import { TickBatch } from './tickBatch.ts';
import { NODE_TRANSPORT_DEFAULTS, type NodeTransportOptions } from './options.ts';

/** Close code `ws` uses when a frame exceeds `maxPayload` (RFC 6455 "message too big"). */
const MESSAGE_TOO_BIG = 1009;

/**
 * A transport over `ws` (through `isomorphic-ws`) for Node: headers, HTTP Basic auth (also from
 * `user:pass@` in the URL), TLS options, a proxy `agent`, `maxPayload` and native ping frames.
 *
 * @example
 * const client = createClient({ url: 'wss://engine:6789/ws/v1', transport: nodeTransport({ ca }) });
 */
export function nodeTransport(options: NodeTransportOptions = {}): TransportFactory {
  assertValidOptions(options);
  const settings = { ...options };
  return (url, handlers) => openNodeTransport(url, handlers, settings);
}

function openNodeTransport(
  url: string,
  handlers: TransportHandlers,
  options: NodeTransportOptions,
): Transport {
  const where = maskUserinfo(url);
  // `ws`, Node and custom agents may quote what they were given: every error goes through this.
  const redactor = createRedactor([
    ...secretsOfUrl(url),
    ...(options.auth ? secretsOfCredentials(options.auth) : []),
  ]);
  const maxPayload = options.maxPayload ?? NODE_TRANSPORT_DEFAULTS.maxPayload;
  let socket: WebSocket | undefined;
  const [isEnded, end, fail, failToCreate, notOpen, close] = transportLifecycle(
    {
      onClose: (info) => handlers.onClose(info),
      onError: (error) => handlers.onError(redactor.error(error)),
    },
    () => socket,
  );
  let payloadExceeded = false;
  let refusedWith: string | undefined;
  /** The HTTP status of a refused upgrade: the client tells refused credentials from the rest. */
  let refusedStatus: number | undefined;

  try {
    socket = createSocket(url, options, maxPayload);
  } catch (error) {
    // `ws` throws only for settings that cannot work (a bad URL, port or protocol), and
    // `createSocket` for malformed credentials: the client is told not to retry them.
    failToCreate(where, error);
    return {
      send() {
        throw new ConnectionClosedError({
          message: `cannot send: no connection to ${where}`,
          code: ABNORMAL_CLOSURE,
          reason: '',
        });
      },
      close,
    };
  }

  // The TCP socket under the WebSocket, from the public `upgrade` event (`response.socket`): the
  // frames sent in one turn of the event loop after the first are corked and leave in one write.
  const batch = new TickBatch();
  socket.on('upgrade', (response: IncomingMessage) => batch.attach(response.socket));
  socket.on('open', () => {
    if (!isEnded()) handlers.onOpen();
  });
  socket.on('message', (data, isBinary) => {
    if (isEnded()) return;
    handlers.onMessage(isBinary ? toUint8Array(data) : toText(data));
  });
  socket.on('pong', () => {
    if (!isEnded()) handlers.onPong?.();
  });
  socket.on('unexpected-response', (_request: ClientRequest, response: IncomingMessage) => {
    refusedStatus = response.statusCode;
    refusedWith = `HTTP ${response.statusCode ?? '?'}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
    response.resume();
    socket.terminate();
  });
  socket.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      payloadExceeded = true;
      fail(
        new ProtocolError(
          `received a frame larger than maxPayload (${maxPayload} bytes) from ${where}, so the connection was closed; ` +
            'raise nodeTransport({ maxPayload }) if the engine legitimately sends frames this large',
          `<a frame over ${maxPayload} bytes>`,
          { cause: error },
        ),
      );
    } else if (refusedWith !== undefined) {
      const hint = /^HTTP 40[13]\b/.test(refusedWith)
        ? '; check the credentials (nodeTransport({ auth }) or user:pass@ in the URL)'
        : '; check the URL and that it points at the engine API (/ws/v1)';
      fail(
        new ConnmixError(`${where} refused the WebSocket upgrade with ${refusedWith}${hint}`, {
          cause: error,
        }),
      );
    } else {
      fail(new ConnmixError(`WebSocket error on ${where}: ${error.message}`, { cause: error }));
    }
  });
  socket.on('close', (code, reason) => {
    if (payloadExceeded) end({ code: MESSAGE_TOO_BIG, reason: 'frame exceeds maxPayload' });
    else if (refusedStatus !== undefined)
      end({ code, reason: reason.toString('utf8'), httpStatus: refusedStatus });
    else end({ code, reason: reason.toString('utf8') });
  });

  const assertOpen = (what: string) => {
    if (isEnded() || socket.readyState !== WebSocket.OPEN) {
      const state = socket.readyState === WebSocket.CONNECTING ? 'not open yet' : 'closing or closed';
      throw notOpen(`cannot ${what}: the connection to ${where} is ${state}`);
    }
  };

  return {
    send(frame) {
      assertOpen('send');
      batch.hold();
      socket.send(frame);
    },
    ping() {
      assertOpen('ping');
      socket.ping();
    },
    close,
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  };
}

function createSocket(url: string, options: NodeTransportOptions, maxPayload: number): WebSocket {
  const { url: bareUrl, auth: urlAuth } = splitUrlCredentials(url);
  const auth = options.auth ?? urlAuth;
  const headers: Record<string, string> = { ...options.headers };
  if (auth) {
    const issue = basicAuthIssue(auth);
    if (issue) throw new ValidationError('WebSocket URL', [{ path: ['url'], message: issue }]);
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers['Authorization'] = basicAuthorization(auth);
  }
  return new WebSocket(bareUrl, options.protocols ?? [], {
    headers,
    maxPayload,
    handshakeTimeout: options.handshakeTimeoutMs ?? NODE_TRANSPORT_DEFAULTS.handshakeTimeoutMs,
    rejectUnauthorized: options.rejectUnauthorized ?? NODE_TRANSPORT_DEFAULTS.rejectUnauthorized,
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.cert !== undefined && { cert: options.cert }),
    ...(options.key !== undefined && { key: options.key }),
    ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
    ...(options.agent !== undefined && { agent: options.agent }),
  });
}

/** A binary frame as a plain `Uint8Array` (not a `Buffer`), as the transport contract says. */
function toUint8Array(data: WebSocket.RawData): Uint8Array {
  const buffer = toBuffer(data);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function toText(data: WebSocket.RawData): string {
  return toBuffer(data).toString('utf8');
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

function assertValidOptions(options: NodeTransportOptions): void {
  const issues: ValidationIssue[] = [];
  const { maxPayload, handshakeTimeoutMs, auth, headers } = options;
  if (maxPayload !== undefined && !(Number.isSafeInteger(maxPayload) && maxPayload > 0)) {
    issues.push({ path: ['maxPayload'], message: 'maxPayload is a positive whole number of bytes' });
  }
  if (handshakeTimeoutMs !== undefined && !(Number.isFinite(handshakeTimeoutMs) && handshakeTimeoutMs > 0)) {
    issues.push({
      path: ['handshakeTimeoutMs'],
      message: 'handshakeTimeoutMs is a positive number of milliseconds',
    });
  }
  if (auth !== undefined) {
    const issue = basicAuthIssue(auth);
    if (issue) issues.push({ path: ['auth'], message: issue });
  }
  if (headers !== undefined) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string')
        issues.push({ path: ['headers', name], message: 'a header value is a string' });
    }
  }
  if (issues.length > 0) throw new ValidationError('nodeTransport options', issues);
}
