import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { logSink, luaRuns, script } from './luaSupport.ts';
import { connect, FrameQueue, until } from '@connmix/test-support/wsClients';

const sockets = new Set<Socket>();
const lua = luaRuns();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
});

/** A raw TCP end user reading newline-framed lines. */
async function lineUser(
  port: number,
  allowHalfOpen = false,
): Promise<{ socket: Socket; lines: FrameQueue<string>; ended: Promise<void> }> {
  const socket = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen });
  sockets.add(socket);
  const lines = new FrameQueue<string>();
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let at: number;
    while ((at = pending.indexOf('\n')) >= 0) {
      lines.put(pending.slice(0, at));
      pending = pending.slice(at + 1);
    }
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, lines, ended };
}

describe('a v1.0.3 socket-protocol Lua entry (custom framing in protocol_input)', () => {
  test('packets split across TCP writes and packed into one write are framed by protocol_input', async () => {
    const sink = logSink();
    const entry = await lua.load(script('lines.socket.lua'), { log: sink.log });
    expect(entry.era).toBe('v1.0.3-socket');
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['lines']);
    const user = await lineUser(mesh.engines[0].protocolPort);
    user.socket.write('hel');
    await until(() => mesh.engines[0].clients().length === 1);
    user.socket.write('lo\nsecond\nthi');
    user.socket.write('rd\n');
    const clientId = mesh.engines[0].clients()[0]!.clientId;
    const lines = [await worker.event(), await worker.event(), await worker.event()].map((e) => e.p['d']);
    expect(lines).toEqual([
      { client_id: clientId, line: 'hello' },
      { client_id: clientId, line: 'second' },
      { client_id: clientId, line: 'third' },
    ]);
    expect(sink.records).toContainEqual({ level: 'debug', message: `connect ${clientId}`, node: '1' });
    // mesh.send goes through protocol_encode: one line per send
    await worker.call('mesh.send', [{ c: clientId, d: 'from worker' }]);
    expect(await user.lines.next()).toBe('from worker');
  });

  test('wait_context_value holds the rest of the buffer; conn:close ends the TCP connection and on_close runs', async () => {
    const entry = await lua.load(script('lines.socket.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['lines']);
    const user = await lineUser(mesh.engines[0].protocolPort);
    user.socket.write('wait\nafter\n');
    await until(() => mesh.engines[0].clients().length === 1);
    const clientId = mesh.engines[0].clients()[0]!.clientId;
    expect(await worker.frames.silentFor(100)).toBe(true);
    await worker.call('conn.call', [{ c: clientId, f: 'set_context_value', a: ['go', 'now'] }]);
    expect(await user.lines.next()).toBe('went now');
    expect((await worker.event()).p['d']).toEqual({ client_id: clientId, line: 'after' });
    user.socket.write('quit\n');
    expect(await user.lines.next()).toBe('bye');
    await user.ended;
    expect((await worker.event()).p['d']).toEqual({ closed: clientId, err: 'EOF' });
  });

  test('mix.mesh.send inside a hook runs protocol_encode, and the hook goes on (it can still push)', async () => {
    const entry = await lua.load(script('lines.socket.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const worker = await connect(mesh.engines[0].apiUrl);
    await worker.call('queue.pop', ['lines']);
    const user = await lineUser(mesh.engines[0].protocolPort);
    user.socket.write('self\n');
    expect(await user.lines.next()).toBe('self-sent');
    expect((await worker.event()).p['d']).toEqual({ after_self: true });
  });

  test('after a reload, what workers send to open connections is still framed by protocol_encode', async () => {
    const entry = await lua.load(script('lines.socket.lua'), { log: logSink().log });
    const mesh = await lua.start({ engines: 2, entry });
    const users = [
      await lineUser(mesh.engines[0].protocolPort),
      await lineUser(mesh.engines[1]!.protocolPort),
    ];
    await until(() => mesh.engines.every((engine) => engine.clients().length === 1));
    await entry.reload();
    for (const [i, engine] of mesh.engines.entries()) {
      const worker = await connect(engine.apiUrl);
      const clientId = engine.clients()[0]!.clientId;
      expect(await worker.call('mesh.send', [{ c: clientId, d: `after reload ${i}` }])).toMatchObject({
        E: null,
      });
      expect(await users[i]!.lines.next()).toBe(`after reload ${i}`);
    }
  });

  test('conn:close ends the connection even when the peer keeps its side open', async () => {
    const entry = await lua.load(script('lines.socket.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await lineUser(mesh.engines[0].protocolPort, true);
    await until(() => mesh.engines[0].clients().length === 1);
    user.socket.write('quit\n');
    expect(await user.lines.next()).toBe('bye');
    // the peer never ends its side: the engine must not wait for it
    await until(() => mesh.engines[0].stats().connections === 0);
  });

  test('protocol_input returning -1 disconnects', async () => {
    const entry = await lua.load(script('lines.socket.lua'), { log: logSink().log });
    const mesh = await lua.start({ entry });
    const user = await lineUser(mesh.engines[0].protocolPort);
    await until(() => mesh.engines[0].clients().length === 1);
    user.socket.write('x'.repeat(2000));
    await user.ended;
    await until(() => mesh.engines[0].stats().connections === 0);
    expect(mesh.engines[0].stats()).toMatchObject({ connections: 0, counters: { connectionsOpened: 1 } });
  });
});
