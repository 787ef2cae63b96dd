import { describe, expect, test } from 'vitest';
import { logSink, luaRuns, script } from './luaSupport.ts';
import { connect, joinUser } from '@connmix/test-support/wsClients';

const lua = luaRuns();

describe('a v1.0.3 websocket-era Lua entry', () => {
  test('is detected as v1.0.3-websocket and serves a WebSocket protocol port', async () => {
    const sink = logSink();
    const entry = await lua.load(script('chat.v103.lua'), { log: sink.log });
    expect(entry.era).toBe('v1.0.3-websocket');
    expect(entry.protocol).toBe('websocket');
  });

  test('login across two engines: each connection waits in wait_context_value until a worker sets uid', async () => {
    const sink = logSink();
    const entry = await lua.load(script('chat.v103.lua'), { log: sink.log });
    const mesh = await lua.start({ engines: 2, entry, dialect: 'v1.0.3' });
    const workers = await Promise.all(mesh.engines.map((engine) => connect(engine.apiUrl)));
    for (const worker of workers) await worker.call('queue.pop', { t: ['auth', 'foo', 'events'] });
    const users = await Promise.all(mesh.engines.map((engine) => joinUser(engine, 'chat?room=1')));
    for (const [i, worker] of workers.entries()) {
      const handshake = await worker.event();
      expect(handshake.p).toMatchObject({
        n: Number(mesh.engines[i]!.node),
        c: users[i]!.clientId,
        t: 'events',
      });
      expect(handshake.p['d']).toEqual({ event: 'handshake', path: '/chat?room=1' });
    }
    for (const [i, user] of users.entries()) {
      user.send(JSON.stringify({ op: 'auth', token: `t${i}` }));
      user.send(JSON.stringify({ op: 'chat', text: 'held until login' }));
      expect((await workers[i]!.event()).p['d']).toEqual({ token: `t${i}` });
    }
    // the chat frame is held behind the auth frame's wait: the worker gets nothing yet
    expect(await workers[0]!.frames.silentFor(100)).toBe(true);
    for (const [i, user] of users.entries()) {
      // a worker's send reaches the user while its hook waits
      await workers[i]!.call('mesh.send', { c: user.clientId, d: 'answer from worker' });
      await workers[i]!.call('conn.call', { c: user.clientId, f: 'set_context_value', a: ['uid', 100 + i] });
    }
    for (const [i, user] of users.entries()) {
      const frames = [await user.frames.next(), await user.frames.next()];
      expect(frames).toEqual(['answer from worker', `{"logged_in":"${100 + i}"}`]);
      const held = await workers[i]!.event();
      expect(held.p['d']).toEqual({
        uid: 100 + i,
        ctx: { uid: 100 + i },
        frame: '{"op":"chat","text":"held until login"}',
      });
    }
    expect(sink.records).toEqual([]);
  });

  test('rooms: subscribe and set_context_value in Lua, mix.mesh.publish reaches subscribers on every engine', async () => {
    const entry = await lua.load(script('chat.v103.lua'), { log: logSink().log });
    const mesh = await lua.start({ engines: 2, entry });
    const alice = await joinUser(mesh.engines[0]);
    const bob = await joinUser(mesh.engines[1]!);
    for (const user of [alice, bob]) {
      user.send(JSON.stringify({ op: 'join', room_id: '7' }));
      expect(await user.frames.next()).toBe('{"status":"success"}');
    }
    expect(mesh.engines[1]!.client(bob.clientId)?.channels()).toEqual(['room:7']);
    expect(mesh.engines[1]!.client(bob.clientId)?.contextValue('current_room_id')).toBe('7');
    alice.send(JSON.stringify({ op: 'send', msg: 'hi all' }));
    const published = JSON.stringify({ client_id: alice.clientId, msg: 'hi all' });
    expect(JSON.parse(String(await bob.frames.next()))).toEqual(JSON.parse(published));
    const [first, second] = [await alice.frames.next(), await alice.frames.next()].map((f) =>
      JSON.parse(String(f)),
    );
    expect([first, second]).toContainEqual(JSON.parse(published));
    expect([first, second]).toContainEqual({ published: 2, failed: 0 });
    // moving rooms unsubscribes from the old one
    bob.send(JSON.stringify({ op: 'join', room_id: '8' }));
    await bob.frames.next();
    expect(mesh.engines[1]!.client(bob.clientId)?.channels()).toEqual(['room:8']);
  });

  test('binary frames reach the script as bytes and go back unchanged', async () => {
    const entry = await lua.load(script('chat.v103.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await joinUser(mesh.engines[0]);
    const bytes = Buffer.from([0, 1, 0xfe, 0xff, 0x80, 0x41]);
    user.ws.send(bytes);
    expect(await user.frames.next()).toEqual(bytes);
  });

  test('on_close gets the client id and an error text; the push reaches the worker', async () => {
    const entry = await lua.load(script('chat.v103.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['events']);
    const user = await joinUser(mesh.engines[0]);
    await worker.event();
    user.ws.close(4000, 'bye');
    expect((await worker.event()).p['d']).toEqual({
      event: 'close',
      client_id: user.clientId,
      err: 'websocket: close 4000: bye',
    });
  });
});
