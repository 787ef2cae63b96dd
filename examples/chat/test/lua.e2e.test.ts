// The chat flow of chat.e2e.test.ts on entry.lua (what `npm start -- --entry entry.lua` runs):
// the Lua entry must behave as src/entry.ts does for the pages and the worker.
import { fileURLToPath } from 'node:url';
import { loadLuaEntry, type LuaEntry } from '@connmix/devmesh';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChat, startE2e, type E2eFixture } from './e2e.ts';

const ENTRY_LUA = fileURLToPath(new URL('../entry.lua', import.meta.url));
/** The page sends its keepalive at a third of this: a few times while the test runs. */
const IDLE_TIMEOUT_MS = 6_000;
const PONG = '{"type":"pong"}';

describe('the chat on entry.lua, on a two-engine dev mesh', { timeout: 60_000 }, () => {
  let entry: LuaEntry;
  let fixture: E2eFixture;
  let ada: Page;
  let linus: Page;
  let pongsToAda = 0;

  beforeAll(async () => {
    entry = await loadLuaEntry(ENTRY_LUA);
    fixture = await startE2e({ entry, idleTimeoutMs: IDLE_TIMEOUT_MS });
    ada = await openChat(fixture, '1', 'ada', {
      prepare: (page) =>
        page.on('websocket', (socket) =>
          socket.on('framereceived', ({ payload }) => {
            if (payload === PONG) pongsToAda++;
          }),
        ),
    });
    linus = await openChat(fixture, '2', 'linus');
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
    entry?.close();
  });

  const online = () => fixture.app.worker.snapshot().online.map((user) => user.name);

  it('refuses a wrong password and forgets the refusal: the right one then logs in', async () => {
    const eve = await openChat(fixture, '1', 'eve', { password: 'letmein' });
    await eve.getByRole('alert').getByText('Login refused').waitFor();
    // The worker's refusal is not kept as a uid: eve's connection is not logged in as anyone.
    const uids = fixture.app.mesh.engines[0]
      .clients()
      .map((conn) => conn.context()['uid'] ?? '(none)')
      .sort();
    expect(uids).toEqual(['(none)', 'ada']);
    await eve.getByLabel('Password').fill('demo');
    await eve.getByRole('button', { name: 'Log in' }).click();
    await eve.getByRole('log').getByText('Welcome, eve.').waitFor();
    expect(online().sort()).toEqual(['ada', 'eve', 'linus']);
    // Her leave carries her uid, so the worker takes her off the list.
    await eve.close();
    await expect.poll(() => online().sort()).toEqual(['ada', 'linus']);
  });

  it('two pages on different engines talk through the worker', async () => {
    await ada.getByLabel('Message').fill('hello from engine 1');
    await ada.getByRole('button', { name: 'Send' }).click();
    const line = linus.getByRole('log').locator('li', { hasText: 'hello from engine 1' });
    await line.waitFor();
    expect(await line.textContent()).toBe('adahello from engine 1');
    await linus.getByLabel('Message').fill('and back from engine 2');
    await linus.getByRole('button', { name: 'Send' }).click();
    await ada.getByRole('log').getByText('and back from engine 2').waitFor();
  });

  it("answers the page's keepalive (the worker never answers one)", async () => {
    await expect.poll(() => pongsToAda, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await ada.locator('#status').textContent()).toBe('connected to engine 1');
  });
});
