// socket.io's minimal responder for the benchmarks: `publish` with an acknowledgement.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announce } from './announce.ts';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('publish', (_channel: string, _data: string, ack: (result: unknown) => void) =>
    ack({ success: 1, fail: 0, total: 1 }),
  );
});
http.listen(0, '127.0.0.1', () => announce(http.address()));
