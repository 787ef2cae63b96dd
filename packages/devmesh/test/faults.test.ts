import { afterEach, describe, expect, test, vi } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser, until } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

async function nodes(m: DevMesh): Promise<unknown> {
  const response = await fetch(`${m.center.url}/v1/nodes`);
  return ((await response.json()) as { nodes: Array<{ id: unknown }> }).nodes.map((n) => n.id);
}

/** Resolves 'open' or 'pending' after `ms`: a connection to a frozen engine never opens. */
function openWithin(url: string, ms: number): Promise<'open' | 'pending'> {
  return Promise.race([
    connect(url).then(() => 'open' as const),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

describe('stop and start', () => {
  test('a stopped engine drops every socket, leaves the center and comes back on the same node id and ports', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const engine = mesh.engines[1]!;
    const { apiUrl, protocolUrl } = engine;
    const worker = await connect(apiUrl);
    await worker.call('queue.pop', ['foo']);
    const user = await joinUser(engine);
    await engine.stop();
    expect(engine.running).toBe(false);
    expect((await worker.closed).code).toBe(1006);
    expect((await user.closed).code).toBe(1006);
    expect(await nodes(mesh)).toEqual([1]);
    expect(engine.stats()).toMatchObject({ state: 'stopped', connections: 0, apiSockets: 0 });
    await expect(connect(apiUrl)).rejects.toThrow();

    await engine.start();
    expect([engine.apiUrl, engine.protocolUrl, engine.node]).toEqual([apiUrl, protocolUrl, '2']);
    expect(await nodes(mesh)).toEqual([1, 2]);
    const again = await connect(apiUrl);
    // the queue was in memory: nobody pops any more, nothing is left
    expect(engine.stats().topics).toEqual({});
    expect(await again.call('queue.pop', ['foo'])).toMatchObject({ E: null });
    const next = await joinUser(engine);
    next.send('after restart');
    expect((await again.event()).p).toMatchObject({ c: next.clientId, d: { msg: 'after restart' } });
  });

  test('a client on a stopped engine is gone for mesh.send (401)', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const user = await joinUser(mesh.engines[1]!);
    await mesh.engines[1]!.stop();
    const worker = await connect(mesh.engines[0].apiUrl);
    expect(await worker.call('mesh.send', [{ c: user.clientId, d: 'x' }])).toMatchObject({ E: { c: 401 } });
  });

  test('an engine of a closed mesh cannot start again', async () => {
    const closed = await startDevMesh();
    await closed.close();
    await expect(closed.engines[0].start()).rejects.toThrow(/closed mesh/);
    expect(closed.engines[0].running).toBe(false);
  });

  test('start and stop are idempotent and serialized', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    await Promise.all([engine.stop(), engine.stop(), engine.start(), engine.start()]);
    expect(engine.running).toBe(true);
    const worker = await connect(engine.apiUrl);
    expect(await worker.call('server.ping', [])).toMatchObject({ r: { s: 'server.pong' } });
  });
});

describe('dropApiSockets', () => {
  test('drops every API socket abruptly, or with a close code; end users stay', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    const a = await connect(engine.apiUrl);
    const b = await connect(engine.apiUrl);
    const user = await connect(engine.protocolUrl);
    expect(engine.dropApiSockets()).toBe(2);
    expect([(await a.closed).code, (await b.closed).code]).toEqual([1006, 1006]);
    const c = await connect(engine.apiUrl);
    expect(engine.dropApiSockets({ code: 4001, reason: 'maintenance' })).toBe(1);
    expect(await c.closed).toEqual({ code: 4001, reason: 'maintenance' });
    expect(user.ws.readyState).toBe(user.ws.OPEN);
    await until(() => engine.stats().apiSockets === 0);
  });
});

describe('freeze', () => {
  test('a frozen engine reads and answers nothing, keeps the sockets open, and holds new ones', async () => {
    mesh = await startDevMesh({ dialect: 'v1.0.3', api: { idleTimeoutMs: 100 } });
    const engine = mesh.engines[0];
    const worker = await connect(engine.apiUrl);
    await worker.call('queue.pop', { t: ['foo'] });
    engine.freeze();
    expect(engine.stats().state).toBe('frozen');
    worker.send('ping');
    worker.send({ m: 'queue.unpop', p: {}, i: 1 });
    worker.ws.ping();
    const user = await connect(engine.protocolUrl);
    user.send('lost in the void');
    expect(await worker.frames.silentFor(250)).toBe(true);
    expect(worker.pongs.size).toBe(0);
    // past the idle timeout, and still open: a half-open socket is never closed by the server
    expect(worker.ws.readyState).toBe(worker.ws.OPEN);
    expect(await openWithin(engine.apiUrl, 150)).toBe('pending');
    const rest = await Promise.race([
      fetch(engine.apiUrl.replace('ws://', 'http://').replace('/ws/v1', '/v1/mesh/publish'), {
        method: 'POST',
        body: '{"c":"x","d":"y"}',
      }).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 100)),
    ]);
    expect(rest).toBe('no answer');

    engine.unfreeze();
    expect((await worker.closed).code).toBe(1006);
    const fresh = await connect(engine.apiUrl);
    fresh.send('ping');
    expect(await fresh.frames.next()).toBe('pong');
  });

  test('stop() while frozen closes the held sockets too', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    engine.freeze();
    const pending = connect(engine.apiUrl).catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.stop();
    expect(await pending).toMatch(/socket hang up|ECONNRESET|closed/);
  });
});

describe('delay', () => {
  test('answers, events and pongs wait, in order; delay(0) ends it', async () => {
    mesh = await startDevMesh({ dialect: 'v1.0.3' });
    const engine = mesh.engines[0];
    const worker = await connect(engine.apiUrl);
    engine.delay(150);
    const started = Date.now();
    worker.send('ping');
    worker.send({ m: 'queue.pop', p: { t: ['foo'] }, i: 2 });
    expect(await worker.frames.next()).toBe('pong');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await worker.json()).toMatchObject({ E: null, i: 2 });
    worker.ws.ping();
    await worker.pongs.next();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    // Held for a minute, far past the test's deadline, unless delay(0) ends the delay.
    engine.delay(60_000);
    engine.delay(0);
    worker.send('ping');
    expect(await worker.frames.next()).toBe('pong');
  });

  test('rejects a negative delay', async () => {
    mesh = await startDevMesh();
    expect(() => mesh!.engines[0].delay(-1)).toThrow(RangeError);
  });
});

describe('injectRaw', () => {
  test('sends a frame as is to every API socket', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    const a = await connect(engine.apiUrl);
    const b = await connect(engine.apiUrl);
    const frame = '{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","d":{}},"id":null}';
    expect(engine.injectRaw(frame)).toBe(2);
    expect(await a.frames.next()).toBe(frame);
    expect(await b.frames.next()).toBe(frame);
    engine.injectRaw(new Uint8Array([0xff, 0x00]));
    expect([...((await a.frames.next()) as Buffer)]).toEqual([0xff, 0x00]);
    expect(engine.stats().counters.apiFramesOut).toBe(4);
  });
});

describe('failNext', () => {
  test('answers the next requests of a method with the given error code', async () => {
    mesh = await startDevMesh();
    const engine = mesh.engines[0];
    const worker = await connect(engine.apiUrl);
    engine.failNext('queue.unpop', { code: 203, message: 'cancel failed', count: 2 });
    expect(await worker.call('queue.unpop', [], 1)).toEqual({ E: { c: 203, m: 'cancel failed' }, i: 1 });
    expect(await worker.call('server.ping', [], 2)).toMatchObject({ E: null });
    expect(await worker.call('queue.unpop', [], 3)).toMatchObject({ E: { c: 203 } });
    expect(await worker.call('queue.unpop', [], 4)).toMatchObject({ E: null });
    engine.failNext('*', { code: 999 });
    expect(await worker.call('server.ping', [], 5)).toEqual({ E: { c: 999, m: 'injected failure' }, i: 5 });
  });
});

describe('partition', () => {
  test('mesh traffic across a partition fails; each side still reaches its own end users', async () => {
    mesh = await startDevMesh({ engines: 2 });
    const [one, two] = mesh.engines as [DevMesh['engines'][0], DevMesh['engines'][0]];
    const u1 = await joinUser(one);
    const u2 = await joinUser(two);
    const w1 = await connect(one.apiUrl);
    const w2 = await connect(two.apiUrl);
    await w1.call('conn.call', [{ c: u1.clientId, f: 'subscribe', a: ['all'] }]);
    await w2.call('conn.call', [{ c: u2.clientId, f: 'subscribe', a: ['all'] }]);
    two.partition();
    expect(await w1.call('mesh.send', [{ c: u2.clientId, d: 'x' }])).toMatchObject({ E: { c: 401 } });
    expect(await w1.call('mesh.publish', [{ c: 'all', d: 'half' }])).toMatchObject({
      r: { s: true, f: 1, t: 2 },
    });
    expect(await w2.call('mesh.send', [{ c: u2.clientId, d: 'local' }])).toMatchObject({ E: null });
    expect(await u1.frames.next()).toBe('half');
    expect(await u2.frames.next()).toBe('local');
    two.heal();
    expect(await w1.call('mesh.publish', [{ c: 'all', d: 'whole' }])).toMatchObject({
      r: { s: true, f: 0, t: 2 },
    });
  });
});

describe('cleanup', () => {
  const sockets = () =>
    process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap' || kind === 'TCPSocketWrap');

  /**
   * Timers started from now on and still pending. Counting the process's timers would also count
   * the test runner's, which come and go on their own.
   */
  const spies: Array<{ mockRestore(): void }> = [];
  function trackTimers(): Set<unknown> {
    const pending = new Set<unknown>();
    const { setTimeout: set, clearTimeout: clear } = globalThis;
    const setSpy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      callback: (...args: unknown[]) => void,
      ms?: number,
      ...args: unknown[]
    ) => {
      const handle = set(() => {
        pending.delete(handle);
        callback(...args);
      }, ms);
      pending.add(handle);
      return handle;
    }) as typeof setTimeout);
    const clearSpy = vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
      pending.delete(handle);
      clear(handle);
    });
    spies.push(setSpy, clearSpy);
    return pending;
  }

  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  test('closing a busy mesh leaves no server, socket or timer behind', async () => {
    // Earlier tests' sockets may still be closing: they are not this test's to count.
    await until(() => sockets().length === 0);
    const timers = trackTimers();
    const busy = await startDevMesh({
      engines: 2,
      // Timers far longer than the test: one that leaked cannot expire before it is seen.
      api: { idleTimeoutMs: 60_000 },
      protocol: { idleTimeoutMs: 60_000 },
      entry: {
        async onMessage({ conn }) {
          await conn.waitContextValue('never', { timeoutMs: 60_000 });
        },
      },
    });
    const worker = await connect(busy.engines[0].apiUrl);
    await worker.call('queue.pop', ['foo']);
    const user = await connect(busy.engines[1]!.protocolUrl);
    user.send('waits');
    busy.engines[0].delay(60_000);
    worker.send({ m: 'server.ping', p: [], i: 1 }); // held by the delay
    busy.engines[1]!.freeze();
    const held = connect(busy.engines[1]!.apiUrl).catch(() => 'refused');
    await until(() => timers.size >= 4); // idle timers of both sockets, the login wait, the delay
    expect(sockets().length).toBeGreaterThan(0);
    await busy.close();
    await busy.close(); // twice is fine
    await held;
    await closeAllClients();
    await until(() => sockets().length === 0 && timers.size === 0);
    expect(sockets()).toEqual([]);
    expect(timers.size).toBe(0);
  });
});
