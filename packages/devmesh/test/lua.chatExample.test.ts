// The chat example's entry.lua, run on the dev mesh through the example's login flow: the
// worker here does what the example's worker does (set uid, subscribe to the lobby, answer).
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { logSink, luaRuns } from './luaSupport.ts';
import { connect, joinUser, type Client } from '@connmix/test-support/wsClients';

const CHAT_ENTRY = fileURLToPath(new URL('../../../examples/chat/entry.lua', import.meta.url));

const lua = luaRuns();

type Pushed = { t: string; c: string; d: Record<string, unknown> };
/** What the chat's worker sets `uid` to when it refuses a login (`LOGIN_REFUSED` in examples/chat/src/protocol.ts). */
const LOGIN_REFUSED = '\u0000refused';

const next = async (worker: Client): Promise<Pushed> => (await worker.event()).p as Pushed;

describe('examples/chat/entry.lua', () => {
  test('login flow: join, a login held until the worker sets uid, a lobby message, a leave', async () => {
    const sink = logSink();
    const entry = await lua.load(CHAT_ENTRY, { log: sink.log });
    expect(entry.era).toBe('v1.0.3-websocket');
    const mesh = await lua.start({ engines: 2, entry });
    const worker = await connect(mesh.engines[1]!.apiUrl);
    await worker.call('queue.pop', ['chat', 'activity']);
    const ada = await joinUser(mesh.engines[1]!);
    expect(await next(worker)).toEqual({
      t: 'activity',
      c: ada.clientId,
      d: { event: 'join', clientId: ada.clientId },
    });

    ada.send(JSON.stringify({ op: 'login', name: 'ada' }));
    ada.send(JSON.stringify({ op: 'say', text: 'hello lobby' }));
    expect(await next(worker)).toMatchObject({
      t: 'chat',
      d: { ctx: [], msg: '{"op":"login","name":"ada"}' },
    });
    // the say frame is held behind the login until the worker answers it
    expect(await worker.frames.silentFor(100)).toBe(true);
    await worker.call('conn.call', [{ c: ada.clientId, f: 'set_context_value', a: ['uid', 'ada'] }]);
    await worker.call('conn.call', [{ c: ada.clientId, f: 'subscribe', a: ['lobby'] }]);
    await worker.call('mesh.send', [
      { c: ada.clientId, d: JSON.stringify({ type: 'welcome', name: 'ada', room: 'lobby' }) },
    ]);
    expect(JSON.parse(String(await ada.frames.next()))).toEqual({
      type: 'welcome',
      name: 'ada',
      room: 'lobby',
    });
    expect(await next(worker)).toMatchObject({
      t: 'chat',
      d: { ctx: { uid: 'ada' }, msg: '{"op":"say","text":"hello lobby"}' },
    });
    await worker.call('mesh.publish', [{ c: 'lobby', d: 'said: hello lobby' }]);
    expect(await ada.frames.next()).toBe('said: hello lobby');

    await ada.close();
    expect(await next(worker)).toEqual({
      t: 'activity',
      c: ada.clientId,
      d: { event: 'leave', clientId: ada.clientId, uid: 'ada' },
    });
    expect(sink.records).toEqual([]);
  });

  test("a refused login (uid set to the worker's LOGIN_REFUSED) releases the connection and is forgotten; binary frames are answered with an error", async () => {
    const entry = await lua.load(CHAT_ENTRY, { log: logSink().log });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['chat']);
    const user = await joinUser(mesh.engines[0]);
    user.send(JSON.stringify({ op: 'login', name: 'eve', password: 'wrong' }));
    user.send(JSON.stringify({ op: 'say', text: 'x' }));
    await next(worker);
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context_value', a: ['uid', LOGIN_REFUSED] }]);
    // The refusal released the say, and the entry dropped it from the context before the say went out.
    expect(await next(worker)).toMatchObject({ d: { ctx: [], msg: '{"op":"say","text":"x"}' } });
    expect(mesh.engines[0].client(user.clientId)?.context()).toEqual({});
    // So the next login is held again, until the worker answers it.
    user.send(JSON.stringify({ op: 'login', name: 'eve', password: 'demo' }));
    user.send(JSON.stringify({ op: 'say', text: 'y' }));
    expect(await next(worker)).toMatchObject({
      d: { ctx: [], msg: '{"op":"login","name":"eve","password":"demo"}' },
    });
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context_value', a: ['uid', 'eve'] }]);
    expect(await next(worker)).toMatchObject({ d: { ctx: { uid: 'eve' }, msg: '{"op":"say","text":"y"}' } });
    user.ws.send(Buffer.from([1]));
    expect(JSON.parse(String(await user.frames.next()))).toEqual({
      type: 'error',
      text: 'send JSON text frames',
    });
  });

  test('a keepalive is answered by the entry and never reaches the worker', async () => {
    const entry = await lua.load(CHAT_ENTRY, { log: logSink().log });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['chat']);
    const user = await joinUser(mesh.engines[0]);
    user.send(JSON.stringify({ op: 'ping' }));
    expect(await user.frames.next()).toBe('{"type":"pong"}');
    // The queue keeps order: the first chat message the worker gets is the frame after the ping.
    user.send(JSON.stringify({ op: 'say', text: 'after the ping' }));
    expect(await next(worker)).toMatchObject({ d: { msg: '{"op":"say","text":"after the ping"}' } });
  });
});
