// The browser adapter in Bun and in Deno: each runtime runs clientSuite.ts (connect, consume,
// publish, reconnect, the older pop + messages, close, and the REST client) with its own
// WebSocket and fetch, against a v1.0.3 dev mesh started here in Node. Workspace packages
// resolve through their `exports` with the `@connmix/source` condition, as in every test
// project: no bundler, no build.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDevMesh, type DevMesh } from '../../../devmesh/src/index.ts';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const suite = fileURLToPath(new URL('./clientSuite.ts', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const RUNTIMES = {
  bun: [bin('bun'), 'run', '--conditions=@connmix/source', suite],
  deno: [
    bin('deno'),
    'run',
    '--allow-env',
    '--allow-net',
    '--allow-read',
    '--conditions=@connmix/source',
    suite,
  ],
} as const;

let mesh: DevMesh | undefined;
let control: Server | undefined;
afterEach(async () => {
  control?.closeAllConnections();
  await new Promise((resolve) => (control ? control.close(resolve) : resolve(undefined)));
  await mesh?.close();
  mesh = control = undefined;
});

/** A dev mesh, and a control endpoint the suite calls to drop its socket. */
async function start() {
  mesh = await startDevMesh({ engines: 1, dialect: 'v1.0.3' });
  const engine = mesh.engines[0]!;
  control = createServer((request, response) => {
    const dropped = engine.dropApiSockets();
    response.end(JSON.stringify({ dropped }));
    request.resume();
  });
  await new Promise<void>((resolve) => control!.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: engine.apiUrl,
    protocolUrl: engine.protocolUrl,
    restUrl: `http://${engine.apiAddress}`,
    dropUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}/drop`,
  };
}

/** Runs the suite in a runtime; resolves with its exit code and the steps it reported. */
function run(command: readonly string[], env: Record<string, string>) {
  return new Promise<{
    code: number | null;
    steps: Array<{ step: string; detail: unknown }>;
    stderr: string;
  }>((resolve, reject) => {
    const [file, ...args] = command;
    const child = spawn(file!, args, { cwd: root, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const steps = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { step: string; detail: unknown });
      resolve({ code, steps, stderr });
    });
  });
}

describe.each(Object.entries(RUNTIMES))('@connmix/browser in %s', (_name, command) => {
  it(
    'connects, consumes, publishes, reconnects, pops, publishes over REST and closes',
    { timeout: 90_000 },
    async () => {
      const urls = await start();
      const { code, steps, stderr } = await run(command, { CONNMIX_MESH: JSON.stringify(urls) });
      expect({
        code,
        failed: steps.find((s) => s.step === 'failed')?.detail,
        stderr: code === 0 ? '' : stderr,
      }).toEqual({
        code: 0,
        failed: undefined,
        stderr: '',
      });
      expect(steps.map((s) => s.step)).toEqual([
        'connect',
        'ping',
        'consume',
        'publish',
        'reconnect',
        'pop + messages',
        'rest',
        'close',
        'done',
      ]);
      expect(steps.find((s) => s.step === 'rest')?.detail).toEqual({ success: 1, fail: 0, total: 1 });
    },
  );
});
