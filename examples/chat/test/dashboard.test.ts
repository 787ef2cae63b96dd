import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChatUser } from '../src/chatUser.ts';
import { startChatWorker, type ChatWorker } from '../src/chatWorker.ts';
import { startDashboard, type DashboardServer } from '../src/dashboardServer.ts';
import { chatEntry } from '../src/entry.ts';

/** Debian's Chromium, as the browser tests use it; no browser is ever downloaded. */
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

describe('the live dashboard in Chromium', () => {
  let mesh: DevMesh;
  let worker: ChatWorker;
  let dashboard: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    mesh = await startDevMesh({ engines: 2, entry: chatEntry });
    worker = await startChatWorker({ centerUrl: mesh.center.url });
    dashboard = await startDashboard(
      mesh.engines.map((engine) => engine.apiUrl),
      { port: 0 },
    );
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await worker?.close();
    await mesh?.close();
  });

  it('shows who is online on every engine and publishes announcements to the lobby', async () => {
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    await page.waitForFunction(
      () => document.getElementById('engines')?.textContent === '#1 open, #2 open',
      null,
      {
        timeout: 15_000,
      },
    );

    const ada = await connectChatUser(mesh.engines[1]!.protocolUrl, 'ada');
    ada.send({ op: 'login', name: 'ada' });
    await ada.waitFor((event) => event.type === 'welcome');
    await page.waitForSelector('#online tr');
    const [node] = await page.locator('#online tr td:nth-child(2)').allTextContents();
    expect(node).toBe(mesh.engines[1]!.node);

    await page.fill('input[name=text]', 'maintenance at noon');
    await page.click('button');
    expect(await ada.waitFor((event) => event.type === 'announcement')).toEqual({
      type: 'announcement',
      text: 'maintenance at noon',
    });

    await ada.close();
    await page.waitForFunction(() => document.querySelectorAll('#online tr').length === 0);
    expect(await page.textContent('#log')).toMatch(/leave: client \d+ on node 2 \(ada\)/);
  }, 30_000);
});
