// No frame reaches a prototype: `__proto__`, `constructor` and `constructor.prototype` at any depth
// of a queue event, a response, an unknown event or the center's node list come out as own data,
// as JSON.parse leaves them, and Object.prototype stays as it was.
import { isDeepStrictEqual } from 'node:util';
import {
  createClient,
  createCluster,
  nodeTransport,
  type ClientErrorEvent,
  type FetchLike,
  type QueueMessage,
} from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { turnUntil } from '../../src/settlements.ts';

const MAX_DEPTH = 8;

/** `{"__proto__":{"polluted":true}}` and its kin, nested `depth` levels inside objects and arrays. */
function pollutingPayloads(): string[] {
  const attacks = [
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"__proto__":{"__proto__":{"polluted":true}}}',
    '{"prototype":{"polluted":true},"__proto__":null}',
  ];
  const payloads: string[] = [];
  for (const attack of attacks) {
    for (let depth = 0; depth <= MAX_DEPTH; depth++) {
      let text = attack;
      for (let level = 0; level < depth; level++) text = level % 2 ? `[${text}]` : `{"k${level}":${text}}`;
      payloads.push(text);
    }
  }
  return payloads;
}

function expectPrototypeClean(): void {
  expect('polluted' in {}).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

let engine: ScriptedEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

it('frames with prototype keys at any depth reach no prototype, through a live client', async () => {
  const payloads = pollutingPayloads();
  engine = await startScriptedEngine({
    // Every answer carries an attack too: results are normalized from what the engine wrote.
    script: (request) =>
      request.method === 'conn.call'
        ? { result: JSON.parse('{"s":true,"__proto__":{"polluted":true}}') }
        : undefined,
  });
  const client = createClient({ url: engine.url, transport: nodeTransport(), heartbeat: false });
  const messages: QueueMessage[] = [];
  const errors: ClientErrorEvent[] = [];
  client.on('message', (msg) => messages.push(msg));
  client.on('error', (event) => errors.push(event));
  await client.pop('foo');
  const socket = await engine.consumer('foo');
  for (const payload of payloads) {
    // As the data of a queue event, with a bare 64-bit id (the exact path) and with a string one.
    socket.send(`{"e":"queue.pop","p":{"c":1627581697287520263,"t":"foo","d":${payload}},"id":null}`);
    socket.send(`{"e":"queue.pop","p":{"c":"1","t":"foo","d":${payload}},"id":null}`);
    // As the payload of an event the SDK does not know, and as the p of a queue event itself.
    socket.send(`{"e":"custom","p":${payload},"id":null}`);
    socket.send(`{"e":"queue.pop","p":${payload},"id":null}`);
  }
  await turnUntil('every frame routed', () => messages.length + errors.length >= payloads.length * 4);
  expect(messages).toHaveLength(payloads.length * 2);
  // node's deep equality: vitest's would read an own `constructor` key as the object's class.
  const mismatched = messages.findIndex(
    (msg, index) => !isDeepStrictEqual(msg.data, JSON.parse(payloads[Math.floor(index / 2)] as string)),
  );
  expect(mismatched).toBe(-1);
  expect(errors.map((event) => event.kind)).toEqual(payloads.flatMap(() => ['unknown-event', 'protocol']));
  await expect(client.setContextValue('1', 'k', { __proto__: 'x' })).resolves.toEqual({ success: true });
  expectPrototypeClean();
  await client.close();
  recordFigures('prototype-pollution', {
    payloads: payloads.length,
    framesSent: payloads.length * 4 + 1,
    polluted: 0,
  });
});

it("a center's node list with prototype keys reaches no prototype", async () => {
  engine = await startScriptedEngine();
  const url = new URL(engine.url);
  const body = `{"nodes":[{"id":1,"api_server":"${url.host}","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}],"__proto__":{"polluted":true}}`;
  const fetch: FetchLike = () =>
    Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(body) } as Awaited<
      ReturnType<FetchLike>
    >);
  const cluster = createCluster({
    center: 'http://center.invalid',
    fetch,
    transport: nodeTransport(),
    heartbeat: false,
  });
  await cluster.connect();
  expect(cluster.nodes).toMatchObject([{ id: '1', state: 'open' }]);
  expectPrototypeClean();
  await cluster.close();
});
