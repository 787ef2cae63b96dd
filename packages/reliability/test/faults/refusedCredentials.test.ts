// Refused credentials (the engine answers the upgrade with 401): a failure that retrying at full
// speed cannot heal. The client keeps trying, since credentials can be fixed without a restart,
// but waits maxDelayMs between attempts and reports the refusal once for the episode;
// `connect()` rejects with the refusal as its cause; the password is in no error, message or
// cause chain.
import { createClient, nodeTransport, type ClientErrorEvent, type TransportFactory } from '@connmix/node';
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, expect, it, vi } from 'vitest';
import { count } from '../../src/counts.ts';
import { causeMessages, inspectDeep } from '../../src/errorChain.ts';
import { advanceFor, advanceUntil, installFakeClock } from '../../src/fakeClock.ts';
import { recordFigures } from '../../src/figures.ts';

const PASSWORD = `wr'o"ng@pa/ss:word`;
const MAX_DELAY_MS = 200;
const CONNECT_TIMEOUT_MS = 1_000;
/** How long the refusal goes on after connect() gave up, in backoff periods. */
const PERIODS = count(10, 100);

let mesh: DevMesh | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await mesh?.close();
  mesh = undefined;
});

it(`refused credentials for ${PERIODS} backoff periods: one report, maxDelayMs between attempts, connect() carries the refusal`, async () => {
  mesh = await startDevMesh({
    access: { users: [{ username: 'worker', password: 'right', roles: ['read', 'write'] }] },
  });
  installFakeClock();
  const attempts: number[] = [];
  const base = nodeTransport({ auth: { username: 'worker', password: PASSWORD } });
  const transport: TransportFactory = (url, handlers) => {
    attempts.push(Date.now());
    return base(url, handlers);
  };
  const client = createClient({
    url: mesh.engines[0].apiUrl,
    transport,
    heartbeat: false,
    reconnect: { minDelayMs: 1, maxDelayMs: MAX_DELAY_MS },
  });
  const errors: ClientErrorEvent[] = [];
  client.on('error', (event) => errors.push(event));
  let outcome: unknown;
  client.connect({ timeoutMs: CONNECT_TIMEOUT_MS }).then(
    () => (outcome = 'opened'),
    (error: unknown) => (outcome = error),
  );
  await advanceUntil('connect() settles', () => outcome !== undefined, {
    stepMs: 20,
    limitMs: 2 * CONNECT_TIMEOUT_MS,
  });
  expect(outcome).toBeInstanceOf(Error);
  expect(causeMessages(outcome).some((message) => message.includes('401'))).toBe(true);
  await advanceFor(PERIODS * MAX_DELAY_MS, { stepMs: 20 });
  expect(client.state).toBe('reconnecting');
  const refusals = errors.filter((event) => causeMessages(event.error).some((m) => m.includes('401')));
  expect(refusals).toHaveLength(1);
  // After the first refusal, every next attempt waited maxDelayMs.
  const gaps = attempts.slice(1).map((at, index) => at - (attempts[index] as number));
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MAX_DELAY_MS);
  expect(attempts.length).toBeGreaterThanOrEqual(PERIODS);
  for (const text of [inspectDeep(outcome), ...errors.map((event) => inspectDeep(event))]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(`worker:${PASSWORD}`).toString('base64'));
  }
  const closed = client.close();
  await advanceUntil('closed', () => client.state === 'closed');
  await closed;
  recordFigures('refused-credentials', {
    attempts: attempts.length,
    refusalsReported: refusals.length,
    shortestGapMs: Math.min(...gaps),
    maxDelayMs: MAX_DELAY_MS,
  });
});
