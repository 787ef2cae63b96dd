import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { logSink, luaRuns, script } from './luaSupport.ts';
import { connect, joinUser } from '@connmix/test-support/wsClients';

const source = readFileSync(script('mix-api.lua'), 'utf8').split('\n');
/** The line of mix-api.lua that calls `name`. */
const lineOf = (name: string) => source.findIndex((line) => line.includes(`${name}(`)) + 1;

const lua = luaRuns();

describe('the mix API of a Lua entry', () => {
  test('every mix.* function and the Lua 5.1 shims return what the engine documents', async () => {
    const sink = logSink();
    const entry = await lua.load(script('mix-api.lua'), { log: sink.log, serverOptions: { path: '/chat' } });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['probe']);
    const user = await joinUser(mesh.engines[0]);
    user.send('probe');
    const event = await worker.event();
    expect(await user.frames.next()).toBe('pushed 1');
    const d = event.p['d'] as Record<string, unknown>;
    // the error points at the script's line that made the call
    const unavailable = (name: string) =>
      `mix-api.lua:${lineOf(name)}: ${name} is not available in the connmix dev mesh (it needs the engine); see LUA.md`;
    expect(d).toEqual({
      empty: '[]',
      array: '[1,"two",true]',
      object: '{"k":"v"}',
      decoded_b_is_nil: true,
      decoded_n: 1.5,
      bad: true,
      bad_err: expect.stringMatching(/^json_decode: /),
      encode_fn_err: expect.stringMatching(/^json_encode: a Lua function has no JSON form/),
      b64: Buffer.from('hello\0\xff', 'latin1').toString('base64'),
      b64_back: 'hello',
      b64_err: 'illegal base64 data',
      md5: '900150983cd24fb0d6963f7d28e17f72',
      md5_bin_len: 16,
      sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      sha1_bin_hex: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      split: ['a', 'b', '', 'c'],
      split_colon: ['Host', 'example.com', '80'],
      url_host: 'example.com:6790',
      url_path: '/chat',
      url_user: 'u',
      url_scheme: 'ws',
      url_query: { token: 't1', room: 'a' },
      url_raw_query: 'token=t1&room=a&room=b',
      url_fragment: 'top',
      same_fn: true,
      bytes: 'hi',
      option: '/chat',
      missing_option: true,
      queue_new: true,
      published: [0, 0],
      send_err: 'client 1 is not connected to the mesh',
      http: unavailable('mix.http.request'),
      redis: unavailable('mix.redis.connection'),
      php_pack: unavailable('mix.php_pack'),
      unpack: 3,
      getn: 2,
      loadstring: 7,
      band: 15,
      bor: 3,
      bxor: 240,
      lshift: -2147483648,
      rshift: 15,
      arshift: -4,
      bnot: -1,
      tohex: '000000ff',
      client_id: user.clientId,
      client_id_type: 'string',
      remote_addr: '127.0.0.1',
      same_conn: true,
      division: '3.0',
    });
    // the decoded JSON number above 2^53 is a float, as in the engine (gopher-lua numbers are float64)
    expect(sink.records.map((r) => `${r.level} ${r.message}`)).toEqual([
      'debug debug line',
      'info info line',
      'warn warn line',
      'error error line',
      'info printed\t1\ttrue',
    ]);
  });
});
