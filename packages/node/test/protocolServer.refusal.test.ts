// The scripted engine the end-to-end suites run against must survive a client that resets its
// socket after an upgrade is refused: `nodeTransport` terminates a refused socket at once, and
// when the reset reaches the server before its side has closed, the server's socket sees
// ECONNRESET. Node takes its own 'error' listener off a socket before it hands it to 'upgrade',
// so without one of the server's own that error was thrown as an uncaught exception, failing
// whichever test was running ("retries refused credentials every maxDelayMs", now and then).
import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startProtocolServer } from '@connmix/test-support/protocolServer';

const UPGRADE_REQUEST = [
  'GET /ws/v1 HTTP/1.1',
  'Host: 127.0.0.1',
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  `Authorization: Basic ${Buffer.from('worker:wrong').toString('base64')}`,
  '',
  '',
].join('\r\n');

describe('the scripted engine, refusing an upgrade', () => {
  it('survives a client that resets the socket once it has read the 401', async () => {
    const engine = await startProtocolServer({ auth: { username: 'worker', password: 'right' } });
    const { port } = new URL(engine.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(UPGRADE_REQUEST);
    const [answer] = (await once(socket, 'data')) as [Buffer];
    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 401 /);
    // A reset, not a FIN: what the server reads next is ECONNRESET.
    socket.resetAndDestroy();
    await once(socket, 'close');
    // Resolves once the server's side of the refused socket has closed, after the reset.
    await engine.close();
    expect(engine.refused).toEqual([`Basic ${Buffer.from('worker:wrong').toString('base64')}`]);
  });
});
