// Frames over the size limits, both ways. From the engine: a frame past nodeTransport's maxPayload
// closes that socket and is reported as a ProtocolError naming the option; the client reconnects,
// pops again and answers. To the engine: a frame past the dev mesh's API limit closes the socket
// (1009) and rejects that call once; the next call goes through on a new socket.
import {
  ConnectionClosedError,
  createClient,
  nodeTransport,
  ProtocolError,
  type ClientErrorEvent,
  type QueueMessage,
} from '@connmix/node';
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, expect, it } from 'vitest';
import { recordFigures } from '../../src/figures.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { turnUntil } from '../../src/settlements.ts';

const LIMIT = 4_096;

let engine: ScriptedEngine | undefined;
let mesh: DevMesh | undefined;
afterEach(async () => {
  await engine?.close();
  await mesh?.close();
  engine = undefined;
  mesh = undefined;
});

it('a frame from the engine over maxPayload is reported, and the client carries on', async () => {
  engine = await startScriptedEngine();
  const client = createClient({
    url: engine.url,
    transport: nodeTransport({ maxPayload: LIMIT }),
    heartbeat: false,
    reconnect: { minDelayMs: 0, maxDelayMs: 0 },
  });
  const errors: ClientErrorEvent[] = [];
  const messages: QueueMessage[] = [];
  client.on('error', (event) => errors.push(event));
  client.on('message', (msg) => messages.push(msg));
  await client.pop('foo');
  const first = await engine.consumer('foo');
  first.push('foo', 'x'.repeat(LIMIT));
  expect(await first.closed).toBe(1009);
  const second = await engine.consumer('foo');
  second.push('foo', 'fits');
  await turnUntil('the next message', () => messages.length === 1);
  expect(messages[0]?.data).toBe('fits');
  const payloadErrors = errors.filter((event) => event.error instanceof ProtocolError);
  expect(payloadErrors).toHaveLength(1);
  expect(payloadErrors[0]?.error.message).toContain(`maxPayload (${LIMIT} bytes)`);
  await expect(client.publish('room', 'still answering')).resolves.toMatchObject({ success: 1 });
  await client.close();
});

it('a frame to the engine over its API limit fails that call once; the next goes through', async () => {
  mesh = await startDevMesh({ api: { maxPayloadBytes: LIMIT } });
  const client = createClient({
    url: mesh.engines[0].apiUrl,
    transport: nodeTransport(),
    heartbeat: false,
    reconnect: { minDelayMs: 0, maxDelayMs: 0 },
  });
  await client.connect();
  await expect(client.publish('room', 'y'.repeat(LIMIT))).rejects.toBeInstanceOf(ConnectionClosedError);
  await expect(client.publish('room', 'small')).resolves.toMatchObject({ fail: 0 });
  await client.close();
  recordFigures('max-payload', { limitBytes: LIMIT, oversizedFramesEachWay: 1, clientRecovered: true });
});
