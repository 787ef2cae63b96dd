// The dev mesh is safe to run on a laptop: every server binds loopback unless told otherwise, and
// with `access` set the roles hold through the SDK (a read-only user pops but cannot call or
// send, an unknown one is refused before any WebSocket opens, the center checks the same users).
import { networkInterfaces } from 'node:os';
import { createConnection } from 'node:net';
import {
  createClient,
  createCluster,
  nodeTransport,
  ServerError,
  type ClusterErrorEvent,
} from '@connmix/node';
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.ts';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
});

/** Resolves true if a TCP connection to host:port opens. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('binds every server to loopback by default', async () => {
  mesh = await startDevMesh({ engines: 2 });
  const urls = [mesh.center.url, ...mesh.engines.flatMap((engine) => [engine.apiUrl, engine.protocolUrl])];
  for (const url of urls) expect(new URL(url).hostname).toBe('127.0.0.1');
  const ports = urls.map((url) => Number(new URL(url).port));
  for (const port of ports) expect(await reachable('127.0.0.1', port)).toBe(true);
  // Through any other address of this machine, none of them answers.
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
    .map((address) => address?.address as string);
  for (const address of external) {
    for (const port of ports) expect(await reachable(address, port), `${address}:${port}`).toBe(false);
  }
  recordFigures('devmesh-loopback', {
    servers: urls.length,
    externalAddressesTried: external.length,
    reachableFromOutside: 0,
  });
});

it('enforces the access roles through the SDK', async () => {
  mesh = await startDevMesh({
    access: {
      users: [
        { username: 'worker', password: 'w-pass', roles: ['read', 'write'] },
        { username: 'dashboard', password: 'd-pass', roles: ['read'] },
      ],
    },
  });
  const url = mesh.engines[0].apiUrl;
  const as = (username: string, password: string) =>
    createClient({
      url,
      transport: nodeTransport({ auth: { username, password } }),
      heartbeat: false,
      reconnect: false,
    });

  const reader = as('dashboard', 'd-pass');
  await expect(reader.pop('foo')).resolves.toEqual({ success: true });
  const call = reader.call('1', 'subscribe', ['room']);
  await expect(call).rejects.toBeInstanceOf(ServerError);
  await expect(call).rejects.toMatchObject({ code: 301 });
  await expect(reader.publish('room', 'x')).rejects.toMatchObject({ name: 'ServerError', code: 401 });
  await reader.close();

  const writer = as('worker', 'w-pass');
  await expect(writer.publish('room', 'x')).resolves.toMatchObject({ fail: 0 });
  await writer.close();

  const stranger = as('worker', 'not-the-password');
  await expect(stranger.connect({ timeoutMs: 5_000 })).rejects.toThrow();
  expect(stranger.state).toBe('closed');
  await stranger.close();

  const cluster = createCluster({ center: mesh.center.url, transport: nodeTransport(), heartbeat: false });
  const discovery = new Promise<ClusterErrorEvent>((resolve) =>
    cluster.on('error', (event) => event.kind === 'discovery' && resolve(event)),
  );
  void cluster.connect({ timeoutMs: 5_000 }).catch(() => undefined);
  expect((await discovery).error.message).toContain('401');
  await cluster.close();
});
