import { afterEach, describe, expect, test, vi } from 'vitest';
import { startDevMesh, type DevMesh, type Entry } from '../src/index.ts';
import { closeAllClients, connect, joinUser, until } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

/** The login flow of the connmix docs: the first frame asks to log in; nothing else is handled until a worker sets uid. */
const loginEntry: Entry = {
  async onMessage({ conn, message, push }) {
    if (message.type !== 'text') return conn.close(1003, 'text only');
    const frame = JSON.parse(message.data) as { op: string; token?: string };
    if (frame.op === 'auth') return push('auth', { token: frame.token });
    const uid = await conn.waitContextValue('uid');
    await push('foo', { uid, frame: message.data });
  },
};

describe('entry hooks', () => {
  test('login flow: messages wait in waitContextValue until a worker sets the key, then go on in order', async () => {
    mesh = await startDevMesh({ entry: loginEntry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['auth', 'foo']);
    const user = await joinUser(mesh.engines[0]);
    user.send(JSON.stringify({ op: 'chat', text: 'too early' }));
    user.send(JSON.stringify({ op: 'auth', token: 'secret' }));
    user.send(JSON.stringify({ op: 'chat', text: 'second' }));
    // the first chat frame holds the connection: the auth frame behind it is not handled yet
    expect(await worker.frames.silentFor(100)).toBe(true);
    expect(mesh.engines[0].stats().topics).toEqual({
      auth: { depth: 0, consumers: 1 },
      foo: { depth: 0, consumers: 1 },
    });
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context_value', a: ['uid', 'u-42'] }]);
    const events = [await worker.event(), await worker.event(), await worker.event()].map((e) => [
      e.p['t'],
      e.p['d'],
    ]);
    expect(events).toEqual([
      ['foo', { uid: 'u-42', frame: '{"op":"chat","text":"too early"}' }],
      ['auth', { token: 'secret' }],
      ['foo', { uid: 'u-42', frame: '{"op":"chat","text":"second"}' }],
    ]);
  });

  test('a connection closing while it waits releases the wait without a hook error', async () => {
    mesh = await startDevMesh({ entry: loginEntry });
    const user = await joinUser(mesh.engines[0]);
    user.send(JSON.stringify({ op: 'chat' }));
    await user.close();
    await until(() => mesh!.engines[0].stats().connections === 0);
    expect(mesh.engines[0].stats().counters.hookErrors).toBe(0);
  });

  test('onHandshake, onMessage and onClose see the connection; hooks can send, subscribe and close', async () => {
    const seen: string[] = [];
    mesh = await startDevMesh({
      entry: {
        onHandshake({ conn }) {
          seen.push(`handshake ${conn.path} ${String(conn.headers['x-app'])}`);
          conn.subscribe('all');
          conn.send(`welcome ${conn.clientId}`);
        },
        async onMessage({ conn, message, push }) {
          if (message.type === 'binary') return conn.send(message.data);
          if (message.data === 'bye') return conn.close(4000, 'asked to');
          conn.setContextValue('last', message.data);
          await push('events', { event: 'message', ctx: conn.context(), node: conn.node });
        },
        async onClose({ conn, code, push }) {
          seen.push(`close ${code}`);
          await push('events', { event: 'close', uid: conn.contextValue('last') });
        },
      },
    });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['events']);
    const user = await joinUser(mesh.engines[0], 'chat?room=1');
    expect(await user.frames.next()).toBe(`welcome ${user.clientId}`);
    expect(mesh.engines[0].client(user.clientId)?.channels()).toEqual(['all']);
    user.send('hi');
    expect((await worker.event()).p['d']).toEqual({ event: 'message', ctx: { last: 'hi' }, node: '1' });
    user.ws.send(Buffer.from([1, 2, 3]));
    expect([...((await user.frames.next()) as Buffer)]).toEqual([1, 2, 3]);
    user.send('bye');
    expect(await user.closed).toEqual({ code: 4000, reason: 'asked to' });
    expect((await worker.event()).p['d']).toEqual({ event: 'close', uid: 'hi' });
    expect(seen).toEqual(['handshake /chat?room=1 undefined', 'close 4000']);
  });

  test('a hook that throws closes only its connection with 1011 and is reported', async () => {
    const onError = vi.fn();
    mesh = await startDevMesh({
      entry: {
        onMessage({ message }) {
          if (message.type === 'text' && message.data === 'boom') throw new Error('script error');
        },
        onError,
      },
    });
    const bad = await joinUser(mesh.engines[0]);
    const good = await joinUser(mesh.engines[0]);
    bad.send('boom');
    expect(await bad.closed).toEqual({ code: 1011, reason: 'entry onMessage failed' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ hook: 'onMessage', error: new Error('script error') });
    expect(mesh.engines[0].stats().counters.hookErrors).toBe(1);
    expect(good.ws.readyState).toBe(good.ws.OPEN);
  });

  test('waitContextValue resolves at once for a key already set, and can time out', async () => {
    const results: unknown[] = [];
    mesh = await startDevMesh({
      entry: {
        async onMessage({ conn }) {
          conn.setContextValue('a', 1);
          results.push(await conn.waitContextValue('a'));
          results.push(await conn.waitContextValue('b', { timeoutMs: 20 }).catch((e: Error) => e.message));
        },
      },
    });
    const user = await connect(mesh.engines[0].protocolUrl);
    user.send('go');
    await until(() => results.length === 2);
    expect(results).toEqual([1, 'context value b was not set within 20 ms']);
  });

  test('the default entry pushes { ctx, msg } to foo; binary frames as base64', async () => {
    mesh = await startDevMesh();
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['foo']);
    const user = await connect(mesh.engines[0].protocolUrl);
    user.ws.send(Buffer.from('hello'));
    expect((await worker.event()).p['d']).toEqual({ ctx: [], msg: 'aGVsbG8=' });
  });
});
