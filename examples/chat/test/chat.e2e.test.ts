import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChat, openDashboard, saveScreenshot, startE2e, type E2eFixture } from './e2e.ts';

describe('the chat page in Chromium, on a two-engine dev mesh', { timeout: 60_000 }, () => {
  let fixture: E2eFixture;
  let ada: Page;
  let linus: Page;

  beforeAll(async () => {
    fixture = await startE2e();
    ada = await openChat(fixture, '1', 'ada');
    linus = await openChat(fixture, '2', 'linus');
  }, 60_000);

  afterAll(async () => {
    if (ada) await saveScreenshot(ada, 'chat-ada');
    if (linus) await saveScreenshot(linus, 'chat-linus');
    await fixture?.close();
  });

  it('two pages on different engines talk through the worker', async () => {
    expect(await ada.locator('#status').textContent()).toBe('connected to engine 1');
    expect(await linus.locator('#status').textContent()).toBe('connected to engine 2');
    await ada.getByLabel('Message').fill('hello from engine 1');
    await ada.getByRole('button', { name: 'Send' }).click();
    await linus.getByRole('log').getByText('hello from engine 1').waitFor();
    expect(await linus.getByRole('log').locator('li', { hasText: 'hello from engine 1' }).textContent()).toBe(
      'adahello from engine 1',
    );
    await linus.getByLabel('Message').fill('and back from engine 2');
    await linus.getByRole('button', { name: 'Send' }).click();
    await ada.getByRole('log').getByText('and back from engine 2').waitFor();
    // Both see each other in the room.
    await expect
      .poll(() => ada.locator('#members li').allTextContents())
      .toEqual(['ada engine 1', 'linus engine 2']);
  });

  it('loads both pages without a failed request, and their icon is served', async () => {
    const page = await fixture.browser.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => failed.push(`failed ${request.url()}`));
    for (const url of [fixture.app.web.chatUrl, fixture.app.web.dashboardUrl]) {
      await page.goto(url, { waitUntil: 'load' });
      // Headless Chromium does not fetch icons by itself: fetch the one the page names.
      const icon = await page.locator('link[rel="icon"]').evaluate((link) => (link as HTMLLinkElement).href);
      const response = await page.request.get(icon);
      expect([response.status(), response.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
    }
    expect(failed).toEqual([]);
    await page.close();
  });

  it('refuses a wrong password, and the page says so', async () => {
    const eve = await openChat(fixture, '1', 'eve', { password: 'letmein' });
    const alert = eve.getByRole('alert');
    await alert.getByText('Login refused').waitFor();
    expect(await alert.textContent()).toBe(
      'Login refused: wrong password for eve. (Every name logs in with the password demo.)',
    );
    expect(await eve.locator('#chat').isHidden()).toBe(true);
    await saveScreenshot(eve, 'chat-refused');
    // The refusal released the connection: the right password now logs in.
    await eve.getByLabel('Password').fill('demo');
    await eve.getByRole('button', { name: 'Log in' }).click();
    await eve.getByRole('log').getByText('Welcome, eve.').waitFor();
    await eve.close();
  });

  it('renders a message as text, never as HTML', async () => {
    const markup = '<img src=x onerror="document.title=\'pwned\'"><b>bold?</b>';
    await ada.getByLabel('Message').fill(markup);
    await ada.getByRole('button', { name: 'Send' }).click();
    const line = linus.getByRole('log').locator('li', { hasText: 'bold?' });
    await line.waitFor();
    expect(await line.textContent()).toBe(`ada${markup}`);
    expect(await linus.getByRole('log').locator('img, b').count()).toBe(0);
    expect(await linus.title()).toBe('connmix chat');
  });

  it('an announcement from the dashboard reaches both chat pages, and the dashboard says how many', async () => {
    const dashboard = await openDashboard(fixture);
    await dashboard.getByLabel('Announcement').fill('maintenance at noon');
    await dashboard.getByRole('button', { name: 'Publish' }).click();
    for (const page of [ada, linus]) {
      await page.getByRole('log').locator('.announcement', { hasText: 'maintenance at noon' }).waitFor();
    }
    await dashboard
      .locator('#announce-result')
      .getByText(/^Delivered/)
      .waitFor();
    expect(await dashboard.locator('#announce-result').textContent()).toBe(
      'Delivered to 2 of 2 connections in #lobby',
    );
    await dashboard.close();
  });
});
