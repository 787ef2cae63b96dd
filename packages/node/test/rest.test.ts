// The REST publisher of @connmix/core on Node's own fetch, against the v1.0.3 REST endpoints of a
// dev mesh: results, errors, credentials and failover between engines.
import { startDevMesh, type DevMesh, type DevMeshOptions } from '@connmix/devmesh';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection } from '@connmix/test-support/rejection';
import { joinUser } from '@connmix/test-support/wsClients';
import {
  AbortError,
  ConnmixError,
  createRestClient,
  ErrorCode,
  ServerError,
  TimeoutError,
  ValidationError,
  type RestFetch,
} from '../src/index.ts';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
});

async function devMesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  mesh = await startDevMesh({ engines: 1, dialect: 'v1.0.3', ...options });
  return mesh;
}

/** `http://HOST:PORT` of an engine's API server, where the REST endpoints are. */
const restBase = (m: DevMesh, index = 0) => `http://${m.engines[index]!.apiAddress}`;

/** Node's fetch, with every URL it was called with. */
function countingFetch(): { fetch: RestFetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (url, init) => {
      urls.push(url);
      return fetch(url, init as RequestInit);
    },
  };
}

describe('createRestClient on Node fetch, against the dev mesh', () => {
  it('sends text to one connection and publishes it to a room', async () => {
    const m = await devMesh();
    const user = await joinUser(m.engines[0]!);
    const rest = createRestClient({ url: restBase(m) });
    expect(await rest.send(user.clientId, 'to you')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await user.frames.next()).toBe('to you');
    m.engines[0]!.client(user.clientId)!.subscribe('room1');
    expect(await rest.publish('room1', 'to the room')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await user.frames.next()).toBe('to the room');
    expect(await rest.publish('empty-room', 'nobody')).toEqual({ success: 0, fail: 0, total: 0 });
  });

  it('sends bytes as a binary frame (base64 on the wire)', async () => {
    const m = await devMesh();
    const user = await joinUser(m.engines[0]!);
    m.engines[0]!.client(user.clientId)!.subscribe('bytes');
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    // The platform fetch fits the option as it is.
    const rest = createRestClient({ url: restBase(m), fetch: globalThis.fetch });
    expect(await rest.publish('bytes', bytes)).toEqual({ success: 1, fail: 0, total: 1 });
    const frame = await user.frames.next();
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect([...(frame as Buffer)]).toEqual([...bytes]);
    await rest.send(user.clientId, bytes);
    expect([...((await user.frames.next()) as Buffer)]).toEqual([...bytes]);
  });

  it('rejects bad input with ValidationError before any request', async () => {
    const m = await devMesh();
    const counted = countingFetch();
    const rest = createRestClient({ url: restBase(m), fetch: counted.fetch });
    const cases: Array<() => Promise<unknown>> = [
      () => rest.send('not-a-number', 'x'),
      () => rest.send(1463786910324359168 as unknown as string, 'x'),
      () => rest.publish('has space', 'x'),
      () => rest.publish('', 'x'),
      () => rest.publish('room', 42 as unknown as string),
      () => rest.publish('room', 'x', { timeoutMs: -1 }),
    ];
    for (const call of cases) expect(await rejection(call())).toBeInstanceOf(ValidationError);
    expect(counted.urls).toEqual([]);
    expect(m.engines[0]!.stats().counters.restRequests).toBe(0);
    expect(() => createRestClient({ url: 'ws://127.0.0.1:1/ws/v1' })).toThrow(ValidationError);
    expect(() => createRestClient({ urls: [] })).toThrow(ValidationError);
  });

  it('rejects an E answer with ServerError', async () => {
    const m = await devMesh();
    const rest = createRestClient({ url: restBase(m) });
    const error = await rejection(rest.send('1463786910324359168', 'to nobody'));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: ErrorCode.SendFailed, method: 'mesh.send' });
  });

  it('a REST call to a v1.0.2 engine (no REST endpoints) says HTTP 404', async () => {
    const m = await devMesh({ dialect: 'v1.0.2' });
    const error = await rejection(createRestClient({ url: restBase(m) }).publish('room', 'x'));
    expect(error).toBeInstanceOf(ConnmixError);
    expect(error.message).toMatch(/HTTP 404/);
  });

  describe('HTTP Basic', () => {
    const users = [{ username: 'pub', password: 's3cr:et pw', roles: ['write' as const] }];

    it('from auth or from the URL; a refusal never shows the password', async () => {
      const m = await devMesh({ access: { users } });
      const base = restBase(m);
      const fromAuth = createRestClient({ url: base, auth: { username: 'pub', password: 's3cr:et pw' } });
      expect(await fromAuth.publish('room', 'x')).toEqual({ success: 0, fail: 0, total: 0 });
      const inUrl = base.replace('http://', `http://pub:${encodeURIComponent('s3cr:et pw')}@`);
      const fromUrl = createRestClient({ url: inUrl });
      expect(fromUrl.urls).toEqual([base]);
      expect(await fromUrl.publish('room', 'x')).toEqual({ success: 0, fail: 0, total: 0 });

      const wrongInUrl = base.replace('http://', 'http://pub:wrong-password-123@');
      for (const rest of [
        createRestClient({ url: base }),
        createRestClient({ url: base, auth: { username: 'pub', password: 'wrong-password-123' } }),
        createRestClient({ url: wrongInUrl }),
      ]) {
        const error = await rejection(rest.publish('room', 'x'));
        expect(error).toBeInstanceOf(ConnmixError);
        expect(error.message).toMatch(/HTTP 401/);
        expect(`${error.message} ${String(error.stack)}`).not.toMatch(/wrong-password-123/);
      }
    });

    it('a read-only user gets the ServerError of a refused write', async () => {
      const m = await devMesh({ access: { users: [{ username: 'ro', password: 'ro', roles: ['read'] }] } });
      const rest = createRestClient({ url: restBase(m), auth: { username: 'ro', password: 'ro' } });
      expect(await rejection(rest.publish('room', 'x'))).toBeInstanceOf(ServerError);
    });
  });

  describe('deadlines and aborts', () => {
    it('rejects with TimeoutError when the engine never answers, and does not retry elsewhere', async () => {
      const m = await devMesh({ engines: 2 });
      m.engines[0]!.freeze();
      const counted = countingFetch();
      const rest = createRestClient({
        urls: [restBase(m, 0), restBase(m, 1)],
        fetch: counted.fetch,
        timeoutMs: 300,
      });
      const error = await rejection(rest.publish('room', 'x'));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ timeoutMs: 300 });
      expect(counted.urls).toEqual([`${restBase(m, 0)}/v1/mesh/publish`]);
    });

    it('rejects with AbortError when the signal fires, or before any request when it already has', async () => {
      const m = await devMesh();
      m.engines[0]!.freeze();
      const counted = countingFetch();
      const rest = createRestClient({ url: restBase(m), fetch: counted.fetch });
      const controller = new AbortController();
      const pending = rest.send('1', 'x', { signal: controller.signal });
      controller.abort(new Error('user gave up'));
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(AbortError);
      expect((error.cause as Error).message).toBe('user gave up');
      expect(counted.urls).toHaveLength(1);
      const already = await rejection(rest.send('1', 'x', { signal: AbortSignal.abort() }));
      expect(already).toBeInstanceOf(AbortError);
      expect(counted.urls).toHaveLength(1);
    });
  });

  describe('several engines', () => {
    it('spreads calls over the engines', async () => {
      const m = await devMesh({ engines: 2 });
      const rest = createRestClient({ urls: [restBase(m, 0), restBase(m, 1)] });
      for (let i = 0; i < 4; i++) await rest.publish('room', `n${i}`);
      expect(m.engines.map((engine) => engine.stats().counters.restRequests)).toEqual([2, 2]);
    });

    it('moves on to the next engine when one refuses the connection', async () => {
      const m = await devMesh({ engines: 2 });
      const down = restBase(m, 0);
      await m.engines[0]!.stop();
      const user = await joinUser(m.engines[1]!);
      const counted = countingFetch();
      const rest = createRestClient({ urls: [down, restBase(m, 1)], fetch: counted.fetch });
      expect(await rest.send(user.clientId, 'failed over')).toEqual({ success: 1, fail: 0, total: 1 });
      expect(await user.frames.next()).toBe('failed over');
      expect(counted.urls).toEqual([`${down}/v1/mesh/send`, `${restBase(m, 1)}/v1/mesh/send`]);
    });

    it('says so when every engine refuses', async () => {
      const m = await devMesh({ engines: 2 });
      const urls = [restBase(m, 0), restBase(m, 1)];
      await Promise.all(m.engines.map((engine) => engine.stop()));
      const error = await rejection(createRestClient({ urls }).publish('room', 'x'));
      expect(error).toBeInstanceOf(ConnmixError);
      expect(error.message).toMatch(/every engine refused the connection/);
    });

    it('does not move on after a connection that reached the engine was reset', async () => {
      const m = await devMesh({ engines: 2 });
      const counted = countingFetch();
      const rest = createRestClient({ urls: [restBase(m, 0), restBase(m, 1)], fetch: counted.fetch });
      m.engines[0]!.delay(60_000);
      const pending = rest.publish('room', 'x');
      // The engine has run the request and holds its answer: the publish happened.
      await expect.poll(() => m.engines[0]!.stats().counters.restRequests).toBe(1);
      await m.engines[0]!.stop();
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(ConnmixError);
      expect(error).not.toBeInstanceOf(TimeoutError);
      expect(error.message).toMatch(/other side closed|socket/i);
      expect(counted.urls).toHaveLength(1);
      expect(m.engines[1]!.stats().counters.restRequests).toBe(0);
    });
  });
});
