import { afterEach, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

test("nodeIds: 'short' gives 10-letter ids, written as strings in events and in the center's list", async () => {
  mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.3', nodeIds: 'short' });
  const ids = mesh.engines.map((engine) => engine.node);
  for (const id of ids) expect(id).toMatch(/^[a-v]{10}$/);
  expect(new Set(ids).size).toBe(2);
  const nodes = (await (await fetch(`${mesh.center.url}/v1/nodes`)).json()) as {
    nodes: Array<{ id: unknown }>;
  };
  expect(nodes.nodes.map((node) => node.id)).toEqual(ids);
  const engine = mesh.engines[1]!;
  const worker = await connect(engine.apiUrl);
  await worker.call('queue.pop', { t: ['foo'] });
  const user = await joinUser(engine);
  user.send('hi');
  const event = await worker.event();
  expect(event.p['n']).toBe(engine.node);
  expect(mesh.engine(engine.node)).toBe(engine);
});
