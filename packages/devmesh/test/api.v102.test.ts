import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh } from '../src/index.ts';
import { closeAllClients, connect, joinUser, type Client } from '@connmix/test-support/wsClients';

let mesh: DevMesh;
let worker: Client;

beforeEach(async () => {
  mesh = await startDevMesh({ engines: 1, dialect: 'v1.0.2' });
  worker = await connect(mesh.engines[0].apiUrl);
});
afterEach(async () => {
  await closeAllClients();
  await mesh.close();
});

describe('v1.0.2 API', () => {
  test('server.ping answers server.pong with the request id', async () => {
    expect(await worker.call('server.ping', [], 12345)).toEqual({
      E: null,
      r: { s: 'server.pong' },
      i: 12345,
    });
  });

  test('queue.pop answers {s:true}, then each pushed message arrives as an event, without n', async () => {
    expect(await worker.call('queue.pop', ['foo'], 1)).toEqual({ E: null, r: { s: true }, i: 1 });
    const user = await joinUser(mesh.engines[0]);
    user.send('hello');
    const event = await worker.event();
    expect(event).toEqual({
      e: 'queue.pop',
      p: { c: user.clientId, t: 'foo', d: { ctx: [], msg: 'hello' } },
      id: null,
    });
    // the raw text carries the id as a string, and the id is one a double cannot hold
    expect(BigInt(Number(user.clientId))).not.toBe(BigInt(user.clientId));
  });

  test('messages pushed before anyone pops wait in the queue; the answer comes before them', async () => {
    const user = await joinUser(mesh.engines[0]);
    user.send('one');
    user.send('two');
    await expect.poll(() => mesh.engines[0].stats().topics['foo']?.depth).toBe(2);
    worker.send({ m: 'queue.pop', p: ['foo'], i: 9 });
    expect(await worker.json()).toEqual({ E: null, r: { s: true }, i: 9 });
    expect((await worker.json())['p']).toMatchObject({ d: { msg: 'one' } });
    expect((await worker.json())['p']).toMatchObject({ d: { msg: 'two' } });
  });

  test('popping a topic twice on one socket is 202; another socket may pop it', async () => {
    await worker.call('queue.pop', ['foo', 'bar'], 1);
    const again = await worker.call('queue.pop', ['bar'], 2);
    expect(again).toMatchObject({ E: { c: 202 }, i: 2 });
    expect(typeof (again['E'] as { m: unknown }).m).toBe('string');
    const other = await connect(mesh.engines[0].apiUrl);
    expect(await other.call('queue.pop', ['bar'], 3)).toEqual({ E: null, r: { s: true }, i: 3 });
  });

  test('queue.unpop cancels every topic: messages wait again', async () => {
    await worker.call('queue.pop', ['foo'], 1);
    expect(await worker.call('queue.unpop', [], 2)).toEqual({ E: null, r: { s: true }, i: 2 });
    expect(mesh.engines[0].stats().consumers).toBe(0);
    const user = await joinUser(mesh.engines[0]);
    user.send('later');
    await expect.poll(() => mesh.engines[0].stats().topics['foo']?.depth).toBe(1);
    expect(await worker.frames.silentFor(100)).toBe(true);
    // popping again after unpop is allowed (no 202)
    expect(await worker.call('queue.pop', ['foo'], 3)).toMatchObject({ E: null, i: 3 });
  });

  test('competing consumers: each message goes to one of the sockets popping the topic', async () => {
    const other = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['foo']);
    await other.call('queue.pop', ['foo']);
    const user = await joinUser(mesh.engines[0]);
    for (const msg of ['a', 'b', 'c', 'd']) user.send(msg);
    const mine = [await worker.event(), await worker.event()].map((e) => (e.p['d'] as { msg: string }).msg);
    const theirs = [await other.event(), await other.event()].map((e) => (e.p['d'] as { msg: string }).msg);
    expect([...mine, ...theirs].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(mine).toEqual(['a', 'c']);
    expect(await worker.frames.silentFor(50)).toBe(true);
  });

  test('conn.call set_context_value and set_context change the context the entry pushes', async () => {
    await worker.call('queue.pop', ['foo']);
    const user = await joinUser(mesh.engines[0]);
    const set = await worker.call(
      'conn.call',
      [{ c: user.clientId, f: 'set_context_value', a: ['uid', 10000] }],
      5,
    );
    expect(set).toEqual({ E: null, r: { s: true }, i: 5 });
    user.send('x');
    expect((await worker.event()).p['d']).toEqual({ ctx: { uid: 10000 }, msg: 'x' });
    await worker.call('conn.call', [{ c: user.clientId, f: 'set_context', a: [{ name: 'ann', room: 1 }] }]);
    user.send('y');
    expect((await worker.event()).p['d']).toEqual({ ctx: { name: 'ann', room: 1 }, msg: 'y' });
  });

  test('conn.call subscribe and unsubscribe decide who gets mesh.publish', async () => {
    const a = await joinUser(mesh.engines[0]);
    const b = await joinUser(mesh.engines[0]);
    expect(
      await worker.call('conn.call', [{ c: a.clientId, f: 'subscribe', a: ['room1', 'room2'] }]),
    ).toMatchObject({
      r: { s: true },
    });
    await worker.call('conn.call', [{ c: b.clientId, f: 'subscribe', a: ['room1'] }]);
    expect(await worker.call('mesh.publish', [{ c: 'room1', d: 'to room1' }], 7)).toEqual({
      E: null,
      r: { s: true, f: 0, t: 2 },
      i: 7,
    });
    expect(await a.frames.next()).toBe('to room1');
    expect(await b.frames.next()).toBe('to room1');
    await worker.call('conn.call', [{ c: b.clientId, f: 'unsubscribe', a: ['room1'] }]);
    expect(await worker.call('mesh.publish', [{ c: 'room1', d: 'again' }])).toMatchObject({
      r: { s: true, f: 0, t: 1 },
    });
    expect(await a.frames.next()).toBe('again');
    expect(await b.frames.silentFor(50)).toBe(true);
    expect(await worker.call('mesh.publish', [{ c: 'nobody', d: 'x' }])).toMatchObject({
      r: { s: true, f: 0, t: 0 },
    });
  });

  test('conn.call is 301 for a client not on this engine and for an unknown function', async () => {
    const missing = await worker.call(
      'conn.call',
      [{ c: '1463784730422935552', f: 'subscribe', a: ['r'] }],
      8,
    );
    expect(missing).toMatchObject({ E: { c: 301 }, i: 8 });
    const user = await joinUser(mesh.engines[0]);
    const unknown = await worker.call('conn.call', [{ c: user.clientId, f: 'kick', a: [] }], 9);
    expect(unknown).toMatchObject({ E: { c: 301 }, i: 9 });
    expect((unknown['E'] as { m: string }).m).toMatch(/unknown function kick/);
  });

  test('mesh.send delivers a text frame and answers {s:true,f:0,t:1}; 401 once the client is gone', async () => {
    const user = await joinUser(mesh.engines[0]);
    expect(await worker.call('mesh.send', [{ c: user.clientId, d: 'hi there' }], 10)).toEqual({
      E: null,
      r: { s: true, f: 0, t: 1 },
      i: 10,
    });
    expect(await user.frames.next()).toBe('hi there');
    await user.close();
    await expect.poll(() => mesh.engines[0].stats().connections).toBe(0);
    expect(await worker.call('mesh.send', [{ c: user.clientId, d: 'x' }], 11)).toMatchObject({
      E: { c: 401 },
      i: 11,
    });
  });

  test('101 for malformed params, with the request id; the socket stays open', async () => {
    expect(await worker.call('queue.pop', [], 20)).toMatchObject({ E: { c: 101 }, i: 20 });
    expect(await worker.call('conn.call', [{ c: 'not-an-id', f: 'subscribe', a: ['x'] }], 21)).toMatchObject({
      E: { c: 101 },
      i: 21,
    });
    expect(await worker.call('mesh.send', [{ c: '1', d: 5 }], 22)).toMatchObject({ E: { c: 101 }, i: 22 });
    expect(await worker.call('mesh.publish', [{ c: 'has space', d: 'x' }], 23)).toMatchObject({
      E: { c: 101 },
      i: 23,
    });
    expect(await worker.call('no.such.method', [], 24)).toMatchObject({ E: { c: 101 }, i: 24 });
    worker.send('{"m":"server.ping","i":25,');
    expect(await worker.json()).toMatchObject({ E: { c: 101 }, i: 25 });
    worker.send('garbage');
    expect(await worker.json()).toMatchObject({ E: { c: 101 }, i: null });
    worker.ws.send(Buffer.from('{}'), { binary: true });
    expect(await worker.json()).toMatchObject({ E: { c: 101 }, i: null });
    expect(await worker.call('server.ping', [], 26)).toEqual({ E: null, r: { s: 'server.pong' }, i: 26 });
  });

  test("accepts the seed's mesh.send with id instead of i, answering with i", async () => {
    const user = await joinUser(mesh.engines[0]);
    worker.send(`{"m":"mesh.send","p":[{"c":"${user.clientId}","d":"123456789"}],"id":12345}`);
    expect(await worker.json()).toEqual({ E: null, r: { s: true, f: 0, t: 1 }, i: 12345 });
    expect(await user.frames.next()).toBe('123456789');
  });

  test("accepts the PHP client's bare objects and numeric client ids, read exactly above 2^53", async () => {
    const user = await joinUser(mesh.engines[0]);
    // the id as a bare JSON number: JSON.parse alone would round it to another client
    worker.send(`{"m":"conn.call","p":{"c":${user.clientId},"f":"subscribe","a":["room1"]},"i":3}`);
    expect(await worker.json()).toEqual({ E: null, r: { s: true }, i: 3 });
    expect(mesh.engines[0].client(user.clientId)?.channels()).toEqual(['room1']);
    worker.send('{"m":"mesh.publish","p":{"c":"room1","d":"hi"},"i":4}');
    expect(await worker.json()).toEqual({ E: null, r: { s: true, f: 0, t: 1 }, i: 4 });
    expect(await user.frames.next()).toBe('hi');
    worker.send(`{"m":"mesh.send","p":{"c":${user.clientId},"d":"exact"},"i":5}`);
    expect(await worker.json()).toMatchObject({ E: null, i: 5 });
    expect(await user.frames.next()).toBe('exact');
  });

  test('the v1.0.3 text ping is not part of v1.0.2 (101); a WebSocket ping frame still gets a pong', async () => {
    worker.send('ping');
    expect(await worker.json()).toMatchObject({ E: { c: 101 }, i: null });
    worker.ws.ping();
    expect(await worker.pongs.next()).toBe(true);
  });

  test('REST mesh routes do not exist in v1.0.2', async () => {
    const base = mesh.engines[0].apiUrl.replace('ws://', 'http://').replace('/ws/v1', '');
    const response = await fetch(`${base}/v1/mesh/send`, { method: 'POST', body: '{"c":"1","d":"x"}' });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
