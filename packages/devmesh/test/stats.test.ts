import { afterEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser, until, upgradeStatus } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

describe('stats', () => {
  test('count connections, API sockets, consumers, depth per topic and frames in and out', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const engine = mesh.engines[0];
    const worker = await connect(engine.apiUrl);
    await connect(engine.apiUrl);
    await worker.call('queue.pop', ['foo', 'bar']);
    const user = await joinUser(engine);
    const waiting = await joinUser(engine);
    user.send('a');
    await worker.event();
    await worker.call('conn.call', [{ c: waiting.clientId, f: 'subscribe', a: ['x'] }]);
    await worker.call('mesh.publish', [{ c: 'x', d: 'hello' }]);
    await waiting.frames.next();
    expect(engine.stats()).toEqual({
      node: '1',
      state: 'running',
      connections: 2,
      apiSockets: 2,
      consumers: 1,
      topics: { foo: { depth: 0, consumers: 1 }, bar: { depth: 0, consumers: 1 } },
      blockedPushes: 0,
      pushed: 1,
      delivered: 1,
      counters: {
        apiFramesIn: 3,
        apiFramesOut: 4,
        protocolFramesIn: 1,
        protocolFramesOut: 1,
        restRequests: 0,
        connectionsOpened: 2,
        idleTimeouts: 0,
        hookErrors: 0,
        sendErrors: 0,
      },
    });
    await worker.call('queue.unpop', []);
    user.send('b');
    await until(() => engine.stats().topics['foo']?.depth === 1);
    expect(engine.stats().topics).toEqual({ foo: { depth: 1, consumers: 0 } });
    expect(mesh.stats().map((s) => s.node)).toEqual(['1', '2']);
  });

  test('counters survive a restart; what the engine held does not', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    const user = await joinUser(engine);
    user.send('kept in the queue');
    await until(() => engine.stats().pushed === 1);
    await engine.stop();
    await engine.start();
    expect(engine.stats()).toMatchObject({ connections: 0, topics: {}, pushed: 0 });
    expect(engine.stats().counters).toMatchObject({ connectionsOpened: 1, protocolFramesIn: 1 });
  });
});

describe('routes', () => {
  test('the API WebSocket is at /ws/v1 only; the protocol server takes any path and refuses plain HTTP', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    expect(await upgradeStatus(engine.apiUrl.replace('/ws/v1', '/ws/v2'))).toBe(404);
    const plain = await fetch(engine.apiUrl.replace('ws://', 'http://'));
    expect(plain.status).toBe(426);
    await plain.body?.cancel();
    const user = await connect(`${engine.protocolUrl}any/path?token=1`);
    expect(user.ws.readyState).toBe(user.ws.OPEN);
    const page = await fetch(engine.protocolUrl.replace('ws://', 'http://'));
    expect(page.status).toBe(426);
    expect(await page.text()).toMatch(/connect a WebSocket/);
  });
});
