// The center down for several resync periods: each failed discovery is reported, the engines
// known so far keep serving calls and messages, and once the center is back the next resync
// brings the engine list in line again.
import { createCluster, nodeTransport, type ClusterErrorEvent, type ClusterMessage } from '@connmix/node';
import { startDevMesh, type DevEngine, type DevMesh } from '@connmix/devmesh';
import { afterEach, expect, it } from 'vitest';
import { count } from '../../src/counts.ts';
import { joinAsEndUser } from '../../src/endUser.ts';
import { recordFigures } from '../../src/figures.ts';

const RESYNC_PERIODS_DOWN = count(5, 50);
const RESYNC_INTERVAL_MS = 20;

let mesh: DevMesh | undefined;
afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
});

/** Resolves when `predicate` holds for the list, re-checked each time `subscribe` reports. */
function when(subscribe: (check: () => void) => () => void, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const off = subscribe(() => {
      if (!predicate()) return;
      off();
      resolve();
    });
  });
}

it(`the center down for ${RESYNC_PERIODS_DOWN} resync periods: the known engines keep working`, async () => {
  mesh = await startDevMesh({ engines: 2 });
  const cluster = createCluster({
    center: mesh.center.url,
    transport: nodeTransport(),
    resyncIntervalMs: RESYNC_INTERVAL_MS,
    heartbeat: false,
    reconnect: { minDelayMs: 0, maxDelayMs: 5 },
  });
  const discoveryFailures: ClusterErrorEvent[] = [];
  const otherErrors: ClusterErrorEvent[] = [];
  const onError = (check: () => void) =>
    cluster.on('error', (event) => {
      (event.kind === 'discovery' ? discoveryFailures : otherErrors).push(event);
      check();
    });
  const onNodes = (check: () => void) => cluster.on('nodes', () => check());
  const bothOpen = () => cluster.nodes.length === 2 && cluster.nodes.every((node) => node.state === 'open');
  const messages: ClusterMessage[] = [];
  cluster.on('message', (msg) => messages.push(msg));
  onError(() => undefined);
  await cluster.connect();
  await cluster.pop('foo');
  await when(onNodes, bothOpen);

  await mesh.center.stop();
  await when(onError, () => discoveryFailures.length >= RESYNC_PERIODS_DOWN);
  expect(cluster.nodes.map((node) => [node.id, node.state])).toEqual([
    ['1', 'open'],
    ['2', 'open'],
  ]);
  for (const error of discoveryFailures)
    expect(error).toMatchObject({ kind: 'discovery', center: mesh.center.url });
  // Calls and messages still flow through both engines while nothing can be discovered.
  await expect(cluster.publish('room', 'during the outage')).resolves.toMatchObject({ fail: 0 });
  const users = await Promise.all(mesh.engines.map((engine) => joinAsEndUser(engine.protocolUrl)));
  const received = messages.length;
  users.forEach((user, index) => user.send(`hello from engine ${index + 1}`));
  await when(
    (check) => cluster.on('message', check),
    () => messages.length >= received + 2,
  );
  expect(new Set(messages.slice(received).map((msg) => msg.node))).toEqual(new Set(['1', '2']));

  // The center comes back without engine 2: the next resync drops it.
  const second = mesh.engine('2') as DevEngine;
  await second.stop();
  const failuresWhileDown = discoveryFailures.length;
  await mesh.center.start();
  await when(onNodes, () => cluster.nodes.length === 1);
  expect(cluster.nodes).toMatchObject([{ id: '1', state: 'open' }]);
  await second.start();
  await when(onNodes, bothOpen);
  expect(otherErrors.filter((event) => event.kind !== 'transport')).toEqual([]);
  await Promise.all(users.map((user) => user.close()));
  await cluster.close();
  recordFigures('center-down', {
    resyncPeriodsDown: RESYNC_PERIODS_DOWN,
    discoveryFailuresReported: failuresWhileDown,
    enginesKept: 2,
    messagesDuringOutage: 2,
  });
});
