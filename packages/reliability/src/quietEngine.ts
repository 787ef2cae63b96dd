// A minimal engine for the long scenarios: answers every request with success, pushes queue
// events and drops sockets on demand, and keeps no log of its traffic, so the heap a scenario
// measures is the client's own.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface QuietEngine {
  readonly url: string;
  /** `queue.pop` requests answered so far. */
  readonly pops: number;
  /** Resolves with the next socket that pops a topic (one that popped already counts once). */
  nextConsumer(): Promise<QuietSocket>;
  close(): Promise<void>;
}

export interface QuietSocket {
  /** Pushes queue events `{ seq }` for seq in [from, to) to topic `foo`; resolves once written. */
  push(from: number, to: number): Promise<void>;
  /** Destroys the socket with no close frame (1006 on the client). */
  terminate(): void;
}

export async function startQuietEngine(): Promise<QuietEngine> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  let pops = 0;
  const popped: QuietSocket[] = [];
  const waiting: Array<(socket: QuietSocket) => void> = [];
  wss.on('connection', (ws: WebSocket) => {
    const socket: QuietSocket = { push: (from, to) => push(ws, from, to), terminate: () => ws.terminate() };
    ws.on('message', (data) => {
      const { m, i } = JSON.parse(String(data)) as { m: string; i: number };
      const result = m === 'mesh.publish' || m === 'mesh.send' ? '{"s":true,"f":0,"t":1}' : '{"s":true}';
      ws.send(
        m === 'server.ping'
          ? `{"E":null,"r":{"s":"server.pong"},"i":${i}}`
          : `{"E":null,"r":${result},"i":${i}}`,
      );
      if (m !== 'queue.pop') return;
      pops++;
      const waiter = waiting.shift();
      if (waiter) waiter(socket);
      else popped.push(socket);
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws/v1`,
    get pops() {
      return pops;
    },
    nextConsumer: () => {
      const socket = popped.shift();
      return socket ? Promise.resolve(socket) : new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function push(ws: WebSocket, from: number, to: number): Promise<void> {
  return new Promise((resolve, reject) => {
    for (let seq = from; seq < to; seq++) {
      const frame = `{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","d":{"seq":${seq}}},"id":null}`;
      if (seq < to - 1) ws.send(frame);
      else ws.send(frame, (error) => (error ? reject(error) : resolve()));
    }
    if (from >= to) resolve();
  });
}
