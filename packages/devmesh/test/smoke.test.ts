import { afterEach, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect } from './helpers.ts';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
});

test('smoke', async () => {
  mesh = await startDevMesh({ engines: 2 });
  const worker = await connect(mesh.engines[0]!.apiUrl);
  expect(await worker.call('server.ping', [], 7)).toEqual({ E: null, r: { s: 'server.pong' }, i: 7 });
  expect(await worker.call('queue.pop', ['foo'], 8)).toEqual({ E: null, r: { s: true }, i: 8 });
  const user = await connect(mesh.engines[0]!.protocolUrl);
  user.send('hello');
  const event = await worker.event();
  expect(event).toMatchObject({ e: 'queue.pop', id: null, p: { t: 'foo', d: { ctx: [], msg: 'hello' } } });
});
