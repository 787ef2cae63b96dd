import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineNames, openChat, openDashboard, startE2e, type E2eFixture } from './e2e.ts';

/** Short, so the test runs in seconds; the page and the bots ping at a third of it. */
const IDLE_TIMEOUT_MS = 1_500;

describe('users idle for longer than the engine idle limit', { timeout: 60_000 }, () => {
  let fixture: E2eFixture;

  beforeAll(async () => {
    fixture = await startE2e({ bots: 1, idleTimeoutMs: IDLE_TIMEOUT_MS });
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it('stay online: the page and the bots keep their connections alive', async () => {
    let pongs = 0;
    const page = await openChat(fixture, '1', 'ada', {
      prepare: (chat) =>
        chat.on('websocket', (socket) =>
          socket.on('framereceived', ({ payload }) => {
            if (payload === '{"type":"pong"}') pongs++;
          }),
        ),
    });
    const dashboard = await openDashboard(fixture);
    await expect.poll(() => onlineNames(dashboard)).toEqual(['ada', 'ada-bot']);

    // A connection that sends nothing is dropped after the limit: the limit is in force, and
    // once it has fired, at least that long has passed since ada last typed anything.
    const silent = new WebSocket(fixture.app.mesh.engines[0].protocolUrl);
    const dropped = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    await dropped;
    // Then longer than the limit again, counted in keepalives answered.
    const from = pongs;
    await expect.poll(() => pongs - from, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);

    const idleTimeouts = fixture.app.mesh
      .stats()
      .reduce((sum, engine) => sum + engine.counters.idleTimeouts, 0);
    expect(idleTimeouts).toBe(1);
    expect(await page.locator('#status').textContent()).toBe('connected to engine 1');
    expect(await page.getByRole('log').getByText('Lost the connection').count()).toBe(0);
    expect(await onlineNames(dashboard)).toEqual(['ada', 'ada-bot']);
    expect(fixture.app.worker.snapshot().online.map((user) => user.name)).toEqual(['ada', 'ada-bot']);
  });
});
