// The heartbeat against a dev mesh whose engines drop an API socket after 600 ms without a read:
// a client probing every 200 ms with a 700 ms timeout must never be dropped, in either dialect.
// The test is driven by events, not by a wall-clock window: a silent socket opened alongside
// proves the idle limit is in force (it is dropped), and the client is watched until the engine
// has answered enough probes to span several idle limits.
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  nodeTransport,
  type Client,
  type ClientState,
  type TransportFactory,
} from '../src/index.ts';

const IDLE_LIMIT_MS = 600;
const HEARTBEAT = { intervalMs: 200, timeoutMs: 700 };
/** Answers to wait for: 12 probes of 200 ms span four idle limits. */
const ANSWERS = 12;

let mesh: DevMesh | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await mesh?.close();
  client = undefined;
  mesh = undefined;
});

/** nodeTransport, counting what answers a probe: a pong frame, or any text frame from the engine. */
function countingTransport(): { factory: TransportFactory; answers: () => number } {
  const inner = nodeTransport();
  let answers = 0;
  const factory: TransportFactory = (url, handlers) =>
    inner(url, {
      ...handlers,
      onMessage: (frame) => {
        answers += 1;
        handlers.onMessage(frame);
      },
      onPong: () => {
        answers += 1;
        handlers.onPong?.();
      },
    });
  return { factory, answers: () => answers };
}

describe.each(['v1.0.2', 'v1.0.3'] as const)('heartbeat against a 600 ms idle limit (%s)', (dialect) => {
  it('probes every intervalMs, so a timeout longer than the idle limit never gets the client dropped', async () => {
    mesh = await startDevMesh({ dialect, api: { idleTimeoutMs: IDLE_LIMIT_MS } });
    const engine = mesh.engines[0]!;
    const silent = new WebSocket(engine.apiUrl);
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const transport = countingTransport();
    client = createClient({
      url: engine.apiUrl,
      dialect,
      transport: transport.factory,
      heartbeat: HEARTBEAT,
      reconnect: { minDelayMs: 5, maxDelayMs: 20 },
    });
    const states: ClientState[] = [];
    client.on('state', ({ to }) => states.push(to));
    await client.connect();
    // The limit is in force: a socket that writes nothing is dropped.
    await silentClosed;
    await vi.waitFor(() => expect(transport.answers()).toBeGreaterThanOrEqual(ANSWERS), {
      timeout: 30_000,
      interval: 20,
    });
    expect(states).toEqual(['connecting', 'open']);
    expect(engine.stats().counters.idleTimeouts).toBe(1);
    expect(engine.stats().apiSockets).toBe(1);
  });
});
