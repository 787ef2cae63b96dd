import { describe, expect, it, vi } from 'vitest';
import { createFakeTransport } from '../client/testing/fakeTransport.ts';
import { AbortError, TimeoutError, ValidationError } from '../errors/errors.ts';
import { openCluster } from './openCluster.ts';
import { CENTER, createFakeCenter, engineUrl, entry, settle } from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

function setup() {
  const fake = createFakeTransport();
  const center = createFakeCenter([entry(1), entry(2)]);
  const options = { center: CENTER, fetch: center.fetch, transport: fake.factory, heartbeat: false } as const;
  return { fake, center, options };
}

describe('openCluster()', () => {
  it('resolves with the cluster once one engine is open', async () => {
    const { fake, options } = setup();
    const opening = openCluster(options);
    await settle();
    fake.sockets.find((s) => s.url === engineUrl(2))?.open();
    const cluster = await opening;
    expect(cluster.state).toBe('open');
    expect(cluster.nodes.map(({ id, state }) => `${id}:${state}`)).toEqual(['1:connecting', '2:open']);
    await cluster.close();
  });

  it('closes the cluster and rejects when no engine opens within timeoutMs: nothing is left', async () => {
    const { fake, center, options } = setup();
    const opening = openCluster({
      ...options,
      timeoutMs: 1_000,
      reconnect: { minDelayMs: 10, maxDelayMs: 10 },
    });
    const outcome = opening.catch((error: unknown) => error);
    await settle();
    for (const socket of fake.sockets) socket.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(1_000);
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.sockets.every((s) => s.state === 'closed')).toBe(true);
    const sockets = fake.sockets.length;
    const requests = center.requests.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect([fake.sockets.length, center.requests.length]).toEqual([sockets, requests]);
  });

  it('closes the cluster and rejects with AbortError when the signal aborts', async () => {
    const { fake, options } = setup();
    const controller = new AbortController();
    const opening = openCluster({ ...options, signal: controller.signal });
    await settle();
    controller.abort();
    await expect(opening).rejects.toBeInstanceOf(AbortError);
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.sockets.every((s) => s.state === 'closed')).toBe(true);
  });

  it('throws ValidationError for bad cluster options before anything starts', async () => {
    const { fake, center, options } = setup();
    await expect(openCluster({ ...options, resyncIntervalMs: 0 })).rejects.toBeInstanceOf(ValidationError);
    expect([fake.sockets.length, center.requests.length]).toEqual([0, 0]);
  });
});
