import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser, type Client } from '@connmix/test-support/wsClients';

let mesh: DevMesh;
let worker: Client;

const httpBase = (m: DevMesh, index = 0) =>
  m.engines[index]!.apiUrl.replace('ws://', 'http://').replace('/ws/v1', '');
async function post(path: string, body: string, init: RequestInit = {}) {
  const response = await fetch(`${httpBase(mesh)}${path}`, { method: 'POST', body, ...init });
  return { status: response.status, body: (await response.json()) as unknown };
}

beforeEach(async () => {
  mesh = await startDevMesh({ engines: 1, dialect: 'v1.0.3' });
  worker = await connect(mesh.engines[0].apiUrl);
});
afterEach(async () => {
  await closeAllClients();
  await mesh.close();
});

describe('v1.0.3 API', () => {
  test("the text frame 'ping' gets the text frame 'pong'; a ping frame gets a pong frame", async () => {
    worker.send('ping');
    expect(await worker.frames.next()).toBe('pong');
    worker.ws.ping();
    expect(await worker.pongs.next()).toBe(true);
  });

  test('server.ping was removed: 101', async () => {
    const answer = await worker.call('server.ping', {}, 3);
    expect(answer).toMatchObject({ E: { c: 101 }, i: 3 });
  });

  test('queue.pop takes {t:[...]} and events carry the node id n as a number', async () => {
    expect(await worker.call('queue.pop', { t: ['foo'] }, 1)).toEqual({ E: null, r: { s: true }, i: 1 });
    expect(await worker.call('queue.pop', { t: ['foo'] }, 2)).toMatchObject({ E: { c: 202 }, i: 2 });
    const user = await joinUser(mesh.engines[0]);
    user.send('hello');
    const raw = String(await worker.frames.next());
    expect(raw).toContain('"n":1,');
    expect(JSON.parse(raw)).toEqual({
      e: 'queue.pop',
      p: { n: 1, c: user.clientId, t: 'foo', d: { ctx: [], msg: 'hello' } },
      id: null,
    });
    expect(await worker.call('queue.unpop', {}, 4)).toEqual({ E: null, r: { s: true }, i: 4 });
  });

  test('conn.call takes a bare object', async () => {
    const user = await joinUser(mesh.engines[0]);
    const answer = await worker.call(
      'conn.call',
      { c: user.clientId, f: 'set_context_value', a: ['uid', 'u1'] },
      5,
    );
    expect(answer).toEqual({ E: null, r: { s: true }, i: 5 });
    expect(mesh.engines[0].client(user.clientId)?.context()).toEqual({ uid: 'u1' });
  });

  test('mesh.send answers {s:true}; type binary sends the base64 data as a binary frame', async () => {
    const user = await joinUser(mesh.engines[0]);
    expect(await worker.call('mesh.send', { c: user.clientId, d: 'text', t: 'text' }, 6)).toEqual({
      E: null,
      r: { s: true },
      i: 6,
    });
    expect(await user.frames.next()).toBe('text');
    await worker.call('mesh.send', { c: user.clientId, d: 'aGVsbG8=', t: 'binary' });
    const frame = await user.frames.next();
    expect(Buffer.isBuffer(frame) && frame.toString('utf8')).toBe('hello');
    expect(await worker.call('mesh.send', { c: '1463786910324359168', d: 'x' }, 7)).toMatchObject({
      E: { c: 401 },
      i: 7,
    });
  });

  test('mesh.publish answers {s:DELIVERED,f:FAILED} with numbers', async () => {
    const a = await joinUser(mesh.engines[0]);
    const b = await joinUser(mesh.engines[0]);
    for (const user of [a, b])
      await worker.call('conn.call', { c: user.clientId, f: 'subscribe', a: ['room1'] });
    expect(await worker.call('mesh.publish', { c: 'room1', d: 'hi' }, 8)).toEqual({
      E: null,
      r: { s: 2, f: 0 },
      i: 8,
    });
    expect(await a.frames.next()).toBe('hi');
    expect(await b.frames.next()).toBe('hi');
  });

  test('REST POST /v1/mesh/send and /v1/mesh/publish', async () => {
    const user = await joinUser(mesh.engines[0]);
    expect(await post('/v1/mesh/send', JSON.stringify({ c: user.clientId, d: 'via rest' }))).toEqual({
      status: 200,
      body: { E: null, r: { s: true } },
    });
    expect(await user.frames.next()).toBe('via rest');
    await worker.call('conn.call', { c: user.clientId, f: 'subscribe', a: ['room9'] });
    expect(await post('/v1/mesh/publish', '{"c":"room9","d":"all","t":"text"}')).toEqual({
      status: 200,
      body: { E: null, r: { s: 1, f: 0 } },
    });
    expect(await user.frames.next()).toBe('all');
    // a numeric client id is read exactly
    expect(await post('/v1/mesh/send', `{"c":${user.clientId},"d":"exact"}`)).toMatchObject({
      body: { E: null },
    });
    expect(await user.frames.next()).toBe('exact');
  });

  test('REST errors: 101 for a bad body, 401 for a gone client; wrong method and route', async () => {
    expect(await post('/v1/mesh/send', '{"c":"1"}')).toMatchObject({ status: 200, body: { E: { c: 101 } } });
    expect(await post('/v1/mesh/send', 'nope')).toMatchObject({ body: { E: { c: 101 } } });
    expect(await post('/v1/mesh/send', '{"c":"1463786910324359168","d":"x"}')).toMatchObject({
      body: { E: { c: 401 } },
    });
    const get = await fetch(`${httpBase(mesh)}/v1/mesh/send`);
    expect(get.status).toBe(405);
    await get.body?.cancel();
    expect((await post('/v1/mesh/other', '{}')).status).toBe(404);
  });

  test('GET /metrics reports the engine in the Prometheus text format', async () => {
    await worker.call('queue.pop', { t: ['foo'] });
    const response = await fetch(`${httpBase(mesh)}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('connmix_queue_consumers{node="1"} 1');
    expect(text).toContain('connmix_topic_consumers{node="1",topic="foo"} 1');
  });
});
