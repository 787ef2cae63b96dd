// The credentials matrix through the CLI: every line a command writes (stdout and stderr, text
// and --json), with right and wrong passwords in --url, --center, --password and the environment,
// on a dev mesh with access control. No part of a password may be printed.
import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The matrix is the core's, so that every package searches for the same parts.
import {
  leaks,
  PASSWORDS,
  refusedRaw,
  userinfo,
  USERNAME,
  type UrlForm,
} from '../../core/src/errors/testing/credentialMatrix.ts';
import { runNodes, runPing, type CommandIo } from '../src/index.ts';
import { Capture } from './support/capture.ts';

let devMesh: DevMesh;
beforeAll(async () => {
  devMesh = await startDevMesh({
    engines: 2,
    access: {
      users: PASSWORDS.map((password) => ({ username: USERNAME, password, roles: ['read', 'write'] })),
    },
  });
});
afterAll(async () => {
  await devMesh.close();
});

type Run = (argv: readonly string[], io: CommandIo) => Promise<number>;

async function run(command: Run, argv: readonly string[], env: CommandIo['env'] = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await command(argv, { stdout, stderr, signal: new AbortController().signal, env });
  return { code, printed: `${stdout.text}${stderr.text}` };
}

const withCredentials = (url: string, password: string, form: UrlForm) =>
  url.replace('://', `://${userinfo(password, form)}`);

describe('connmix commands with credentials', () => {
  it.each(PASSWORDS)('password %s: printed nowhere, right or wrong', async (password) => {
    const engine = devMesh.engines[0]!.apiUrl;
    const center = devMesh.center.url;
    const bad = `${password}-wr0ng`;
    const printed: string[] = [];
    const expectCode = async (code: number, ran: Promise<{ code: number; printed: string }>) => {
      const { code: got, printed: text } = await ran;
      printed.push(text);
      expect(got, text).toBe(code);
    };
    // The command line reads URLs with WHATWG URL, which takes a raw space (and encodes it).
    const misread = refusedRaw(password) && !/\s/.test(password);
    const forms: UrlForm[] = misread ? ['percent-encoded'] : ['raw', 'percent-encoded'];
    for (const form of forms) {
      await expectCode(0, run(runPing, ['--url', withCredentials(engine, password, form)]));
      await expectCode(0, run(runNodes, ['--center', withCredentials(center, password, form), '--json']));
      await expectCode(1, run(runPing, ['--url', withCredentials(engine, bad, form), '--timeout', '2000']));
      await expectCode(
        1,
        run(runNodes, ['--center', withCredentials(center, bad, form), '--timeout', '2000']),
      );
    }
    await expectCode(0, run(runPing, ['--url', engine, '--user', USERNAME, '--password', password]));
    await expectCode(1, run(runPing, ['--url', engine, '--user', USERNAME, '--password', bad, '--json']));
    await expectCode(
      1,
      run(runNodes, ['--center', center, '--timeout', '2000'], {
        CONNMIX_USER: USERNAME,
        CONNMIX_PASSWORD: bad,
      }),
    );
    // A URL that cannot hold the raw password is bad usage, and the message does not repeat it.
    if (misread) await expectCode(2, run(runPing, ['--url', withCredentials(engine, password, 'raw')]));
    expect(leaks(printed.join('\n'), password)).toEqual([]);
  });
});
