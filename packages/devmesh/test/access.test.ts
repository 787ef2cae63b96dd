import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { basic, closeAllClients, connect, joinUser, upgradeStatus } from '@connmix/test-support/wsClients';

let mesh: DevMesh;
const users = [
  { username: 'worker', password: 'w-pass', roles: ['read', 'write'] as const },
  { username: 'dashboard', password: 'd-pass', roles: ['read'] as const },
  { username: 'remote', password: 'r-pass', roles: ['read', 'write'] as const, host: ['10.0.*.*'] },
  { username: 'local', password: 'l-pass', roles: ['write'] as const, host: '127.0.0.*' },
];

beforeEach(async () => {
  mesh = await startDevMesh({ dialect: 'v1.0.3', access: { users } });
});
afterEach(async () => {
  await closeAllClients();
  await mesh.close();
});

const httpBase = () => mesh.engines[0].apiUrl.replace('ws://', 'http://').replace('/ws/v1', '');

describe('access control', () => {
  test('the API upgrade needs valid Basic credentials (401) from an allowed host (403)', async () => {
    const url = mesh.engines[0].apiUrl;
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(url, basic('worker', 'wrong'))).toBe(401);
    expect(await upgradeStatus(url, basic('nobody', 'w-pass'))).toBe(401);
    expect(await upgradeStatus(url, basic('remote', 'r-pass'))).toBe(403);
    const worker = await connect(url, basic('worker', 'w-pass'));
    worker.send('ping');
    expect(await worker.frames.next()).toBe('pong');
    const local = await connect(url, basic('local', 'l-pass'));
    local.send('ping');
    expect(await local.frames.next()).toBe('pong');
  });

  test('a 401 carries a Basic challenge', async () => {
    const response = await fetch(`${httpBase()}/v1/mesh/send`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="connmix"');
    await response.body?.cancel();
  });

  test('a read-only user may pop and unpop but not conn.call (301) or mesh.* (401)', async () => {
    const user = await joinUser(mesh.engines[0]);
    const reader = await connect(mesh.engines[0].apiUrl, basic('dashboard', 'd-pass'));
    expect(await reader.call('queue.pop', { t: ['foo'] })).toMatchObject({ E: null, r: { s: true } });
    const call = await reader.call('conn.call', { c: user.clientId, f: 'subscribe', a: ['r'] });
    expect(call).toMatchObject({ E: { c: 301, m: 'forbidden: user dashboard lacks the write role' } });
    expect(await reader.call('mesh.send', { c: user.clientId, d: 'x' })).toMatchObject({ E: { c: 401 } });
    expect(await reader.call('mesh.publish', { c: 'r', d: 'x' })).toMatchObject({ E: { c: 401 } });
    expect(await reader.call('queue.unpop', {})).toMatchObject({ E: null });
    expect(await user.frames.silentFor(50)).toBe(true);
    const writer = await connect(mesh.engines[0].apiUrl, basic('worker', 'w-pass'));
    expect(await writer.call('mesh.send', { c: user.clientId, d: 'ok' })).toMatchObject({ E: null });
    expect(await user.frames.next()).toBe('ok');
  });

  test('REST calls are checked the same way', async () => {
    const user = await joinUser(mesh.engines[0]);
    const body = JSON.stringify({ c: user.clientId, d: 'rest' });
    const as = async (who: { headers: Record<string, string> } | undefined) => {
      const response = await fetch(`${httpBase()}/v1/mesh/send`, {
        method: 'POST',
        body,
        headers: who?.headers ?? {},
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect((await as(undefined)).status).toBe(401);
    expect((await as(basic('remote', 'r-pass'))).status).toBe(403);
    expect(await as(basic('dashboard', 'd-pass'))).toMatchObject({ status: 200, body: { E: { c: 401 } } });
    expect(await as(basic('worker', 'w-pass'))).toEqual({ status: 200, body: { E: null, r: { s: true } } });
    expect(await user.frames.next()).toBe('rest');
  });

  test('the center asks for credentials too; end users on the protocol port do not', async () => {
    const anonymous = await fetch(`${mesh.center.url}/v1/nodes`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const reader = await fetch(`${mesh.center.url}/v1/nodes`, basic('dashboard', 'd-pass'));
    expect(((await reader.json()) as { nodes: unknown[] }).nodes).toHaveLength(1);
    const user = await connect(mesh.engines[0].protocolUrl);
    expect(user.ws.readyState).toBe(user.ws.OPEN);
  });

  test('bad access options are refused before anything starts', async () => {
    await expect(
      startDevMesh({ access: { users: [{ username: 'a:b', password: 'x', roles: ['admin' as 'read'] }] } }),
    ).rejects.toThrow(/access\.users\.0\.username/);
  });
});
