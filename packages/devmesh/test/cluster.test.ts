import { afterEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('center', () => {
  test('GET /version and GET /v1/nodes list every running engine with its API address', async () => {
    mesh = await startDevMesh({ engines: 3 });
    expect(mesh.center.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await getJson(`${mesh.center.url}/version`)).toEqual({ status: 200, body: { apis: ['v1'] } });
    const { body } = await getJson(`${mesh.center.url}/v1/nodes`);
    expect(body).toEqual({
      nodes: mesh.engines.map((engine, i) => ({ id: i + 1, api_server: `127.0.0.1:${engine.apiPort}` })),
    });
    for (const engine of mesh.engines) expect(engine.apiUrl).toBe(`ws://127.0.0.1:${engine.apiPort}/ws/v1`);
    expect(mesh.engines.map((e) => e.node)).toEqual(['1', '2', '3']);
    expect(new Set(mesh.engines.flatMap((e) => [e.apiPort, e.protocolPort, mesh!.center.port])).size).toBe(7);
    expect((await getJson(`${mesh.center.url}/v2/other`)).status).toBe(404);
  });

  test('string node ids are listed and sent as strings', async () => {
    mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.3', nodeIds: ['c9gn78jin5670olm1rhg', 'b2'] });
    const { body } = await getJson(`${mesh.center.url}/v1/nodes`);
    expect((body as { nodes: Array<{ id: unknown }> }).nodes.map((n) => n.id)).toEqual([
      'c9gn78jin5670olm1rhg',
      'b2',
    ]);
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', { t: ['foo'] });
    const user = await connect(mesh.engines[0].protocolUrl);
    user.send('x');
    expect((await worker.event()).p['n']).toBe('c9gn78jin5670olm1rhg');
    expect(mesh.engine('b2')).toBe(mesh.engines[1]);
  });
});

describe('across engines', () => {
  test('client ids carry their engine in the node bits and never collide', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const a = await joinUser(mesh.engines[0]);
    const b = await joinUser(mesh.engines[1]!);
    expect((BigInt(a.clientId) >> 12n) & 0x3ffn).toBe(1n);
    expect((BigInt(b.clientId) >> 12n) & 0x3ffn).toBe(2n);
  });

  test('queues are per engine: a worker must pop on each engine', async () => {
    mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.3' });
    const w1 = await connect(mesh.engines[0].apiUrl);
    const w2 = await connect(mesh.engines[1]!.apiUrl);
    await w1.call('queue.pop', { t: ['foo'] });
    await w2.call('queue.pop', { t: ['foo'] });
    const u1 = await joinUser(mesh.engines[0]);
    const u2 = await joinUser(mesh.engines[1]!);
    u2.send('from two');
    u1.send('from one');
    expect((await w1.event()).p).toMatchObject({ n: 1, c: u1.clientId, d: { msg: 'from one' } });
    expect((await w2.event()).p).toMatchObject({ n: 2, c: u2.clientId, d: { msg: 'from two' } });
  });

  test('mesh.send sent to any engine reaches the engine holding the client', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const user = await joinUser(mesh.engines[1]!);
    const worker = await connect(mesh.engines[0].apiUrl);
    expect(await worker.call('mesh.send', [{ c: user.clientId, d: 'across' }])).toMatchObject({
      E: null,
      r: { s: true, f: 0, t: 1 },
    });
    expect(await user.frames.next()).toBe('across');
  });

  test('conn.call runs only on the engine holding the client (301 elsewhere)', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const user = await joinUser(mesh.engines[1]!);
    const onOne = await connect(mesh.engines[0].apiUrl);
    const onTwo = await connect(mesh.engines[1]!.apiUrl);
    const call = [{ c: user.clientId, f: 'subscribe', a: ['room1'] }];
    expect(await onOne.call('conn.call', call)).toMatchObject({ E: { c: 301 } });
    expect(await onTwo.call('conn.call', call)).toMatchObject({ E: null, r: { s: true } });
  });

  test('mesh.publish reaches subscribers on every engine and counts them', async () => {
    mesh = await startDevMesh({ engines: 3, dialect: 'v1.0.3' });
    const users = await Promise.all(mesh.engines.map((engine) => joinUser(engine)));
    for (const [i, user] of users.entries()) {
      const worker = await connect(mesh.engines[i]!.apiUrl);
      await worker.call('conn.call', { c: user.clientId, f: 'subscribe', a: ['lobby'] });
    }
    const worker = await connect(mesh.engines[2]!.apiUrl);
    expect(await worker.call('mesh.publish', { c: 'lobby', d: 'everyone' })).toMatchObject({
      r: { s: 3, f: 0 },
    });
    for (const user of users) expect(await user.frames.next()).toBe('everyone');
  });

  test('two meshes in one process share nothing', async () => {
    mesh = await startDevMesh({ engines: 1 });
    const other = await startDevMesh({ engines: 1 });
    try {
      const user = await joinUser(other.engines[0]);
      const worker = await connect(mesh.engines[0].apiUrl);
      expect(await worker.call('mesh.send', [{ c: user.clientId, d: 'x' }])).toMatchObject({ E: { c: 401 } });
      expect(mesh.engines[0].stats().connections).toBe(0);
      expect(other.engines[0].stats().connections).toBe(1);
    } finally {
      await closeAllClients();
      await other.close();
    }
  });
});
