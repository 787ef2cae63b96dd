import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { main, parseDevArgs, runDev } from '../src/index.ts';
import { Capture } from './support/capture.ts';

const sockets: WebSocket[] = [];
function open(url: string): Promise<{ ws: WebSocket; next(): Promise<string> }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: string[] = [];
  const waiting: Array<(frame: string) => void> = [];
  ws.on('message', (data: Buffer) => {
    const frame = data.toString('utf8');
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const next = () =>
    frames.length > 0
      ? Promise.resolve(frames.shift() as string)
      : new Promise<string>((r) => waiting.push(r));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

afterEach(async () => {
  await Promise.all(
    sockets.splice(0).map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
});

describe('connmix dev', () => {
  test('starts a mesh on OS-chosen ports that a raw worker and a raw end user can use, and stops on abort', async () => {
    const stdout = new Capture();
    const controller = new AbortController();
    const done = runDev(['--engines', '2'], { stdout, signal: controller.signal, statusIntervalMs: 0 });
    await stdout.waitFor(/Press Ctrl\+C/);
    const center = /center\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout.text)?.[1];
    const apis = [...stdout.text.matchAll(/api\s+(ws:\/\/127\.0\.0\.1:\d+\/ws\/v1)/g)].map(
      (m) => m[1] as string,
    );
    const protocols = [...stdout.text.matchAll(/protocol\s+(ws:\/\/127\.0\.0\.1:\d+\/)/g)].map(
      (m) => m[1] as string,
    );
    expect(apis).toHaveLength(2);
    expect(protocols).toHaveLength(2);
    expect(stdout.text).toContain('dialect v1.0.2');

    const nodes = (await (await fetch(`${center}/v1/nodes`)).json()) as {
      nodes: Array<{ api_server: string }>;
    };
    expect(nodes.nodes.map((n) => `ws://${n.api_server}/ws/v1`)).toEqual(apis);

    const worker = await open(apis[1] as string);
    worker.ws.send(JSON.stringify({ m: 'queue.pop', p: ['foo'], i: 1 }));
    expect(JSON.parse(await worker.next())).toEqual({ E: null, r: { s: true }, i: 1 });
    const user = await open(protocols[1] as string);
    user.ws.send('hello from a browser');
    const event = JSON.parse(await worker.next()) as { e: string; p: { c: string; d: unknown } };
    expect(event.e).toBe('queue.pop');
    expect(event.p.d).toEqual({ ctx: [], msg: 'hello from a browser' });
    worker.ws.send(JSON.stringify({ m: 'mesh.send', p: [{ c: event.p.c, d: 'hello back' }], i: 2 }));
    expect(await user.next()).toBe('hello back');

    const closed = new Promise<number>((resolve) => user.ws.once('close', (code) => resolve(code)));
    controller.abort();
    expect(await done).toBe(0);
    expect(await closed).toBe(1006);
    expect(stdout.text).toMatch(/connmix dev: stopped\n$/);
  });

  test('on a TTY the status line is redrawn in place', async () => {
    const stdout = new Capture(true);
    const controller = new AbortController();
    const done = runDev(['-d', 'v1.0.3'], { stdout, signal: controller.signal, statusIntervalMs: 10 });
    await stdout.waitFor(/(\rengines 1\/1 up[^\r]*){3}/);
    controller.abort();
    expect(await done).toBe(0);
    expect(stdout.text).toContain('dialect v1.0.3');
    expect(stdout.text).toContain('\rengines 1/1 up | users 0 | workers 0 | consumers 0 | queued 0');
    expect(stdout.text).toContain('\x1b[K\nconnmix dev: stopped\n');
  });

  test('a mesh that cannot start is exit code 1 with the reason', async () => {
    const stdout = new Capture();
    const code = await runDev(['--host', '203.0.113.7'], { stdout, signal: new AbortController().signal });
    expect(code).toBe(1);
    expect(stdout.text).toMatch(/^connmix dev: the mesh could not start: .*(EADDRNOTAVAIL|EACCES)/);
  });

  test('bad arguments are exit code 2 with the usage; --help is 0', async () => {
    const out = new Capture();
    const err = new Capture();
    const signal = new AbortController().signal;
    expect(await runDev(['--engines', 'two'], { stdout: out, stderr: err, signal })).toBe(2);
    expect(err.text).toMatch(/^connmix dev: --engines takes a number from 1 to 64\n\nUsage: connmix dev/);
    expect(await runDev(['--help'], { stdout: out, signal })).toBe(0);
    expect(out.text).toMatch(/^Usage: connmix dev \[options\]/);
    expect(out.text).toContain('--fixed-ports');
  });
});

describe('parseDevArgs', () => {
  test('reads every option', () => {
    expect(
      parseDevArgs(['--engines', '3', '--dialect', 'v1.0.3', '--host', '0.0.0.0', '--fixed-ports']),
    ).toEqual({
      kind: 'run',
      options: { engines: 3, dialect: 'v1.0.3', host: '0.0.0.0', ports: 'fixed' },
    });
    expect(parseDevArgs([])).toEqual({
      kind: 'run',
      options: { engines: 1, dialect: 'v1.0.2', host: '127.0.0.1', ports: 'os' },
    });
  });

  test('refuses what it does not know', () => {
    expect(parseDevArgs(['--dialect', 'v9'])).toEqual({
      kind: 'error',
      message: '--dialect takes v1.0.2 or v1.0.3',
    });
    expect(parseDevArgs(['--nope'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/nope/) });
    expect(parseDevArgs(['extra'])).toMatchObject({ kind: 'error' });
  });
});

describe('main', () => {
  test('dispatches dev, prints the usage, refuses unknown commands', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const signal = new AbortController().signal;
    expect(await main([], { stdout, stderr, signal })).toBe(2);
    expect(stdout.text).toBe('');
    expect(stderr.text).toMatch(/^Usage: connmix <command>/);
    expect(await main(['help'], { stdout, stderr, signal })).toBe(0);
    expect(stdout.text).toMatch(/^Usage: connmix <command>/);
    expect(await main(['frobnicate'], { stdout, stderr, signal })).toBe(2);
    expect(stderr.text).toMatch(/\nconnmix: unknown command "frobnicate"/);
    expect(await main(['dev', '--help'], { stdout, stderr, signal })).toBe(0);
    expect(stdout.text).toContain('Usage: connmix dev');
  });
});
