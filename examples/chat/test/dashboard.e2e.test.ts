import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineNames, openChat, openDashboard, saveScreenshot, startE2e, type E2eFixture } from './e2e.ts';

describe('the dashboard in Chromium, with bots talking', { timeout: 60_000 }, () => {
  let fixture: E2eFixture;

  beforeAll(async () => {
    fixture = await startE2e({ bots: 2 });
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it('shows the same Online list in two tabs, also after a reload', async () => {
    const ada = await openChat(fixture, '1', 'ada');
    const first = await openDashboard(fixture);
    const second = await openDashboard(fixture);
    const expected = ['ada', 'ada-bot', 'linus-bot'];
    await expect.poll(() => onlineNames(first), { timeout: 10_000 }).toEqual(expected);
    await expect.poll(() => onlineNames(second), { timeout: 10_000 }).toEqual(expected);
    await second.reload();
    await expect.poll(() => onlineNames(second), { timeout: 10_000 }).toEqual(expected);
    expect(await first.locator('#count-online').textContent()).toBe('3');
    // A user who leaves is gone from every tab.
    await ada.close();
    await expect.poll(() => onlineNames(first), { timeout: 10_000 }).toEqual(['ada-bot', 'linus-bot']);
    await expect.poll(() => onlineNames(second), { timeout: 10_000 }).toEqual(['ada-bot', 'linus-bot']);
    await saveScreenshot(first, 'dashboard');
    await Promise.all([first.close(), second.close()]);
  });

  it('moves the messages-per-second chart while the bots talk', async () => {
    const dashboard = await openDashboard(fixture);
    const chart = dashboard.locator('#chart');
    const total = async () => Number(await chart.getAttribute('data-total'));
    await expect.poll(total, { timeout: 15_000 }).toBeGreaterThan(0);
    const before = await chart
      .locator('polyline')
      .evaluateAll((lines) => lines.map((line) => line.getAttribute('points')));
    const counted = await total();
    await expect.poll(total, { timeout: 15_000 }).toBeGreaterThan(counted);
    const after = await chart
      .locator('polyline')
      .evaluateAll((lines) => lines.map((line) => line.getAttribute('points')));
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
    await dashboard.close();
  });

  it('shows a stopped engine as down while the chat on the other engine keeps working, and shows it back', async () => {
    const dashboard = await openDashboard(fixture);
    const ada = await openChat(fixture, '1', 'ada');
    const grace = await openChat(fixture, '1', 'grace');
    const linus = await openChat(fixture, '2', 'linus');
    const engine2 = dashboard.locator('#engines li[data-node="2"]');
    await fixture.app.mesh.engines[1]!.stop();
    await engine2.and(dashboard.locator('[data-state="down"]')).waitFor({ timeout: 10_000 });
    expect(await engine2.locator('.badge').textContent()).toMatch(/^down/);
    await saveScreenshot(dashboard, 'dashboard-engine-down');

    await ada.getByLabel('Message').fill('still here on engine 1');
    await ada.getByRole('button', { name: 'Send' }).click();
    await grace.getByRole('log').getByText('still here on engine 1').waitFor();

    await fixture.app.mesh.engines[1]!.start();
    await engine2.and(dashboard.locator('[data-state="up"]')).waitFor({ timeout: 15_000 });
    expect(await engine2.locator('.badge').textContent()).toBe('up');
    // The page and the bot of engine 2 reconnect and log in again.
    await linus.getByRole('log').getByText('Lost the connection to engine 2; reconnecting…').waitFor();
    await linus.getByRole('log').getByText('Welcome, linus.').nth(1).waitFor({ timeout: 15_000 });
    expect(await linus.locator('#status').textContent()).toMatch(/^connected to engine [12]$/);
    await expect
      .poll(() => onlineNames(dashboard), { timeout: 15_000 })
      .toEqual(['ada', 'ada-bot', 'grace', 'linus', 'linus-bot']);
    await Promise.all([ada.close(), grace.close(), linus.close(), dashboard.close()]);
  });
});
