// Regenerates docs/dashboard.png, the README's picture: what `npm start` shows once the bots
// have talked for a while. Run with `pnpm --filter @connmix/example-chat screenshot`.
import { fileURLToPath } from 'node:url';
import { startChatApp } from '../src/chatApp.ts';
import { launchChromium } from '../test/chromium.ts';

const TALK_MS = 20_000;
const out = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const app = await startChatApp({ port: 0, bots: 4 });
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 820 }, colorScheme: 'light' });
  const chat = await context.newPage();
  await chat.goto(`${app.web.chatUrl}?engine=1`);
  await chat.getByLabel('Name').fill('you');
  await chat.getByLabel('Password').fill('demo');
  await chat.getByRole('button', { name: 'Log in' }).click();
  await chat.getByRole('log').getByText('Welcome, you').waitFor();
  const dashboard = await context.newPage();
  await dashboard.goto(app.web.dashboardUrl);
  await dashboard
    .locator('[data-state="up"]')
    .nth(app.mesh.engines.length - 1)
    .waitFor();
  // Let the bots fill the chart.
  await new Promise((resolve) => setTimeout(resolve, TALK_MS));
  await dashboard.getByLabel('Announcement').fill('Deploy at 17:00: expect a reconnect');
  await dashboard.getByRole('button', { name: 'Publish' }).click();
  await dashboard
    .locator('#announce-result')
    .getByText(/^Delivered to/)
    .waitFor();
  await dashboard.screenshot({ path: out('dashboard.png') });
  await chat.screenshot({ path: out('chat.png') });
  process.stdout.write(`wrote ${out('dashboard.png')} and ${out('chat.png')}\n`);
} finally {
  await browser.close();
  await app.close();
}
