import { describe, expect, it, vi } from 'vitest';
import { ConnmixError, ProtocolError, TimeoutError } from '../errors/errors.ts';
import { createFakeTransport } from '../client/testing/fakeTransport.ts';
import { createCluster } from './createCluster.ts';
import {
  CENTER,
  createFakeCenter,
  engineUrl,
  entry,
  openCluster,
  settle,
  startCluster,
} from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

describe('discovery at connect', () => {
  it('reads GET {center}/v1/nodes and opens one client per engine', async () => {
    const { cluster, center, fake, nodesEvents } = startCluster();
    expect(center.requests).toHaveLength(0);
    const connected = cluster.connect();
    expect(center.requests.map((r) => [r.url, r.init.method])).toEqual([[`${CENTER}/v1/nodes`, 'GET']]);
    await settle();
    expect(fake.sockets.map((s) => s.url)).toEqual([engineUrl(1), engineUrl(2)]);
    expect(cluster.nodes).toEqual([
      { id: '1', url: engineUrl(1), state: 'connecting' },
      { id: '2', url: engineUrl(2), state: 'connecting' },
    ]);
    // One event for the whole list, not one per engine.
    expect(nodesEvents).toEqual([cluster.nodes]);
    fake.sockets[1]!.open();
    await connected;
    expect(cluster.state).toBe('open');
    expect(cluster.nodes.map((n) => n.state)).toEqual(['connecting', 'open']);
    await cluster.close();
  });

  it('keeps node ids exact and maps api_server to ws://, or wss:// behind an https center', async () => {
    const big = '1627581697287520263';
    const fake = createFakeTransport();
    const body = `{"nodes":[{"id":${big},"api_server":"10.0.0.9:6789","region":"eu"},{"id":"c9gn78","api_server":"h:1"}]}`;
    const center = createFakeCenter();
    center.next.push({ status: 200, body });
    const secure = createCluster({
      center: 'https://center.test/',
      fetch: center.fetch,
      transport: fake.factory,
    });
    void secure.connect().catch(() => {});
    await settle();
    expect(center.requests[0]!.url).toBe('https://center.test/v1/nodes');
    expect(secure.nodes.map(({ id, url }) => ({ id, url }))).toEqual([
      { id: big, url: 'wss://10.0.0.9:6789/ws/v1' },
      { id: 'c9gn78', url: 'wss://h:1/ws/v1' },
    ]);
    await secure.close();
  });

  it('maps engines with nodeUrl, and sends credentials of the center URL as HTTP Basic', async () => {
    const nodeUrl = vi.fn(
      (node: { id: string; apiServer: string }) => `ws://${node.apiServer}/api?node=${node.id}`,
    );
    const { cluster, center } = startCluster({
      center: 'http://worker:s3cr%C3%A9t@center.test:6787',
      nodeUrl,
    });
    void cluster.connect().catch(() => {});
    await settle();
    expect(center.requests[0]!.url).toBe('http://center.test:6787/v1/nodes');
    expect(center.requests[0]!.init.headers['authorization']).toBe(
      `Basic ${Buffer.from('worker:s3crét', 'utf8').toString('base64')}`,
    );
    expect(nodeUrl).toHaveBeenCalledWith({ id: '1', apiServer: '10.0.0.1:6789' });
    expect(cluster.nodes.map((n) => n.url)).toEqual([
      'ws://10.0.0.1:6789/api?node=1',
      'ws://10.0.0.2:6789/api?node=2',
    ]);
    await cluster.close();
  });

  it('reads globalThis.fetch at call time when none is injected', async () => {
    const center = createFakeCenter([entry(3)]);
    const fake = createFakeTransport();
    const cluster = createCluster({ center: CENTER, transport: fake.factory, heartbeat: false });
    vi.stubGlobal('fetch', center.fetch);
    try {
      void cluster.connect().catch(() => {});
      await settle();
      expect(cluster.nodes.map((n) => n.id)).toEqual(['3']);
    } finally {
      vi.unstubAllGlobals();
      await cluster.close();
    }
  });
});

describe('resync', () => {
  it('connects to an engine that joined and closes one that left, every resyncIntervalMs', async () => {
    const { cluster, center, fake, nodesEvents } = await openCluster({ resyncIntervalMs: 30_000 });
    const [first, second] = fake.sockets;
    center.nodes = [entry(2), entry(3)];
    vi.advanceTimersByTime(29_999);
    expect(center.requests).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(center.requests).toHaveLength(2);
    await settle();
    expect(first!.closedBy).toEqual({ code: 1000, reason: 'client closed' });
    expect(second!.state).toBe('open');
    expect(fake.last.url).toBe(engineUrl(3));
    expect(cluster.nodes).toEqual([
      { id: '2', url: engineUrl(2), state: 'open' },
      { id: '3', url: engineUrl(3), state: 'connecting' },
    ]);
    expect(nodesEvents.at(-1)).toEqual(cluster.nodes);
    fake.last.open();
    expect(nodesEvents.at(-1)!.map((n) => n.state)).toEqual(['open', 'open']);
    // The same list again changes nothing and reports nothing.
    const reported = nodesEvents.length;
    vi.advanceTimersByTime(30_000);
    await settle();
    expect(center.requests).toHaveLength(3);
    expect(fake.sockets).toHaveLength(3);
    expect(nodesEvents).toHaveLength(reported);
    await cluster.close();
  });

  it('replaces the client of an engine whose address changed', async () => {
    const { cluster, center, fake } = await openCluster({}, 1);
    center.nodes = [{ id: 1, api_server: '10.0.0.7:6789' }];
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(fake.sockets[0]!.closedBy?.code).toBe(1000);
    expect(fake.last.url).toBe('ws://10.0.0.7:6789/ws/v1');
    expect(cluster.nodes).toEqual([{ id: '1', url: 'ws://10.0.0.7:6789/ws/v1', state: 'connecting' }]);
    await cluster.close();
  });
});

describe('failed discovery', () => {
  it('is reported on error, keeps the engines, and is retried with backoff', async () => {
    const { cluster, center, fake, errors } = await openCluster();
    center.next.push({ status: 503, body: 'center restarting' }, new Error('ECONNREFUSED'), {
      status: 200,
      body: '{"nodes":{}}',
    });
    vi.advanceTimersByTime(60_000);
    await settle();
    // Retry n waits between minDelayMs (500) and min(maxDelayMs, 500 * 2^n) of the reconnect policy.
    for (const ceilingMs of [1_000, 2_000]) {
      const asked = center.requests.length;
      vi.advanceTimersByTime(499);
      await settle();
      expect(center.requests).toHaveLength(asked);
      vi.advanceTimersByTime(ceilingMs - 499);
      await settle();
      expect(center.requests).toHaveLength(asked + 1);
    }
    expect(errors.map((e) => [e.kind, e.error.name, e.error.message])).toMatchInlineSnapshot(`
      [
        [
          "discovery",
          "ConnmixError",
          "GET http://center.test:6787/v1/nodes answered HTTP 503: center restarting",
        ],
        [
          "discovery",
          "ConnmixError",
          "GET http://center.test:6787/v1/nodes failed: ECONNREFUSED",
        ],
        [
          "discovery",
          "ProtocolError",
          "the center's /v1/nodes answer has no nodes array; frame: {"nodes":{}}",
        ],
      ]
    `);
    expect(errors[0]).toMatchObject({ kind: 'discovery', center: CENTER });
    expect(errors[1]!.error.cause).toEqual(new Error('ECONNREFUSED'));
    expect(errors[2]!.error).toBeInstanceOf(ProtocolError);
    // The engines known before kept working.
    expect(fake.sockets.map((s) => s.state)).toEqual(['open', 'open']);
    expect(cluster.state).toBe('open');
    center.nodes = [entry(1)];
    vi.advanceTimersByTime(4_000);
    await settle();
    expect(center.requests).toHaveLength(5);
    expect(cluster.nodes.map((n) => n.id)).toEqual(['1']);
    // A success resets the backoff and the next run is a whole interval later; a failure after
    // it is retried from the smallest delay again (a random of 1 takes each window's ceiling).
    const random = vi.spyOn(Math, 'random').mockReturnValue(1);
    center.next.push(new Error('ECONNREFUSED'));
    vi.advanceTimersByTime(60_000);
    await settle();
    expect(center.requests).toHaveLength(6);
    vi.advanceTimersByTime(999);
    await settle();
    expect(center.requests).toHaveLength(6);
    vi.advanceTimersByTime(1);
    await settle();
    expect(center.requests).toHaveLength(7);
    vi.advanceTimersByTime(59_999);
    await settle();
    expect(center.requests).toHaveLength(7);
    random.mockRestore();
    await cluster.close();
  });

  it('retries a first discovery that failed with backoff, not only at the next resync', async () => {
    const { cluster, center, errors } = startCluster({ reconnect: { minDelayMs: 100, maxDelayMs: 400 } });
    center.next.push(new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), new Error('ECONNREFUSED'));
    const connected = cluster.connect();
    await settle();
    expect(center.requests).toHaveLength(1);
    // Each retry within [100, min(400, 100 * 2^(n+1))] ms of the failure before it.
    for (const ceilingMs of [200, 400, 400]) {
      vi.advanceTimersByTime(ceilingMs);
      await settle();
    }
    expect(center.requests).toHaveLength(4);
    expect(errors.map((e) => e.kind)).toEqual(['discovery', 'discovery', 'discovery']);
    expect(cluster.nodes.map((n) => n.id)).toEqual(['1', '2']);
    await cluster.close();
    await expect(connected).rejects.toThrow('the cluster was closed');
  });

  it('gives up on a center that does not answer within requestTimeoutMs', async () => {
    const { cluster, center, errors } = startCluster({ requestTimeoutMs: 2_000 });
    center.next.push('hang');
    void cluster.connect().catch(() => {});
    vi.advanceTimersByTime(2_000);
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBeInstanceOf(TimeoutError);
    expect(center.requests[0]!.init.signal?.aborted).toBe(true);
    expect(cluster.state).toBe('connecting');
    vi.advanceTimersByTime(1_000);
    await settle();
    expect(cluster.nodes.map((n) => n.id)).toEqual(['1', '2']);
    await cluster.close();
  });

  it('reports a bad entry, a duplicate id and a runtime without fetch', async () => {
    const { cluster, center, errors } = startCluster();
    center.next.push(
      { status: 200, body: '{"nodes":[{"id":1}]}' },
      { status: 200, body: JSON.stringify({ nodes: [entry(1), entry(1)] }) },
    );
    void cluster.connect().catch(() => {});
    await settle();
    vi.advanceTimersByTime(1_000);
    await settle();
    expect(errors.map((e) => e.error.message)).toEqual([
      'the center\'s /v1/nodes answer has an entry 0 without a string or integer id and an api_server; frame: {"nodes":[{"id":1}]}',
      expect.stringContaining("the center's /v1/nodes answer lists node 1 twice"),
    ]);
    await cluster.close();

    const bare = createCluster({ center: CENTER, transport: createFakeTransport().factory });
    const reported: unknown[] = [];
    bare.on('error', (event) => reported.push(event.error));
    vi.stubGlobal('fetch', undefined);
    try {
      void bare.connect().catch(() => {});
      await settle();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(reported).toEqual([
      new ConnmixError(`GET ${CENTER}/v1/nodes cannot run: this runtime has no fetch; pass the fetch option`),
    ]);
    await bare.close();
  });
});

describe('static nodes', () => {
  it('uses the URLs as node ids without any center', async () => {
    const { cluster, center, fake } = startCluster({ nodes: [engineUrl(1), { id: 'b', url: engineUrl(2) }] });
    const connected = cluster.connect();
    expect(fake.sockets.map((s) => s.url)).toEqual([engineUrl(1), engineUrl(2)]);
    expect(cluster.nodes.map((n) => n.id)).toEqual([engineUrl(1), 'b']);
    fake.sockets[0]!.open();
    await connected;
    expect(center.requests).toHaveLength(0);
    await cluster.close();
  });

  it('brings back an engine whose client gave up (reconnect: false) at the next resync', async () => {
    const { cluster, fake, nodesEvents } = startCluster({ nodes: [engineUrl(1)], reconnect: false });
    const connected = cluster.connect();
    fake.last.open();
    await connected;
    fake.last.drop();
    await settle();
    expect(cluster.nodes).toEqual([]);
    expect(cluster.state).toBe('reconnecting');
    expect(nodesEvents.at(-1)).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(fake.sockets).toHaveLength(2);
    fake.last.open();
    expect(cluster.state).toBe('open');
    await cluster.close();
  });

  it('redacts credentials in cluster.nodes', async () => {
    const url = 'ws://worker:s3cret@10.0.0.1:6789/ws/v1';
    const { cluster, fake } = startCluster({ nodes: [{ id: 'a', url }] });
    void cluster.connect().catch(() => {});
    expect(fake.last.url).toBe(url);
    expect(cluster.nodes).toEqual([{ id: 'a', url: 'ws://***@10.0.0.1:6789/ws/v1', state: 'connecting' }]);
    await cluster.close();
  });
});
