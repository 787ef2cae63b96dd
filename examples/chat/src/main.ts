// `npm start`: the chat on a two-engine dev mesh, its worker, the chat page, the live dashboard,
// and simulated users who keep talking. Stops on Ctrl-C, SIGINT or SIGTERM, leaving nothing behind.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startChatApp } from './chatApp.ts';
import { entryFromFlag } from './entryFlag.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const USAGE = `Usage: npm start -- [--bots N] [--engines N] [--port N] [--entry FILE.lua]

  --bots N       simulated users who keep talking (default 2; 0 for none)
  --engines N    engines in the dev mesh (default 2)
  --port N       port of the chat page and the dashboard (default 5173, the next free one if busy)
  --entry FILE   run the engines on a Lua entry script instead of src/entry.ts
`;

function count(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`--${flag} takes an integer from ${min}, not ${JSON.stringify(text)}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

let flags;
try {
  flags = parseArgs({
    options: {
      bots: { type: 'string' },
      engines: { type: 'string' },
      port: { type: 'string' },
      entry: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const entry = await entryFromFlag(flags.entry).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
const app = await startChatApp({
  bots: count('bots', flags.bots, 2, 0),
  engines: count('engines', flags.engines, 2, 1),
  port: count('port', flags.port, 5173, 0),
  entry,
  log: (line) => say(`${new Date().toISOString().slice(11, 19)}  ${line}`),
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  // Ctrl-C in a terminal reaches this process twice (from the terminal, and forwarded by npm):
  // one stop is enough.
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping`);
  // Should a socket refuse to close, do not hang: the process manager is waiting.
  setTimeout(() => process.exit(1), 5_000).unref();
  await app.close();
  say('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

const pad = (label: string) => label.padEnd(11);
say('');
say(`${pad('chat page')} ${app.web.chatUrl}`);
say(`${pad('dashboard')} ${app.web.dashboardUrl}`);
say(`${pad('center')} ${app.mesh.center.url}`);
for (const engine of app.mesh.engines) {
  say(`${pad(`engine ${engine.node}`)} API ${engine.apiUrl}   end users ${engine.protocolUrl}`);
}
if (app.bots.names.length > 0) say(`${pad('bots')} ${app.bots.names.join(', ')}`);
say('');
say('Open the chat page in two tabs (any name, password "demo") and the dashboard. Ctrl-C stops.');
say('');
