import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { EndUserConnection, type EndUserHost, type EndUserInit } from './endUser.ts';
import { toBuffer } from './rawData.ts';

/** A connection over a WebSocket: frames in and out. */
export function webSocketEndUser(ws: WebSocket, init: EndUserInit, host: EndUserHost): EndUserConnection {
  const conn = new EndUserConnection(
    {
      get isOpen() {
        return ws.readyState === ws.OPEN;
      },
      write: (data) => ws.send(data, { binary: typeof data !== 'string' }),
      close: (code, reason) => ws.close(code, reason),
      terminate: () => ws.terminate(),
    },
    init,
    host,
  );
  ws.on('message', (data, isBinary) => {
    const buffer = toBuffer(data);
    conn.received(
      isBinary
        ? { type: 'binary', data: new Uint8Array(buffer) }
        : { type: 'text', data: buffer.toString('utf8') },
    );
  });
  ws.on('ping', () => conn.touched());
  ws.on('pong', () => conn.touched());
  ws.on('error', () => undefined); // e.g. a frame over maxPayload: ws closes with 1009
  ws.once('close', (code, reason) => conn.ended(code, reason.toString('utf8')));
  return conn;
}

/**
 * A connection over raw TCP, for an entry that parses the bytes itself. A close code has no
 * meaning on TCP: closing ends the socket, and the entry sees 1000 (ended by either side) or
 * 1006 (an error).
 */
export function tcpEndUser(
  socket: Socket,
  init: Omit<EndUserInit, 'headers' | 'path'>,
  host: EndUserHost,
): EndUserConnection {
  const headers: IncomingHttpHeaders = {};
  let failed = false;
  const conn = new EndUserConnection(
    {
      get isOpen() {
        return !socket.destroyed && socket.writable;
      },
      write: (data) => socket.write(data),
      // what was written still goes out; a peer that keeps its side open is not waited for
      close: () => socket.end(() => socket.destroy()),
      terminate: () => socket.destroy(),
    },
    { ...init, headers, path: '' },
    host,
  );
  socket.on('data', (chunk: Buffer) => conn.receivedBytes(new Uint8Array(chunk)));
  socket.on('error', () => (failed = true));
  socket.on('end', () => socket.end());
  socket.once('close', () => conn.ended(failed ? 1006 : 1000, ''));
  return conn;
}
