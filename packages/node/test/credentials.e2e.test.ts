// The credentials matrix end to end: a two-engine dev mesh with access control, a password for
// each character that broke redaction, written raw or percent-encoded in engine and center URLs
// or given as nodeTransport({ auth }), right and wrong. No part of any password may show in a
// node id, a `nodes` event, a message, an error event, a rejection or its cause chain.
import { inspect } from 'node:util';
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// The matrix is the core's, so that every package searches for the same parts.
import {
  leaks,
  PASSWORDS,
  refusedRaw,
  shown,
  userinfo,
  USERNAME,
  type UrlForm,
} from '../../core/src/errors/testing/credentialMatrix.ts';
import {
  createClient,
  createCluster,
  nodeTransport,
  ValidationError,
  type Cluster,
  type ClusterMessage,
  type ClusterOptions,
} from '../src/index.ts';

const WAIT = { timeout: 5_000, interval: 10 };
const FAST = {
  resyncIntervalMs: 200,
  heartbeat: false,
  reconnect: { minDelayMs: 50, maxDelayMs: 200 },
  requestTimeoutMs: 2_000,
} as const;
/** A wrong password made of the same parts, so that it is searched for too. */
const wrong = (password: string) => `${password}-wr0ng`;

let devMesh: DevMesh;
beforeAll(async () => {
  devMesh = await startDevMesh({
    engines: 2,
    access: {
      users: PASSWORDS.map((password) => ({ username: USERNAME, password, roles: ['read', 'write'] })),
    },
  });
});
afterAll(async () => {
  await devMesh.close();
});

const withCredentials = (url: string, password: string, form: UrlForm) =>
  url.replace('://', `://${userinfo(password, form)}`);

/** A cluster whose every event is kept, to be searched afterwards. */
function recorded(options: Omit<ClusterOptions, 'transport'> & Pick<ClusterOptions, 'transport'>) {
  const cluster = createCluster({ ...FAST, ...options });
  const seen: unknown[] = [];
  cluster.on('nodes', (event) => seen.push(event));
  cluster.on('error', (event) => seen.push(event));
  cluster.on('message', (message) => seen.push(message));
  return { cluster, seen };
}

async function endUserSays(url: string, text: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(text);
  return socket;
}

async function firstMessages(cluster: Cluster, count: number): Promise<ClusterMessage[]> {
  const stream = cluster.messages({ topic: 'foo' });
  const taken: ClusterMessage[] = [];
  while (taken.length < count) {
    const next = await stream.next();
    if (next.done) break;
    taken.push(next.value);
  }
  await stream.return?.();
  return taken;
}

describe('credentials on a dev mesh with access control', () => {
  it.each(PASSWORDS)('password %s: right and wrong, in URLs and in auth, shown nowhere', async (password) => {
    const apiUrls = devMesh.engines.map((engine) => engine.apiUrl);
    // Raw where a URL can hold it; a URL that cannot is refused (below).
    const form: UrlForm = refusedRaw(password) ? 'percent-encoded' : 'raw';
    const shownParts: unknown[] = [];
    const clusters: Cluster[] = [];
    const sockets: WebSocket[] = [];
    try {
      // 1. Engines given as URLs holding the credentials.
      const inUrls = recorded({
        nodes: apiUrls.map((url) => withCredentials(url, password, form)),
        transport: nodeTransport(),
      });
      clusters.push(inUrls.cluster);
      await inUrls.cluster.connect({ timeoutMs: 5_000 });
      await vi.waitFor(
        () => expect(inUrls.cluster.nodes.map((n) => n.state)).toEqual(['open', 'open']),
        WAIT,
      );
      expect(inUrls.cluster.nodes.map((n) => n.id)).toEqual(apiUrls);
      expect(await inUrls.cluster.pop('foo')).toEqual({ success: true });
      const messages = firstMessages(inUrls.cluster, 2);
      for (const [i, engine] of devMesh.engines.entries()) {
        sockets.push(await endUserSays(engine.protocolUrl, `hello${i}`));
      }
      const received = await messages;
      expect(received.map((m) => m.node).sort()).toEqual([...apiUrls].sort());
      await inUrls.cluster.close();

      // 2. Discovery with the credentials in the center URL, the engines with auth; a fresh
      // cluster that finds the engine of each end user by asking.
      const viaCenter = recorded({
        center: withCredentials(devMesh.center.url, password, form),
        transport: nodeTransport({ auth: { username: USERNAME, password } }),
      });
      clusters.push(viaCenter.cluster);
      await viaCenter.cluster.connect({ timeoutMs: 5_000 });
      for (const msg of received) {
        expect(await viaCenter.cluster.setContextValue(msg.clientId, 'uid', 1)).toEqual({ success: true });
      }

      // 3. Wrong credentials: refused upgrades and a refused discovery, reported.
      const refused = recorded({
        nodes: apiUrls.map((url) => withCredentials(url, wrong(password), form)),
        transport: nodeTransport(),
      });
      clusters.push(refused.cluster);
      shownParts.push(await refused.cluster.connect({ timeoutMs: 300 }).catch((error: unknown) => error));
      await vi.waitFor(
        () =>
          expect(
            refused.seen.filter((e) => (e as { kind?: string }).kind === 'transport').length,
          ).toBeGreaterThanOrEqual(2),
        WAIT,
      );
      const badCenter = recorded({
        center: withCredentials(devMesh.center.url, wrong(password), form),
        transport: nodeTransport({ auth: { username: USERNAME, password: wrong(password) } }),
      });
      clusters.push(badCenter.cluster);
      shownParts.push(await badCenter.cluster.connect({ timeoutMs: 300 }).catch((error: unknown) => error));
      expect(badCenter.seen).toContainEqual(expect.objectContaining({ kind: 'discovery' }));

      // 4. A raw password that a URL cannot hold: refused up front, by the cluster and the transport.
      if (refusedRaw(password)) {
        const raw = withCredentials(apiUrls[0]!, password, 'raw');
        let thrown: unknown;
        try {
          createCluster({ nodes: [raw], transport: nodeTransport() });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ValidationError);
        shownParts.push(thrown);
        if (!/\s/.test(password)) {
          const client = createClient({ url: raw, transport: nodeTransport(), reconnect: false });
          const events: unknown[] = [];
          client.on('error', (event) => events.push(event));
          shownParts.push(
            await client.connect({ timeoutMs: 2_000 }).catch((error: unknown) => error),
            events,
          );
          expect(events).toContainEqual(
            expect.objectContaining({ kind: 'transport', error: expect.any(ValidationError) }),
          );
          await client.close();
        }
      }

      shownParts.push(inUrls.seen, viaCenter.seen, refused.seen, badCenter.seen, received);
      shownParts.push(...clusters.map((cluster) => cluster.nodes));
      expect(leaks(shown(shownParts, inspect), password)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.terminate();
      await Promise.all(clusters.map((cluster) => cluster.close()));
    }
  });
});
