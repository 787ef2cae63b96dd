import { afterEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser, until } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

describe('queue limits', () => {
  test('defaults: 2000 messages per topic, 100 topics, block when full', async () => {
    mesh = await startDevMesh();
    const worker = await connect(mesh.engines[0].apiUrl);
    const topics = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(await worker.call('queue.pop', topics)).toMatchObject({ E: null });
    expect(await worker.call('queue.pop', ['one-more'])).toMatchObject({ E: { c: 201 } });
    await worker.call('queue.unpop', []);
    const user = await joinUser(mesh.engines[0]);
    for (let i = 0; i < 2001; i++) user.send(String(i));
    await until(() => mesh!.engines[0].stats().blockedPushes === 1);
    expect(mesh.engines[0].stats().topics['foo']?.depth).toBe(2000);
  });

  test("block: a full topic holds the end user's next message until a worker pops", async () => {
    mesh = await startDevMesh({ queue: { topicSize: 2, whenFull: 'block' } });
    const user = await joinUser(mesh.engines[0]);
    for (const msg of ['1', '2', '3', '4']) user.send(msg);
    await until(() => mesh!.engines[0].stats().blockedPushes === 1);
    expect(mesh.engines[0].stats().topics).toEqual({ foo: { depth: 2, consumers: 0 } });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['foo']);
    const got = [];
    for (let i = 0; i < 4; i++) got.push(((await worker.event()).p['d'] as { msg: string }).msg);
    expect(got).toEqual(['1', '2', '3', '4']);
    expect(user.ws.readyState).toBe(user.ws.OPEN);
  });

  test("error: a push to a full topic fails; the default entry's connection is closed with 1011", async () => {
    mesh = await startDevMesh({ queue: { topicSize: 2, whenFull: 'error' } });
    const user = await joinUser(mesh.engines[0]);
    for (const msg of ['1', '2', '3']) user.send(msg);
    expect(await user.closed).toEqual({ code: 1011, reason: 'entry onMessage failed' });
    expect(mesh.engines[0].stats().topics).toEqual({ foo: { depth: 2, consumers: 0 } });
    expect(mesh.engines[0].stats().counters.hookErrors).toBe(1);
  });

  test('maxTopics: popping past it is 201 (consume failed); pushing past it fails under error', async () => {
    const failures: string[] = [];
    mesh = await startDevMesh({
      queue: { maxTopics: 2, whenFull: 'error' },
      entry: {
        async onMessage({ message, push }) {
          if (message.type === 'text')
            await push(message.data, 1).catch((e: Error) => failures.push(e.message));
        },
      },
    });
    const worker = await connect(mesh.engines[0].apiUrl);
    expect(await worker.call('queue.pop', ['a', 'b', 'c'], 1)).toMatchObject({ E: { c: 201 }, i: 1 });
    expect(await worker.call('queue.pop', ['a', 'b'], 2)).toMatchObject({ E: null, i: 2 });
    const user = await connect(mesh.engines[0].protocolUrl);
    user.send('c');
    await until(() => failures.length === 1);
    expect(failures).toEqual(['the engine holds at most 2 topics']);
  });
});

describe('idle timeouts', () => {
  test('an API socket that sends nothing is dropped; one that pings is kept', async () => {
    const idleTimeoutMs = 250;
    mesh = await startDevMesh({ dialect: 'v1.0.3', api: { idleTimeoutMs } });
    // The server starts a socket's idle timer when it accepts it, after this instant: the drop
    // cannot come sooner than idleTimeoutMs from here (less 1 ms of timer granularity).
    const idleConnecting = performance.now();
    const idle = await connect(mesh.engines[0].apiUrl);
    const busy = await connect(mesh.engines[0].apiUrl);
    const busyOpen = performance.now();
    const timer = setInterval(() => busy.send('ping'), 40);
    try {
      expect((await idle.closed).code).toBe(1006);
      expect(performance.now() - idleConnecting).toBeGreaterThanOrEqual(idleTimeoutMs - 1);
      // Kept: the engine still answers pings sent two idle periods after the busy socket opened.
      let answeredAt = busyOpen;
      while (answeredAt - busyOpen < 2 * idleTimeoutMs) {
        expect(await busy.frames.next()).toBe('pong');
        answeredAt = performance.now();
      }
      expect(busy.ws.readyState).toBe(busy.ws.OPEN);
    } finally {
      clearInterval(timer);
    }
    expect(mesh.engines[0].stats().counters.idleTimeouts).toBe(1);
  });

  test('an end user that sends nothing is dropped after protocol.idleTimeoutMs', async () => {
    mesh = await startDevMesh({ protocol: { idleTimeoutMs: 100 } });
    const user = await joinUser(mesh.engines[0]);
    expect((await user.closed).code).toBe(1006);
    await until(() => mesh!.engines[0].stats().connections === 0);
  });

  test('0 disables the idle timeout', async () => {
    mesh = await startDevMesh({ api: { idleTimeoutMs: 0 }, protocol: { idleTimeoutMs: 0 } });
    const worker = await connect(mesh.engines[0].apiUrl);
    const user = await connect(mesh.engines[0].protocolUrl);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([worker.ws.readyState, user.ws.readyState]).toEqual([worker.ws.OPEN, user.ws.OPEN]);
  });
});

describe('frame limits', () => {
  test('an end-user frame over protocol.maxPayloadBytes closes only that connection (1009)', async () => {
    mesh = await startDevMesh({ protocol: { maxPayloadBytes: 16 } });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['foo']);
    const big = await joinUser(mesh.engines[0]);
    const small = await joinUser(mesh.engines[0]);
    big.send('x'.repeat(17));
    expect((await big.closed).code).toBe(1009);
    small.send('x'.repeat(16));
    expect((await worker.event()).p).toMatchObject({ c: small.clientId, d: { msg: 'x'.repeat(16) } });
    expect(await worker.call('server.ping', [])).toMatchObject({ r: { s: 'server.pong' } });
  });
});
