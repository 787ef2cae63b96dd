import { describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { logSink, luaRuns, script } from './luaSupport.ts';
import { connect, joinUser, until } from '@connmix/test-support/wsClients';

const lua = luaRuns();

/** The laravel-chat shaped script, on the path its option names. */
async function start(engines = 1) {
  const sink = logSink();
  const entry = await lua.load(script('laravel-chat.v102.lua'), {
    log: sink.log,
    serverOptions: { path: '/chat' },
  });
  const mesh = await lua.start({ engines, entry });
  const worker = await connect(mesh.engines[0].apiUrl);
  await worker.call('queue.pop', ['chat', 'conn']);
  return { sink, entry, mesh, worker };
}

describe('a v1.0.2 Lua entry (protocol_input over raw bytes, protocols/websocket in Lua)', () => {
  test('is detected as v1.0.2; the mesh serves raw TCP and the Lua module does the WebSocket handshake', async () => {
    const { entry, mesh, worker, sink } = await start();
    expect(entry.era).toBe('v1.0.2');
    expect(entry.protocol).toBe('socket');
    const user = await joinUser(mesh.engines[0], 'chat?token=abc');
    const connectEvent = await worker.event();
    expect(connectEvent.p).toMatchObject({
      c: user.clientId,
      t: 'conn',
      d: { event: 'connect', client_id: user.clientId },
    });
    const handshake = await worker.event();
    const headers = (handshake.p['d'] as { headers: Record<string, string> }).headers;
    // the module keeps header names as the client wrote them, and the request line's parts
    expect(headers).toMatchObject({
      Method: 'GET',
      RequestUri: '/chat?token=abc',
      ServerProtocol: 'HTTP/1.1',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
    });
    expect(mesh.engines[0].client(user.clientId)?.contextValue('__handshake')).toBe(true);
    expect(sink.records).toEqual([]);
  });

  test('the path check is a Lua pattern at position 1: /chatroom passes, /other is refused', async () => {
    const { mesh, sink } = await start();
    const room = await joinUser(mesh.engines[0], 'chatroom');
    expect(room.ws.readyState).toBe(WebSocket.OPEN);
    const refused = new WebSocket(`${mesh.engines[0].protocolUrl}other`);
    const outcome = await new Promise<string>((resolve) => {
      refused.once('open', () => resolve('open'));
      refused.once('error', (error) => resolve(error.message));
    });
    expect(outcome).not.toBe('open');
    expect(sink.records).toContainEqual({
      level: 'debug',
      message: 'websocket handshake refused: uri does not allow',
      node: '1',
    });
  });

  test('login: the auth frame carries the headers, the connection waits until uid is set; mesh.send goes through protocol_encode', async () => {
    const { mesh, worker } = await start(2);
    const user = await joinUser(mesh.engines[0], 'chat');
    await worker.event(); // connect
    await worker.event(); // handshake
    user.send(JSON.stringify({ op: 'auth', token: 'secret' }));
    user.send(JSON.stringify({ op: 'say', text: 'after login' }));
    const auth = await worker.event();
    expect(auth.p['d']).toMatchObject({
      event: 'message',
      frame: { data: '{"op":"auth","token":"secret"}', type: 'text', finish: true },
      headers: { RequestUri: '/chat' },
    });
    expect(await worker.frames.silentFor(100)).toBe(true);
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context_value', a: ['uid', 7] }]);
    const said = await worker.event();
    expect(said.p['d']).toEqual({
      event: 'message',
      uid: 7,
      frame: { data: '{"op":"say","text":"after login"}', type: 'text', finish: true },
    });
    // from the other engine's API server: the mesh routes it, the Lua module frames it
    const other = await connect(mesh.engines[1]!.apiUrl);
    const sent = await other.call('mesh.send', [{ c: user.clientId, d: 'welcome 7' }]);
    expect(sent).toMatchObject({ E: null, r: { s: true, f: 0, t: 1 } });
    expect(await user.frames.next()).toBe('welcome 7');
  });

  test('pings reach the script as frames of type ping (the module sends no pong); binary frames are skipped', async () => {
    const { mesh, worker } = await start();
    const user = await joinUser(mesh.engines[0], 'chat');
    await worker.event();
    await worker.event();
    user.ws.ping('p1');
    expect(await user.frames.next()).toBe('pong:p1');
    user.ws.send(Buffer.from([1, 2, 3]));
    user.send(JSON.stringify({ op: 'x' }));
    expect((await worker.event()).p['d']).toMatchObject({ frame: { data: '{"op":"x"}' } });
  });

  test('a close frame closes the connection (decode) and on_close pushes with the context', async () => {
    const { mesh, worker } = await start();
    const user = await joinUser(mesh.engines[0], 'chat');
    await worker.event();
    await worker.event();
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context_value', a: ['uid', 9] }]);
    user.ws.close(1000, 'done');
    expect((await worker.event()).p['d']).toMatchObject({ event: 'close', uid: 9 });
    await until(() => mesh.engines[0].stats().connections === 0);
    expect(mesh.engines[0].stats().counters.hookErrors).toBe(0);
  });
});
