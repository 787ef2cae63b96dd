// What the end-to-end tests share: the whole example on ephemeral ports, headless Chromium, and
// screenshots kept as test artifacts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { startChatApp, type ChatApp, type ChatAppOptions } from '../src/chatApp.ts';
import { DEMO_PASSWORD } from '../src/protocol.ts';
import { launchChromium } from './chromium.ts';

/** Screenshots of the pages under test; the folder is ignored by git. */
export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export interface E2eFixture {
  app: ChatApp;
  browser: Browser;
  close(): Promise<void>;
}

export async function startE2e(options: ChatAppOptions = {}): Promise<E2eFixture> {
  // Each app pre-bundles its browser dependencies in its own folder: test files run side by side.
  const cacheDir = mkdtempSync(join(tmpdir(), 'connmix-chat-vite-'));
  const app = await startChatApp({ port: 0, bots: 0, cacheDir, ...options });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  return {
    app,
    browser,
    async close() {
      await browser.close();
      await app.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Opens the chat page on one engine and logs in; resolves once the page shows the welcome. */
export async function openChat(
  fixture: E2eFixture,
  node: string,
  name: string,
  { password = DEMO_PASSWORD, prepare }: { password?: string; prepare?: (page: Page) => void } = {},
): Promise<Page> {
  const page = await fixture.browser.newPage();
  prepare?.(page);
  await page.goto(`${fixture.app.web.chatUrl}?engine=${node}`);
  await page.getByText(`connected to engine ${node}`).waitFor();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (password === DEMO_PASSWORD) await page.getByRole('log').getByText(`Welcome, ${name}.`).waitFor();
  return page;
}

export async function openDashboard(fixture: E2eFixture): Promise<Page> {
  const page = await fixture.browser.newPage();
  await page.goto(fixture.app.web.dashboardUrl);
  await page
    .locator('#engines [data-state="up"]')
    .nth(fixture.app.mesh.engines.length - 1)
    .waitFor();
  return page;
}

/** The names in the dashboard's Online list, in order. */
export function onlineNames(dashboard: Page): Promise<string[]> {
  return dashboard.getByRole('list', { name: 'Online' }).locator('.name').allTextContents();
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
