// The cluster client over browserTransport, in headless Chromium: two tagged connections to the
// protocol test server stand for two engines given as static nodes.
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectCluster, TimeoutError, type ClusterMessage } from '../src/index.ts';
import { testServer } from './support/testServer.ts';

describe('cluster over browserTransport in Chromium', () => {
  it('connectCluster() opens every engine, pops on each and acts through the engine of each message', async () => {
    const engines = [testServer('cluster-a'), testServer('cluster-b')] as const;
    const cluster = await connectCluster({
      nodes: [
        { id: 'a', url: engines[0].url },
        { id: 'b', url: engines[1].url },
      ],
      heartbeat: false,
      timeoutMs: 3_000,
    });
    onTestFinished(() => cluster.close());
    expect(cluster.state).toBe('open');
    await expect
      .poll(() => cluster.nodes.map(({ id, state }) => `${id}:${state}`))
      .toEqual(['a:open', 'b:open']);
    expect(await cluster.pop('browser-cluster')).toEqual({ success: true });

    const stream = cluster.messages({ topic: 'browser-cluster' });
    await engines[1].push('browser-cluster', { msg: 'from b' }, '1463819408261513216');
    await engines[0].push('browser-cluster', { msg: 'from a' }, '1463819408261513217');
    const received: ClusterMessage[] = [];
    for await (const msg of stream) {
      received.push(msg);
      if (received.length === 2) break;
    }
    expect(received.map(({ node, clientId, data }) => ({ node, clientId, data }))).toEqual([
      { node: 'b', clientId: '1463819408261513216', data: { msg: 'from b' } },
      { node: 'a', clientId: '1463819408261513217', data: { msg: 'from a' } },
    ]);

    expect(await cluster.setContextValue('1463819408261513216', 'uid', 7)).toEqual({ success: true });
    const calls = async (engine: (typeof engines)[number]) =>
      (await engine.requests()).filter((request) => request.method === 'conn.call').map((r) => r.params);
    expect(await calls(engines[1])).toEqual([
      [{ c: '1463819408261513216', f: 'set_context_value', a: ['uid', 7] }],
    ]);
    expect(await calls(engines[0])).toEqual([]);
  });

  it('connectCluster() rejects and closes the cluster when no engine opens within timeoutMs', async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const error = await connectCluster({
      nodes: ['ws://127.0.0.1:9/ws/v1'],
      heartbeat: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
      timeoutMs: 200,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
  });
});
