import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { parseDevArgs, runDev } from '../src/index.ts';
import { Capture } from './support/capture.ts';

const script = (reply: string) => `function on_handshake(client_id, headers, server) end
function on_close(client_id, err) end
function on_message(msg)
  mix.log(mix.INFO, "got " .. msg["data"])
  mix.websocket():send(${JSON.stringify(reply)} .. " " .. mix.server.option("greeting") .. " " .. msg["data"])
end
`;

let dir: string | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Sends `text` on a new end-user connection and resolves with the first frame back. */
async function roundTrip(url: string, text: string): Promise<string> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = new Promise<string>((resolve) =>
    ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))),
  );
  ws.send(text);
  return reply;
}

describe('connmix dev --entry', () => {
  test('runs the Lua script, logs to stderr, and reloads it when the file changes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'connmix-cli-'));
    const path = join(dir, 'entry.lua');
    await writeFile(path, script('v1'));
    const stdout = new Capture();
    const stderr = new Capture();
    const controller = new AbortController();
    const done = runDev(['--entry', path, '--option', 'greeting=hi'], {
      stdout,
      stderr,
      signal: controller.signal,
      statusIntervalMs: 0,
    });
    await stdout.waitFor(/Press Ctrl\+C/);
    expect(stdout.text).toContain(`entry       ${path}   (Lua, v1.0.3-websocket hooks, reloaded on change)`);
    const protocol = /protocol\s+(ws:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout.text)?.[1] as string;
    expect(await roundTrip(protocol, 'one')).toBe('v1 hi one');
    await stderr.waitFor(/lua info node 1: got one\n/);

    await writeFile(path, script('v2'));
    await stdout.waitFor(/connmix dev: reloaded /);
    expect(await roundTrip(protocol, 'two')).toBe('v2 hi two');

    await writeFile(path, 'function on_message(\n');
    await stderr.waitFor(/reload failed, the previous script keeps running: Lua load failed: entry\.lua:2:/);
    expect(await roundTrip(protocol, 'three')).toBe('v2 hi three');

    controller.abort();
    expect(await done).toBe(0);
  });

  test('a script that does not load is exit code 1 with file and line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'connmix-cli-'));
    const path = join(dir, 'entry.lua');
    await writeFile(path, 'local x = = 1\n');
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runDev(['--entry', path], { stdout, stderr, signal: new AbortController().signal });
    expect(code).toBe(1);
    expect(stderr.text).toMatch(/^connmix dev: Lua load failed: entry\.lua:1: unexpected symbol near '='\n$/);
  });

  test('reads --entry and --option; --option without --entry or without = is refused', () => {
    expect(parseDevArgs(['-e', 'a.lua', '--option', 'path=/chat', '--option', 'x=1=2'])).toMatchObject({
      kind: 'run',
      entry: { path: 'a.lua', serverOptions: { path: '/chat', x: '1=2' } },
    });
    expect(parseDevArgs(['--short-node-ids'])).toMatchObject({ kind: 'run', options: { nodeIds: 'short' } });
    expect(parseDevArgs(['--option', 'a=b'])).toEqual({ kind: 'error', message: '--option needs --entry' });
    expect(parseDevArgs(['-e', 'a.lua', '--option', 'nope'])).toEqual({
      kind: 'error',
      message: '--option takes NAME=VALUE, got "nope"',
    });
  });
});
