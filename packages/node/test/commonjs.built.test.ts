// The CommonJS build, which an application that calls `require('@connmix/node')` runs: a worker
// consumes what an end user sent, answers through the mesh, pings, is dropped and reconnects, and
// a bad call fails with the typed error. Runs only in `pnpm run test:built` (it needs `dist/`):
// the build renames core's internal properties in the `.cjs` files too, and the ESM runs cannot
// show that those agree.
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { afterEach, expect, it, vi } from 'vitest';
import { take } from '@connmix/test-support/take';
import type * as Devmesh from '@connmix/devmesh';
import type * as Node from '@connmix/node';

const require = createRequire(import.meta.url);
const { createClient, nodeTransport, ValidationError } = require('@connmix/node') as typeof Node;
const { startDevMesh } = require('@connmix/devmesh') as typeof Devmesh;

const WAIT = { timeout: 5_000, interval: 10 };
const closers: Array<{ close(): Promise<void> }> = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const closer of closers.splice(0).reverse()) await closer.close();
});

it('require() gives the CommonJS build, and a whole session runs on it', async () => {
  expect(require.resolve('@connmix/node')).toMatch(/dist[\\/]index\.cjs$/);
  const mesh = await startDevMesh({ engines: 1 });
  closers.push(mesh);
  const engine = mesh.engines[0];
  const worker = createClient({
    url: engine.apiUrl,
    transport: nodeTransport(),
    heartbeat: false,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  });
  closers.push(worker);
  const errors: unknown[] = [];
  worker.on('error', (event) => errors.push(event));
  const messages = worker.consume('foo');

  const user = new WebSocket(engine.protocolUrl);
  sockets.push(user);
  const heard: string[] = [];
  user.on('message', (data) => heard.push(String(data)));
  await new Promise((resolve, reject) => user.once('open', resolve).once('error', reject));
  user.send('hello');
  const [message] = await take(messages, 1, WAIT.timeout);
  expect(message).toMatchObject({ topic: 'foo', data: { msg: 'hello' } });
  await expect(worker.send(message!.clientId, 'welcome')).resolves.toEqual({ success: 1, fail: 0, total: 1 });
  await vi.waitFor(() => expect(heard).toContain('welcome'), WAIT);

  await expect(worker.ping()).resolves.toMatchObject({ rttMs: expect.any(Number) });
  expect(engine.dropApiSockets()).toBe(1);
  await vi.waitFor(() => expect(worker.state).toBe('open'), WAIT);
  user.send('again');
  expect((await take(messages, 1, WAIT.timeout))[0]).toMatchObject({ data: { msg: 'again' } });

  await expect(worker.send('not a client id', 'x')).rejects.toBeInstanceOf(ValidationError);
  await messages.close();
  expect(errors).toEqual([]);
});
