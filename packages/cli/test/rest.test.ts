// `connmix send --rest` and `connmix publish --rest`: the REST endpoints of a v1.0.3 dev mesh,
// with no WebSocket opened to the engine.
import { startDevMesh, type DevMesh, type DevMeshOptions } from '@connmix/devmesh';
import { afterEach, describe, expect, test } from 'vitest';
import { runPublish, runSend, type CommandIo } from '../src/index.ts';
import { Capture } from './support/capture.ts';
import { closeEndUsers, openEndUser } from './support/endUser.ts';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeEndUsers();
  await mesh?.close();
  mesh = undefined;
});

async function devMesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  mesh = await startDevMesh({ dialect: 'v1.0.3', ...options });
  return mesh;
}

async function run(command: typeof runSend, argv: readonly string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CommandIo = { stdout, stderr, signal: new AbortController().signal, env: {} };
  const code = await command(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('--rest', () => {
  test('send and publish go through POST /v1/mesh/*, text and binary, and open no API socket', async () => {
    const m = await devMesh();
    const engine = m.engines[0]!;
    const user = await openEndUser(engine.protocolUrl);
    await expect.poll(() => engine.clients().length).toBe(1);
    const clientId = engine.clients()[0]!.clientId;
    engine.client(clientId)!.subscribe('room1');

    const sent = await run(runSend, [clientId, 'over rest', '--rest', '--url', engine.apiUrl]);
    expect(sent).toEqual({ code: 0, stdout: 'success=1 fail=0 total=1\n', stderr: '' });
    expect(await user.next()).toBe('over rest');

    const published = await run(runPublish, [
      'room1',
      'AAEC/w==',
      '--binary',
      '--rest',
      '--json',
      '--url',
      engine.apiUrl,
    ]);
    expect(published.stdout).toBe('{"success":1,"fail":0,"total":1}\n');
    expect(await user.next()).toEqual(new Uint8Array([0, 1, 2, 255]));

    expect(engine.stats().counters.restRequests).toBe(2);
    expect(engine.stats().counters.apiFramesIn).toBe(0);
  });

  test('credentials from --user/--password; a refusal is one error line without the password', async () => {
    const users = [{ username: 'cli', password: 'cli-secret-pw', roles: ['write' as const] }];
    const m = await devMesh({ access: { users } });
    const url = m.engines[0]!.apiUrl;
    const ok = await run(runPublish, [
      'room',
      'x',
      '--rest',
      '--url',
      url,
      '--user',
      'cli',
      '--password',
      'cli-secret-pw',
    ]);
    expect(ok.code).toBe(0);
    const refused = await run(runPublish, [
      'room',
      'x',
      '--rest',
      '--url',
      url,
      '--user',
      'cli',
      '--password',
      'not-the-pw',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: ConnmixError: POST http:\/\/[^ ]+\/v1\/mesh\/publish answered HTTP 401/,
    );
    expect(refused.stderr).not.toMatch(/not-the-pw/);
  });

  test('is a usage error with --center', async () => {
    const m = await devMesh();
    const ran = await run(runPublish, ['room', 'x', '--rest', '--center', m.center.url]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/--rest posts to one engine: give --url, not --center/);
  });
});
