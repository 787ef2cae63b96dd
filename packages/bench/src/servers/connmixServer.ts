// A minimal connmix engine for the benchmarks, run in its own process. It speaks just enough
// WebSocket by hand (RFC 6455: the upgrade, masked client frames, unmasked server frames) to
// stay far faster than any client it serves: the answers to one read leave in one write, and
// queue events leave 512 frames to a write. Every request is answered at once with a successful
// delivery; a `mesh.publish` to the channel `bench.push` with a count as its data is answered,
// then followed by that many queue events, as fast as the socket takes them.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { QUEUE_EVENT } from '../frames.ts';
import { announce } from './announce.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const BATCH = 512;

/** One unmasked text frame (or another opcode) from the server. */
function frame(payload: Buffer, opcode = 0x1): Buffer {
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}

const EVENTS = Buffer.concat(Array.from({ length: BATCH }, () => frame(Buffer.from(QUEUE_EVENT))));
const ONE_EVENT = frame(Buffer.from(QUEUE_EVENT));

const server = createServer((_request, response) => response.writeHead(426).end());
server.on('upgrade', (request, socket: Duplex) => {
  const key = request.headers['sec-websocket-key'];
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  serve(socket);
});

function serve(socket: Duplex): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    const pushes: number[] = [];
    for (;;) {
      const parsed = readFrame(pending);
      if (!parsed) break;
      pending = pending.subarray(parsed.size);
      if (parsed.opcode === 0x8) {
        socket.end(frame(Buffer.alloc(0), 0x8));
        return;
      }
      if (parsed.opcode === 0x9) out.push(frame(parsed.payload, 0xa));
      if (parsed.opcode !== 0x1) continue;
      const text = parsed.payload.toString();
      if (text === 'ping') {
        out.push(frame(Buffer.from('pong')));
        continue;
      }
      const request = JSON.parse(text) as { m: string; p: Array<{ c?: string; d?: string }>; i: number };
      out.push(frame(Buffer.from(`{"E":null,"r":{"s":true,"f":0,"t":1},"i":${request.i}}`)));
      const [params] = request.p;
      if (request.m === 'mesh.publish' && params?.c === 'bench.push') pushes.push(Number(params.d));
    }
    if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    for (const count of pushes) void push(socket, count);
  });
  socket.on('error', () => socket.destroy());
}

/** A complete client frame at the start of `bytes`, unmasked; undefined until it has all arrived. */
function readFrame(bytes: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = bytes[0]! & 0x0f;
  const masked = (bytes[1]! & 0x80) !== 0;
  let length = bytes[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  const maskAt = offset;
  if (masked) offset += 4;
  if (bytes.length < offset + length) return undefined;
  const payload = Buffer.from(bytes.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < length; i += 1) payload[i]! ^= bytes[maskAt + (i % 4)]!;
  return { opcode, payload, size: offset + length };
}

/** Writes `count` queue events, a batch per write, waiting for `drain` when the socket is full. */
async function push(socket: Duplex, count: number): Promise<void> {
  let left = count;
  while (left >= BATCH) {
    left -= BATCH;
    if (!socket.write(EVENTS)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  for (; left > 0; left -= 1) socket.write(ONE_EVENT);
}

server.listen(0, '127.0.0.1', () => announce(server.address()));
