// The handler as a platform calls it (a `Request` in, a `Response` out), against a v1.0.3 dev mesh
// with access control, an end user subscribed to the room on the other end.
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import handler, { type Env } from '../src/handler.ts';

let mesh: DevMesh | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await mesh?.close();
  mesh = undefined;
});

const user = { username: 'edge', password: 'edge-secret', roles: ['write' as const] };

async function meshWithRoomMember(room: string) {
  mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.3', access: { users: [user] } });
  const engine = mesh.engines[1]!;
  const ws = new WebSocket(engine.protocolUrl);
  sockets.push(ws);
  const frames: string[] = [];
  ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await expect.poll(() => engine.clients().length).toBe(1);
  engine.clients()[0]!.subscribe(room);
  return { mesh, frames };
}

const post = (body: unknown) =>
  new Request('https://edge.example/publish', { method: 'POST', body: JSON.stringify(body) });

describe('the serverless publish handler', () => {
  it('publishes to the room through the REST endpoint of either engine', async () => {
    const { mesh: m, frames } = await meshWithRoomMember('room1');
    const env: Env = {
      CONNMIX_REST_URL: m.engines.map((engine) => `http://${engine.apiAddress}`).join(','),
      CONNMIX_USER: user.username,
      CONNMIX_PASSWORD: user.password,
    };
    const response = await handler.fetch(post({ room: 'room1', text: 'from the edge' }), env);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: 1, fail: 0, total: 1 });
    await expect.poll(() => frames).toEqual(['from the edge']);
  });

  it('answers 400 for a bad room and 502, without the password, for refused credentials', async () => {
    const { mesh: m } = await meshWithRoomMember('room1');
    const base = { CONNMIX_REST_URL: `http://${m.engines[0]!.apiAddress}`, CONNMIX_USER: user.username };
    const bad = await handler.fetch(post({ room: 'two words', text: 'x' }), {
      ...base,
      CONNMIX_PASSWORD: user.password,
    });
    expect(bad.status).toBe(400);
    const refused = await handler.fetch(post({ room: 'room1', text: 'x' }), {
      ...base,
      CONNMIX_PASSWORD: 'wrong-edge-pw',
    });
    expect(refused.status).toBe(502);
    const text = await refused.text();
    expect(text).toMatch(/HTTP 401/);
    expect(text).not.toMatch(/wrong-edge-pw/);
  });
});
