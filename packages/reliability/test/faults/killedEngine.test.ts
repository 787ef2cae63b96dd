// An engine killed with calls in flight: each call settles once, with ConnectionClosedError, and
// the SDK re-sends none of them (mesh.send is not idempotent) on the connection that replaces it.
import { ConnectionClosedError, createClient, nodeTransport } from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { count } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { watchSettlements } from '../../src/settlements.ts';

const IN_FLIGHT = 100;
const KILLS = count(3, 20);

let engine: ScriptedEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

it(`${IN_FLIGHT} calls in flight on an engine killed ${KILLS} times each settle once and none is re-sent`, async () => {
  let sends = 0;
  let allArrived: () => void = () => undefined;
  engine = await startScriptedEngine({
    // The engine takes every mesh.send and dies before answering any.
    script: (request) => {
      if (request.method !== 'mesh.send') return undefined;
      if (++sends % IN_FLIGHT === 0) allArrived();
      return { silent: true };
    },
  });
  const client = createClient({
    url: engine.url,
    transport: nodeTransport(),
    heartbeat: false,
    reconnect: { minDelayMs: 0, maxDelayMs: 0 },
    requestTimeoutMs: 60_000,
  });
  await client.connect();
  let rejected = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    const log = watchSettlements(
      Array.from({ length: IN_FLIGHT }, (_, i) => client.send('1627581697287520263', `k${kill}-m${i}`)),
    );
    await arrived;
    const replaced = engine.nextConnection();
    expect(engine.drop({ mode: 'terminate' })).toBe(1);
    await log.all;
    for (const outcomes of log.outcomes) {
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.status).toBe('rejected');
      expect(outcomes[0]?.reason).toBeInstanceOf(ConnectionClosedError);
    }
    rejected += log.outcomes.length;
    await replaced;
    // A round trip on the new socket: anything the client would re-send has been sent by now.
    await expect(client.publish('room', 'after')).resolves.toMatchObject({ success: 1 });
  }
  const sent = engine.requests.filter((request) => request.method === 'mesh.send');
  expect(sent).toHaveLength(IN_FLIGHT * KILLS);
  const bodies = sent.map((request) => JSON.stringify(request.params));
  expect(new Set(bodies).size).toBe(bodies.length);
  await client.close();
  recordFigures('killed-engine', {
    kills: KILLS,
    callsInFlight: IN_FLIGHT,
    callsRejectedOnce: rejected,
    resent: 0,
  });
});
