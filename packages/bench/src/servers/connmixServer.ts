// A minimal connmix engine for the benchmarks, run in its own process: every request is answered
// at once with a successful delivery, and a `mesh.publish` to the channel `bench.push` with a
// count as its data is answered, then followed by that many queue events, as fast as the socket
// takes them. Prints nothing; tells its parent the port it listens on.
import { WebSocketServer, type WebSocket } from 'ws';
import { QUEUE_EVENT } from '../frames.ts';
import { announce } from './announce.ts';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });

server.on('connection', (socket) => {
  socket.on('message', (raw) => {
    const text = raw.toString();
    if (text === 'ping') {
      socket.send('pong');
      return;
    }
    const request = JSON.parse(text) as { m: string; p: Array<{ c?: string; d?: string }>; i: number };
    socket.send(`{"E":null,"r":{"s":true,"f":0,"t":1},"i":${request.i}}`);
    const [params] = request.p;
    if (request.m === 'mesh.publish' && params?.c === 'bench.push') void push(socket, Number(params.d));
  });
});

/** Sends `count` queue events in batches, each batch once the previous one left the process. */
async function push(socket: WebSocket, count: number): Promise<void> {
  const batch = 512;
  for (let sent = 0; sent < count;) {
    const last = Math.min(count, sent + batch);
    for (; sent < last - 1; sent += 1) socket.send(QUEUE_EVENT);
    await new Promise<void>((resolve) => socket.send(QUEUE_EVENT, () => resolve()));
    sent += 1;
  }
}

server.on('listening', () => announce(server.address()));
