import { afterEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, freePort } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

describe('startDevMesh options', () => {
  test('fixed ports are used as given', async () => {
    const [center, api, protocol] = [await freePort(), await freePort(), await freePort()];
    mesh = await startDevMesh({ ports: { center, engines: [{ api, protocol }] } });
    expect(mesh.center.url).toBe(`http://127.0.0.1:${center}`);
    expect(mesh.engines[0].apiUrl).toBe(`ws://127.0.0.1:${api}/ws/v1`);
    expect(mesh.engines[0].protocolUrl).toBe(`ws://127.0.0.1:${protocol}/`);
    const worker = await connect(mesh.engines[0].apiUrl);
    expect(await worker.call('server.ping', [])).toMatchObject({ r: { s: 'server.pong' } });
  });

  test('a port already taken fails the start and leaves nothing running', async () => {
    mesh = await startDevMesh();
    const taken = mesh.engines[0].apiPort;
    await expect(startDevMesh({ ports: { engines: [{ api: taken }] } })).rejects.toThrow(/EADDRINUSE/);
  });

  test('a wildcard host is bound, and URLs point at loopback', async () => {
    mesh = await startDevMesh({ host: '0.0.0.0' });
    expect(mesh.engines[0].apiUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/v1$/);
    const worker = await connect(mesh.engines[0].apiUrl);
    expect(await worker.call('server.ping', [])).toMatchObject({ r: { s: 'server.pong' } });
  });

  test('bad options are a ValidationError', async () => {
    await expect(startDevMesh({ engines: -1 })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
