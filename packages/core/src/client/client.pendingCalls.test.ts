// Request bookkeeping under load and the v1.0.3 text ping: every call settles on its own
// deadline, on one timer, and a ping that got no pong does not shift the answers of later pings.
import { describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../errors/errors.ts';
import { EXPIRATIONS_PER_TURN } from '../runtime/deadlines.ts';
import type { Client } from './client.ts';
import { openClient, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const OUTAGE_CALLS = 80_000;

describe('calls queued during an outage', () => {
  it('share one deadline timer and all settle at their deadline, a bounded batch per timer turn', async () => {
    const { client, fake } = startClient({ heartbeat: false, connectTimeoutMs: 60_000 });
    void client.connect().catch(() => {});
    // The socket never opens: every call waits in the queue.
    expect(fake.last.state).toBe('connecting');
    const timersBefore = vi.getTimerCount();
    const startedAt = Date.now();
    const settledAt: number[] = [];
    let timeouts = 0;
    const calls = Array.from({ length: OUTAGE_CALLS }, () =>
      client.publish('room', 'x', { timeoutMs: 1_000 }).then(
        () => settledAt.push(Number.NaN),
        (error: unknown) => {
          if (error instanceof TimeoutError) timeouts += 1;
          settledAt.push(Date.now() - startedAt);
        },
      ),
    );
    // One timer for all of them, not one each.
    expect(vi.getTimerCount() - timersBefore).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(settledAt).toEqual([]);
    // At the deadline, the calls expire in batches of EXPIRATIONS_PER_TURN, one per timer turn
    // (0 ms apart), so the event loop runs between batches.
    let turns = 0;
    while (settledAt.length < OUTAGE_CALLS && turns < 1_000) {
      vi.advanceTimersToNextTimer();
      // Let the rejections reach the handlers above (a few promise hops each).
      for (let hop = 0; hop < 10; hop += 1) await Promise.resolve();
      turns += 1;
    }
    await Promise.all(calls);
    expect(timeouts).toBe(OUTAGE_CALLS);
    expect(turns).toBe(Math.ceil(OUTAGE_CALLS / EXPIRATIONS_PER_TURN));
    // Each batch waits for the next timer turn, which runtimes (and the fake clock) put 1 ms on.
    expect(Math.min(...settledAt)).toBe(1_000);
    expect(Math.max(...settledAt)).toBe(1_000 + turns - 1);
    expect(vi.getTimerCount()).toBe(timersBefore);
    await client.close();
  });

  it('unlinks an aborted call from the middle of the queue without disturbing the order', async () => {
    const { client, fake } = startClient({ heartbeat: false });
    void client.connect().catch(() => {});
    const controller = new AbortController();
    const first = client.publish('room', 'first');
    const middle = client.publish('room', 'middle', { signal: controller.signal });
    const last = client.publish('room', 'last');
    controller.abort();
    await expect(middle).rejects.toMatchObject({ name: 'AbortError' });
    fake.last.open();
    expect(fake.last.sent.map((frame) => /"(first|middle|last)"/.exec(frame)?.[1])).toEqual([
      'first',
      'last',
    ]);
    for (const { i } of fake.last.requests()) fake.last.reply(i, { s: 1, f: 0 });
    await expect(first).resolves.toBeDefined();
    await expect(last).resolves.toBeDefined();
    await client.close();
  });

  it('calls with different timeouts each settle at their own deadline', async () => {
    const { client } = startClient({ heartbeat: false });
    void client.connect().catch(() => {});
    const startedAt = Date.now();
    const settled: Array<[number, number]> = [];
    const calls = [300, 100, 200, 100, 300].map((timeoutMs) =>
      client
        .publish('room', 'x', { timeoutMs })
        .catch(() => settled.push([timeoutMs, Date.now() - startedAt])),
    );
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(calls);
    expect(settled).toEqual([
      [100, 100],
      [100, 100],
      [200, 200],
      [300, 300],
      [300, 300],
    ]);
    await client.close();
  });
});

describe('v1.0.3 text ping', () => {
  it('after a ping the engine never answered, each later ping settles with its own pong', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', heartbeat: false });
    const lost = expect(client.ping({ timeoutMs: 500 })).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(500);
    await lost;
    for (let round = 0; round < 3; round += 1) {
      const ping = client.ping({ timeoutMs: 500 });
      await vi.advanceTimersByTimeAsync(7);
      socket.receive('pong');
      await expect(ping).resolves.toEqual({ rttMs: 7 });
    }
    await client.close();
  });

  it('a pong that comes after its ping gave up passes quietly, and the next ping waits for its own', async () => {
    const { client, socket, errors } = await openClient({ dialect: 'v1.0.3', heartbeat: false });
    const late = expect(client.ping({ timeoutMs: 500 })).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(500);
    await late;
    socket.receive('pong');
    const next = client.ping({ timeoutMs: 500 });
    await vi.advanceTimersByTimeAsync(3);
    socket.receive('pong');
    await expect(next).resolves.toEqual({ rttMs: 3 });
    expect(errors).toEqual([]);
    await client.close();
  });
});

describe('the deadline timer between calls', () => {
  // A settled call leaves the shared timer armed (re-arming it for each call of a client with one
  // call at a time cost a Set, a setTimeout and a clearTimeout per call); the wake-up then finds
  // nothing due. Closing the client stops it.
  it('a client closed after its calls settled leaves no timer armed', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    expect(vi.getTimerCount()).toBe(0);
    const answered = client.publish('room', 'x', { timeoutMs: 1_000 });
    socket.reply(socket.lastRequest().i, { s: true, f: 0, t: 1 });
    await expect(answered).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    const pending = expect(client.publish('room', 'y', { timeoutMs: 5_000 })).rejects.toThrow(
      'mesh.publish got no answer: the client was closed',
    );
    await client.close();
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a call made after the queue emptied still expires at its own deadline', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const first = client.publish('room', 'x', { timeoutMs: 1_000 });
    socket.reply(socket.lastRequest().i, { s: true, f: 0, t: 1 });
    await first;
    // The wake-up for the settled call comes and finds nothing: no timer is left.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBe(0);
    await expectOwnDeadline(client);
    await client.close();
  });

  it('a call made before the wake-up of a settled one expires at its own, later deadline', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const first = client.publish('room', 'x', { timeoutMs: 1_000 });
    socket.reply(socket.lastRequest().i, { s: true, f: 0, t: 1 });
    await first;
    await vi.advanceTimersByTimeAsync(500);
    // The timer still armed for the settled call fires first, finds nothing due, and re-arms.
    await expectOwnDeadline(client);
    await client.close();
  });
});

/** Makes a call with a 1 s deadline and checks that it fails with a timeout then, not a millisecond earlier. */
async function expectOwnDeadline(client: Client): Promise<void> {
  const startedAt = Date.now();
  let failedAfter: number | undefined;
  const late = client.publish('room', 'y', { timeoutMs: 1_000 }).catch((error: unknown) => {
    failedAfter = Date.now() - startedAt;
    throw error;
  });
  const rejected = expect(late).rejects.toBeInstanceOf(TimeoutError);
  await vi.advanceTimersByTimeAsync(999);
  expect(failedAfter).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  await rejected;
  expect(failedAfter).toBe(1_000);
}
