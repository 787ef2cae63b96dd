import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadLuaEntry, LuaScriptError } from '../src/index.ts';
import { logSink, luaRuns, script } from './luaSupport.ts';
import { joinUser } from '@connmix/test-support/wsClients';

let dir: string | undefined;
const lua = luaRuns();
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const V103 = (body: string) => `function on_handshake(client_id, headers, server) end
function on_close(client_id, err) end
function on_message(msg)
  local conn = mix.websocket()
${body}
end
`;

async function writeScript(name: string, source: string): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), 'connmix-lua-'));
  const path = join(dir, name);
  await writeFile(path, source);
  return path;
}

describe('when a Lua entry script is wrong', () => {
  test('a syntax error rejects loadLuaEntry with a LuaScriptError that has file and line', async () => {
    const path = await writeScript('broken.lua', 'function on_message(msg)\n  local x = = 1\nend\n');
    const error = await loadLuaEntry(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LuaScriptError);
    expect(error).toMatchObject({ name: 'LuaScriptError', hook: 'load', file: 'broken.lua', line: 2 });
    expect((error as Error).message).toMatch(/^Lua load failed: broken\.lua:2: unexpected symbol near '='/);
  });

  test('a script without the hooks of its era is refused, naming them', async () => {
    const path = await writeScript('partial.lua', 'function on_message(msg) end\n');
    await expect(loadLuaEntry(path)).rejects.toThrow(
      'Lua load failed: partial.lua: a v1.0.3-websocket entry script defines on_handshake, on_close',
    );
  });

  test('a runtime error reaches the log and onError with file:line, closes only that connection with 1011', async () => {
    const sink = logSink();
    const errors: Array<{ error: LuaScriptError; clientId: string; hook: string }> = [];
    const entry = await lua.load(script('failing.lua'), {
      log: sink.log,
      onError: (error, at) => errors.push({ error, clientId: at.clientId, hook: at.hook }),
    });
    const mesh = await lua.start({ entry });
    const victim = await joinUser(mesh.engines[0]);
    const bystander = await joinUser(mesh.engines[0]);
    victim.send('crash');
    expect(await victim.closed).toEqual({ code: 1011, reason: 'entry onMessage failed' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ clientId: victim.clientId, hook: 'onMessage' });
    expect(errors[0]!.error).toMatchObject({ hook: 'on_message', file: 'failing.lua', line: 8 });
    expect(errors[0]!.error.luaMessage).toBe("failing.lua:8: attempt to index a nil value (local 'missing')");
    expect(errors[0]!.error.traceback).toMatch(/failing\.lua:8: in function 'on_message'/);
    expect(sink.records).toEqual([{ level: 'error', message: errors[0]!.error.luaMessage, node: '1' }]);
    expect(mesh.engines[0].stats().counters.hookErrors).toBe(1);
    bystander.send('still there');
    expect(await bystander.frames.next()).toBe('echo still there');
  });

  test('a runaway loop is stopped at its time budget; the mesh keeps serving', async () => {
    const errors: LuaScriptError[] = [];
    const entry = await lua.load(script('failing.lua'), {
      log: logSink().log,
      timeoutMs: 200,
      onError: (error) => errors.push(error),
    });
    const mesh = await lua.start({ entry });
    const spinner = await joinUser(mesh.engines[0]);
    spinner.send('spin');
    expect((await spinner.closed).code).toBe(1011);
    expect(errors[0]).toMatchObject({ hook: 'on_message', file: 'failing.lua', line: 11 });
    expect(errors[0]!.luaMessage).toMatch(/ran for more than 200 ms without yielding and was stopped$/);
    const next = await joinUser(mesh.engines[0]);
    next.send('after');
    expect(await next.frames.next()).toBe('echo after');
  });

  test('a runaway top level is stopped too', async () => {
    const path = await writeScript('spin.lua', `${V103('')}\nwhile true do end\n`);
    await expect(loadLuaEntry(path, { timeoutMs: 100 })).rejects.toMatchObject({
      name: 'LuaScriptError',
      hook: 'load',
      line: 8,
    });
  });

  test('reload: the next hooks run the new script, open connections keep their context', async () => {
    const path = await writeScript(
      'entry.lua',
      V103('  conn:send("v1 " .. tostring(conn:context_value("n")))'),
    );
    const entry = await lua.load(path, { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await joinUser(mesh.engines[0]);
    mesh.engines[0].client(user.clientId)?.setContextValue('n', 5);
    user.send('a');
    expect(await user.frames.next()).toBe('v1 5');
    await writeFile(path, V103('  conn:send("v2 " .. tostring(conn:context_value("n")))'));
    await entry.reload();
    user.send('b');
    expect(await user.frames.next()).toBe('v2 5');
  });

  test('reload of a broken script rejects with file and line and keeps the running one', async () => {
    const path = await writeScript('entry.lua', V103('  conn:send("v1")'));
    const entry = await lua.load(path, { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await joinUser(mesh.engines[0]);
    await writeFile(path, V103('  conn:send("v2"'));
    await expect(entry.reload()).rejects.toMatchObject({
      name: 'LuaScriptError',
      file: 'entry.lua',
      line: 6,
    });
    user.send('x');
    expect(await user.frames.next()).toBe('v1');
  });

  test('reload while a hook waits: the waiting hook finishes on the old script, later ones run the new', async () => {
    const path = await writeScript(
      'entry.lua',
      V103('  local uid = conn:wait_context_value("uid")\n  conn:send("old " .. msg["data"] .. " " .. uid)'),
    );
    const entry = await lua.load(path, { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await joinUser(mesh.engines[0]);
    user.send('first');
    await writeFile(path, V103('  conn:send("new " .. msg["data"])'));
    await entry.reload();
    mesh.engines[0].client(user.clientId)?.setContextValue('uid', 'u1');
    user.send('second');
    expect([await user.frames.next(), await user.frames.next()]).toEqual(['old first u1', 'new second']);
  });
});
