// Frames per second from an end user, through an entry, onto a queue and out to a worker: the
// JS default entry against Lua entries of both eras (the v1.0.2 one parses WebSocket in Lua).
// Each iteration sends BATCH frames and waits for all BATCH queue events; frames/s = BATCH x hz.
// Compare within one run: absolute numbers depend on the machine and its load.
import { fileURLToPath } from 'node:url';
import { afterAll, bench, describe } from 'vitest';
import { WebSocket } from 'ws';
import { defaultEntry, loadLuaEntry, startDevMesh, type DevMesh, type Entry } from '../src/index.ts';

const BATCH = 200;
const lua = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

interface Pipeline {
  mesh: DevMesh;
  /** Sends BATCH frames and resolves when the worker has received BATCH events. */
  batch(): Promise<void>;
  close(): Promise<void>;
}

function opened(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject));
}

async function pipeline(entry: Entry, path = ''): Promise<Pipeline> {
  const mesh = await startDevMesh({ entry });
  const worker = await opened(mesh.engines[0].apiUrl);
  let waiting = 0;
  let done: () => void = () => undefined;
  worker.on('message', (data: Buffer) => {
    if (!data.toString('utf8').startsWith('{"e":')) return;
    if (--waiting === 0) done();
  });
  worker.send(JSON.stringify({ m: 'queue.pop', p: ['foo'], i: 1 }));
  await new Promise((resolve) => worker.once('message', resolve));
  const user = await opened(mesh.engines[0].protocolUrl + path);
  const frame = JSON.stringify({ op: 'say', room: 'lobby', text: 'hello there, everyone' });
  return {
    mesh,
    batch: () =>
      new Promise<void>((resolve) => {
        waiting = BATCH;
        done = resolve;
        for (let i = 0; i < BATCH; i++) user.send(frame);
      }),
    close: async () => {
      user.terminate();
      worker.terminate();
      await mesh.close();
    },
  };
}

const js = await pipeline(defaultEntry);
const luaWebsocket = await pipeline(await loadLuaEntry(lua('push.v103.lua')));
const luaSocket = await pipeline(await loadLuaEntry(lua('push.v102.lua')), 'chat');
afterAll(async () => {
  await Promise.all([js.close(), luaWebsocket.close(), luaSocket.close()]);
});

describe(`${BATCH} frames: end user -> entry -> queue -> worker`, () => {
  bench('JS defaultEntry', () => js.batch());
  bench('Lua, v1.0.3 websocket era (mix.websocket, mix.queue.push)', () => luaWebsocket.batch());
  bench('Lua, v1.0.2 era (WebSocket parsed by protocols/websocket in Lua)', () => luaSocket.batch());
});
