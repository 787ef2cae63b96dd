// A minimal engine for the soak: answers queue.pop and mesh.publish and pushes queue events, and
// keeps no log, so the heap the soak measures is the client's, not a record of its traffic.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SoakEngine {
  readonly url: string;
  /** Requests answered so far. */
  readonly answered: number;
  /** Resolves with the first socket that pops a topic. */
  readonly consumer: Promise<SoakSocket>;
  close(): Promise<void>;
}

export interface SoakSocket {
  /** Pushes queue events `{ seq }` for seq in [from, to) to topic `foo`; resolves once written. */
  push(from: number, to: number): Promise<void>;
}

export async function startSoakEngine(): Promise<SoakEngine> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  let answered = 0;
  let found!: (socket: SoakSocket) => void;
  const consumer = new Promise<SoakSocket>((resolve) => (found = resolve));
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      const { m, i } = JSON.parse(String(data)) as { m: string; i: number };
      const result = m === 'mesh.publish' || m === 'mesh.send' ? { s: true, f: 0, t: 1 } : { s: true };
      ws.send(`{"E":null,"r":${JSON.stringify(result)},"i":${i}}`);
      answered++;
      if (m === 'queue.pop') found({ push: (from, to) => push(ws, from, to) });
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws/v1`,
    get answered() {
      return answered;
    },
    consumer,
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
