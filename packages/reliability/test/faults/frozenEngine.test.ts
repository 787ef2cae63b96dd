// A frozen engine (the socket stays open, nothing comes back): the heartbeat declares the socket
// dead and the client opens a new one within intervalMs + timeoutMs of the freeze, measured on a
// fake clock from the freeze itself (plus the 1 ms the runtime takes for a 0 ms reconnect delay);
// once the engine thaws, the client answers again.
import { createClient, nodeTransport, type TransportFactory } from '@connmix/node';
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, expect, it, vi } from 'vitest';
import { count } from '../../src/counts.ts';
import { advanceUntil, installFakeClock } from '../../src/fakeClock.ts';
import { recordFigures } from '../../src/figures.ts';

let mesh: DevMesh | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await mesh?.close();
  mesh = undefined;
});

const FREEZES = count(3, 20);

async function replacedWithin(heartbeat: { intervalMs: number; timeoutMs: number }, scenario: string) {
  mesh = await startDevMesh({ dialect: 'v1.0.3' });
  const engine = mesh.engines[0];
  installFakeClock();
  const attempts: number[] = [];
  let answers = 0;
  const base = nodeTransport();
  // Counts the answered probes, so a freeze can come right after one: the worst phase.
  const transport: TransportFactory = (url, handlers) => {
    attempts.push(Date.now());
    return base(url, {
      ...handlers,
      onPong: () => {
        answers++;
        handlers.onPong?.();
      },
      onMessage: (frame) => {
        if (frame === 'pong') answers++;
        handlers.onMessage(frame);
      },
    });
  };
  const client = createClient({
    url: engine.apiUrl,
    transport,
    dialect: 'v1.0.3',
    heartbeat,
    reconnect: { minDelayMs: 0, maxDelayMs: 0 },
  });
  const heartbeatErrors: number[] = [];
  client.on('error', (event) => event.kind === 'heartbeat' && heartbeatErrors.push(Date.now()));
  const connected = client.connect();
  await advanceUntil('the first socket opens', () => client.state === 'open');
  await connected;
  const waits: number[] = [];
  for (let freeze = 0; freeze < FREEZES; freeze++) {
    // Freeze right after the 1st, 2nd or 3rd answered probe of this socket, or a while after it.
    const answered = answers + 1 + (freeze % 3);
    await advanceUntil('a probe is answered', () => answers >= answered, { stepMs: 1 });
    if (freeze % 2 === 1) await vi.advanceTimersByTimeAsync((freeze * 37) % heartbeat.intervalMs);
    const before = attempts.length;
    const frozenAt = Date.now();
    engine.freeze();
    await advanceUntil('a new socket is opened', () => attempts.length > before, {
      limitMs: 10 * (heartbeat.intervalMs + heartbeat.timeoutMs),
    });
    // The fake clock reads the time of the timer that fired, so this is the moment of the attempt.
    const replacedAt = attempts[before] as number;
    const declaredAt = heartbeatErrors[freeze] as number;
    waits.push(replacedAt - frozenAt);
    expect(declaredAt - frozenAt).toBeLessThanOrEqual(heartbeat.intervalMs + heartbeat.timeoutMs);
    // The reconnect delay is 0; the runtime runs a 0 ms timer after 1 ms.
    expect(replacedAt - frozenAt).toBeLessThanOrEqual(heartbeat.intervalMs + heartbeat.timeoutMs + 1);
    engine.unfreeze();
    await advanceUntil('the client is open again', () => client.state === 'open');
    const pong = client.ping();
    await advanceUntil('the ping is answered', () => true);
    await expect(pong).resolves.toMatchObject({ rttMs: expect.any(Number) });
  }
  expect(heartbeatErrors).toHaveLength(FREEZES);
  const closed = client.close();
  await advanceUntil('closed', () => client.state === 'closed');
  await closed;
  recordFigures(scenario, {
    freezes: FREEZES,
    intervalMs: heartbeat.intervalMs,
    timeoutMs: heartbeat.timeoutMs,
    boundMs: heartbeat.intervalMs + heartbeat.timeoutMs,
    worstReplacementMs: Math.max(...waits),
    reconnectDelayMs: 0,
  });
}

it('a frozen engine is replaced within intervalMs + timeoutMs (timeout under the interval)', async () => {
  await replacedWithin({ intervalMs: 300, timeoutMs: 100 }, 'frozen-engine-short-timeout');
});

it('a frozen engine is replaced within intervalMs + timeoutMs (timeout over the interval)', async () => {
  await replacedWithin({ intervalMs: 200, timeoutMs: 700 }, 'frozen-engine-long-timeout');
});
