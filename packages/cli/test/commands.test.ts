// The engine commands end to end: each `run<Command>` against a real dev mesh on OS ports, with
// raw `ws` end users on the protocol servers and captured stdout/stderr.
import { startDevMesh, type DevMesh, type DevMeshOptions } from '@connmix/devmesh';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  main,
  runCall,
  runNodes,
  runPing,
  runPop,
  runPublish,
  runSend,
  type CommandIo,
} from '../src/index.ts';
import { Capture } from './support/capture.ts';
import { closeEndUsers, openEndUser, type EndUser } from './support/endUser.ts';

const WAIT = { timeout: 5_000, interval: 5 };
const meshes: DevMesh[] = [];

afterEach(async () => {
  await closeEndUsers();
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()));
});

async function mesh(options: DevMeshOptions = {}): Promise<DevMesh> {
  const started = await startDevMesh(options);
  meshes.push(started);
  return started;
}

type Run = (argv: readonly string[], io: CommandIo) => Promise<number>;

interface Ran {
  code: number;
  stdout: Capture;
  stderr: Capture;
}

/** Runs a command to its end with captured outputs. */
async function run(command: Run, argv: readonly string[], env: CommandIo['env'] = {}): Promise<Ran> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await command(argv, { stdout, stderr, signal: new AbortController().signal, env });
  return { code, stdout, stderr };
}

/** Starts a command that runs until aborted. */
function start(command: Run, argv: readonly string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const controller = new AbortController();
  const exited = command(argv, { stdout, stderr, signal: controller.signal });
  return { stdout, stderr, exited, abort: () => controller.abort() };
}

/** An end user on `engine`, and the client id the engine gave it. */
async function endUser(m: DevMesh, engine = 0): Promise<EndUser & { clientId: string }> {
  const target = m.engines[engine]!;
  const before = new Set(target.clients().map((conn) => conn.clientId));
  const user = await openEndUser(target.protocolUrl);
  const clientId = await vi.waitFor(() => {
    const conn = target.clients().find((c) => !before.has(c.clientId));
    expect(conn).toBeDefined();
    return conn!.clientId;
  }, WAIT);
  return { ...user, clientId };
}

const jsonLines = (capture: Capture) => capture.lines.map((line) => JSON.parse(line) as unknown);

describe('connmix ping', () => {
  test('prints the round trip to one engine, as text or as JSON', async () => {
    const m = await mesh();
    const url = m.engines[0]!.apiUrl;
    const text = await run(runPing, ['--url', url]);
    expect(text.code).toBe(0);
    expect(text.stdout.text).toMatch(new RegExp(`^pong from ${url} in \\d+ ms\\n$`));
    expect(text.stderr.text).toBe('');

    const json = await run(runPing, ['--url', url, '--json']);
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([{ url, rttMs: expect.any(Number) }]);
  });

  test('pings each engine of a cluster (v1.0.3), or the one --node names', async () => {
    const m = await mesh({ engines: 2, dialect: 'v1.0.3' });
    const [one, two] = m.engines.map((engine) => engine.apiUrl);
    const all = await run(runPing, ['--center', m.center.url, '-d', 'v1.0.3', '--json']);
    expect(all.code).toBe(0);
    expect(jsonLines(all.stdout)).toEqual([
      { node: '1', url: one, rttMs: expect.any(Number) },
      { node: '2', url: two, rttMs: expect.any(Number) },
    ]);

    const text = await run(runPing, ['--center', m.center.url, '-d', 'v1.0.3', '--node', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout.text).toMatch(new RegExp(`^pong from node 2 \\(${two}\\) in \\d+ ms\\n$`));
  });

  test('an engine that does not answer in --timeout is a TimeoutError, exit code 1', async () => {
    const m = await mesh();
    // Answers are late, the upgrade is not: connecting takes well under the deadline.
    m.engines[0]!.delay(2_000);
    const ran = await run(runPing, ['--url', m.engines[0]!.apiUrl, '--timeout', '300']);
    expect(ran.code).toBe(1);
    expect(ran.stdout.text).toBe('');
    expect(ran.stderr.text).toBe('error: TimeoutError: server.ping got no answer within 300 ms\n');
  });
});

describe('connmix nodes', () => {
  test("lists the center's engines with their state, as a table or as JSON", async () => {
    const m = await mesh({ engines: 2 });
    const [one, two] = m.engines.map((engine) => engine.apiUrl as string);
    const text = await run(runNodes, ['--center', m.center.url]);
    expect(text.code).toBe(0);
    const width = Math.max(one!.length, two!.length);
    expect(text.stdout.lines).toEqual([
      `id  ${'url'.padEnd(width)}  state`,
      `1   ${one!.padEnd(width)}  open`,
      `2   ${two!.padEnd(width)}  open`,
    ]);

    const json = await run(runNodes, ['--center', m.center.url, '--json']);
    expect(jsonLines(json.stdout)).toEqual([
      { id: '1', url: one, state: 'open' },
      { id: '2', url: two, state: 'open' },
    ]);
  });

  test('a center that lists no engine is reported as such once --timeout has passed', async () => {
    const m = await mesh();
    await m.engines[0]!.stop();
    const ran = await run(runNodes, ['--center', m.center.url, '--timeout', '200']);
    expect(ran.code).toBe(1);
    expect(ran.stdout.text).toBe('');
    expect(ran.stderr.text).toBe(
      `error: ConnmixError: the center ${m.center.url} lists no engine (waited 200 ms for one)\n`,
    );
  });

  test('a center that answers an error is reported with what it answered, at once', async () => {
    await withCenter(503, 'application/json', '{"error":"registry is reloading"}', async (url) => {
      const ran = await run(runNodes, ['--center', url]);
      expect(ran.code).toBe(1);
      expect(ran.stderr.text).toBe(
        `error: ConnmixError: GET ${url}/v1/nodes answered HTTP 503: {"error":"registry is reloading"}\n`,
      );
    });
  });

  test('a web page given as the center says it is not JSON, and quotes it', async () => {
    await withCenter(200, 'text/html', '<!doctype html><title>connmix chat</title>', async (url) => {
      const ran = await run(runNodes, ['--center', url]);
      expect(ran.code).toBe(1);
      expect(ran.stderr.text).toBe(
        "error: ProtocolError: the center's /v1/nodes answer is not JSON; frame: <!doctype html><title>connmix chat</title>\n",
      );
    });
  });
});

/** Runs `body` against an HTTP server on port 0 that answers every request with `status` and `text`. */
async function withCenter(
  status: number,
  contentType: string,
  text: string,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('connmix pop', () => {
  test('--count 2 prints the two messages end users sent, then exits 0', async () => {
    const m = await mesh();
    const alice = await endUser(m);
    const bob = await endUser(m);
    // Messages wait in the topic until someone pops it.
    alice.ws.send('hello from alice');
    bob.ws.send('hello from bob');
    const ran = await run(runPop, ['foo', '--count', '2', '--url', m.engines[0]!.apiUrl]);
    expect(ran.code).toBe(0);
    expect(ran.stderr.text).toBe('');
    expect(ran.stdout.lines.sort()).toEqual(
      [
        `- ${alice.clientId} foo {"ctx":[],"msg":"hello from alice"}`,
        `- ${bob.clientId} foo {"ctx":[],"msg":"hello from bob"}`,
      ].sort(),
    );
    await vi.waitFor(() => expect(m.engines[0]!.stats().consumers).toBe(0), WAIT);
  });

  test('consumes on every engine of a cluster, as JSON lines naming the node', async () => {
    const m = await mesh({ engines: 2 });
    const users = [await endUser(m, 0), await endUser(m, 1)];
    const pop = start(runPop, ['foo', '--center', m.center.url, '--json']);
    users[0]!.ws.send('one');
    users[1]!.ws.send('two');
    await pop.stdout.waitFor(/\n.*\n/);
    pop.abort();
    expect(await pop.exited).toBe(0);
    const records = jsonLines(pop.stdout) as Array<{ node: string }>;
    expect(records.sort((a, b) => a.node.localeCompare(b.node))).toEqual([
      { node: '1', clientId: users[0]!.clientId, topic: 'foo', data: { ctx: [], msg: 'one' } },
      { node: '2', clientId: users[1]!.clientId, topic: 'foo', data: { ctx: [], msg: 'two' } },
    ]);
  });

  test('runs until its signal aborts, then exits 0 and leaves no consumer behind', async () => {
    const m = await mesh({ dialect: 'v1.0.3' });
    const pop = start(runPop, ['foo', 'bar', '--url', m.engines[0]!.apiUrl, '-d', 'v1.0.3']);
    await vi.waitFor(() => expect(m.engines[0]!.stats().consumers).toBe(1), WAIT);
    const user = await endUser(m);
    user.ws.send('hi');
    await pop.stdout.waitFor(/\n/);
    expect(pop.stdout.text).toBe(`1 ${user.clientId} foo {"ctx":[],"msg":"hi"}\n`);
    pop.abort();
    expect(await pop.exited).toBe(0);
    expect(pop.stderr.text).toBe('');
    await vi.waitFor(() => expect(m.engines[0]!.stats().consumers).toBe(0), WAIT);
  });

  test('keeps consuming across an engine restart', async () => {
    const m = await mesh();
    const engine = m.engines[0]!;
    const pop = start(runPop, ['foo', '--url', engine.apiUrl, '--json']);
    await vi.waitFor(() => expect(engine.stats().consumers).toBe(1), WAIT);
    await engine.stop();
    await engine.start();
    await vi.waitFor(() => expect(engine.stats().consumers).toBe(1), WAIT);
    const user = await endUser(m);
    user.ws.send('after the restart');
    await pop.stdout.waitFor(/\n/);
    pop.abort();
    expect(await pop.exited).toBe(0);
    expect(jsonLines(pop.stdout)).toEqual([
      { node: null, clientId: user.clientId, topic: 'foo', data: { ctx: [], msg: 'after the restart' } },
    ]);
  });
});

describe('connmix send and publish', () => {
  test('send reaches a raw end user and prints the delivery counts', async () => {
    const m = await mesh();
    const user = await endUser(m);
    const ran = await run(runSend, [user.clientId, 'hello there', '--url', m.engines[0]!.apiUrl]);
    expect(ran.code).toBe(0);
    expect(ran.stdout.text).toBe('success=1 fail=0 total=1\n');
    expect(await user.next()).toBe('hello there');

    const json = await run(runSend, [user.clientId, 'again', '--url', m.engines[0]!.apiUrl, '--json']);
    expect(jsonLines(json.stdout)).toEqual([{ success: 1, fail: 0, total: 1 }]);
    expect(await user.next()).toBe('again');
  });

  test('call subscribe, then publish reaches the subscriber on the other engine of a cluster', async () => {
    const m = await mesh({ engines: 2 });
    const user = await endUser(m, 1);
    // A fresh cluster does not know which engine holds the client: each engine is tried in turn.
    const called = await run(runCall, [user.clientId, 'subscribe', '["room1"]', '--center', m.center.url]);
    expect(called.stderr.text).toBe('');
    expect(called.code).toBe(0);
    expect(called.stdout.text).toBe('success=true\n');
    expect(m.engines[1]!.client(user.clientId)?.channels()).toEqual(['room1']);

    const published = await run(runPublish, ['room1', 'news', '--url', m.engines[0]!.apiUrl, '--json']);
    expect(published.code).toBe(0);
    expect(jsonLines(published.stdout)).toEqual([{ success: 1, fail: 0, total: 1 }]);
    expect(await user.next()).toBe('news');
  });

  test('--binary sends the bytes of its base64 in v1.0.3, and is a ValidationError in v1.0.2', async () => {
    const m3 = await mesh({ dialect: 'v1.0.3' });
    const user = await endUser(m3);
    const sent = await run(runSend, [
      user.clientId,
      'AAEC/w==',
      '--binary',
      '-d',
      'v1.0.3',
      '--url',
      m3.engines[0]!.apiUrl,
    ]);
    expect(sent.code).toBe(0);
    expect(sent.stdout.text).toBe('success=1 fail=0 total=1\n');
    expect(await user.next()).toEqual(new Uint8Array([0, 1, 2, 255]));

    const m2 = await mesh();
    const refused = await run(runPublish, ['room1', 'AAEC/w==', '--binary', '--url', m2.engines[0]!.apiUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.text).toBe(
      'error: ValidationError: invalid mesh.publish request at type: binary messages need the v1.0.3 dialect; v1.0.2 sends text only\n',
    );
    expect(m2.engines[0]!.stats().apiSockets).toBe(0); // refused before connecting

    const notBase64 = await run(runSend, [
      user.clientId,
      'not base64!',
      '--binary',
      '-d',
      'v1.0.3',
      '--url',
      m3.engines[0]!.apiUrl,
    ]);
    expect(notBase64.code).toBe(1);
    expect(notBase64.stderr.text).toMatch(/^error: ValidationError: invalid --binary data at data: .*base64/);
  });

  test('sending to a client that is gone is a ServerError with its code, exit code 1', async () => {
    const m = await mesh();
    const user = await endUser(m);
    user.ws.close();
    await vi.waitFor(() => expect(m.engines[0]!.clients()).toHaveLength(0), WAIT);
    const ran = await run(runSend, [user.clientId, 'anyone?', '--url', m.engines[0]!.apiUrl]);
    expect(ran.code).toBe(1);
    expect(ran.stdout.text).toBe('');
    expect(ran.stderr.text).toBe(
      `error: ServerError: mesh.send failed with code 401: send failed: client ${user.clientId} is gone\n`,
    );
  });
});

describe('connmix call', () => {
  test('a client id above 2^53 reaches the engine exactly, and args are a JSON array', async () => {
    const m = await mesh();
    const user = await endUser(m);
    expect(BigInt(user.clientId)).toBeGreaterThan(2n ** 53n);
    expect(Number.isSafeInteger(Number(user.clientId))).toBe(false);
    const url = m.engines[0]!.apiUrl;
    const ran = await run(runCall, [
      user.clientId,
      'set_context_value',
      '["uid", 10001]',
      '--url',
      url,
      '--json',
    ]);
    expect(ran.stderr.text).toBe('');
    expect(ran.code).toBe(0);
    expect(jsonLines(ran.stdout)).toEqual([{ success: true }]);
    expect(m.engines[0]!.client(user.clientId)?.context()).toEqual({ uid: 10001 });

    // One digit off is another connection: the engine refuses it rather than touch the wrong one.
    const neighbour = (BigInt(user.clientId) + 1n).toString();
    const wrong = await run(runCall, [neighbour, 'subscribe', '["room1"]', '--url', url]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.text).toMatch(/^error: ServerError: conn\.call failed with code 301: /);
    expect(m.engines[0]!.client(user.clientId)?.channels()).toEqual([]);
  });

  test('args that are not a JSON array, or hold an integer a double would round, are refused before connecting', async () => {
    const m = await mesh();
    const url = m.engines[0]!.apiUrl;
    const id = '1627581697287520263';
    const notArray = await run(runCall, [id, 'subscribe', '{"room":1}', '--url', url]);
    expect(notArray.code).toBe(1);
    expect(notArray.stderr.text).toMatch(
      /^error: ValidationError: invalid conn\.call arguments at args: args-json is a JSON array/,
    );
    const rounded = await run(runCall, [
      id,
      'set_context_value',
      '["uid", 1627581697287520263]',
      '--url',
      url,
    ]);
    expect(rounded.code).toBe(1);
    expect(rounded.stderr.text).toContain('the integer 1627581697287520263 is beyond 2^53');
    const numericId = await run(runCall, ['12ab', 'subscribe', '["room1"]', '--url', url]);
    expect(numericId.code).toBe(1);
    expect(numericId.stderr.text).toMatch(
      /^error: ValidationError: invalid conn\.call request at clientId: /,
    );
    expect(m.engines[0]!.stats().counters.apiFramesIn).toBe(0);
  });

  test('with --node the call goes to that engine only', async () => {
    const m = await mesh({ engines: 2 });
    const user = await endUser(m, 1);
    const center = m.center.url;
    const elsewhere = await run(runCall, [
      user.clientId,
      'subscribe',
      '["room1"]',
      '--center',
      center,
      '--node',
      '1',
    ]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr.text).toMatch(/^error: ServerError: conn\.call failed with code 301: /);
    const there = await run(runCall, [
      user.clientId,
      'subscribe',
      '["room1"]',
      '--center',
      center,
      '--node',
      '2',
    ]);
    expect(there.code).toBe(0);
    expect(m.engines[1]!.client(user.clientId)?.channels()).toEqual(['room1']);
  });
});

describe('stopping', () => {
  test('a command aborted before it is done exits 130 and closes its connection', async () => {
    const m = await mesh();
    const engine = m.engines[0]!;
    engine.delay(1_000);
    const ping = start(runPing, ['--url', engine.apiUrl]);
    await vi.waitFor(() => expect(engine.stats().counters.apiFramesIn).toBe(1), WAIT);
    ping.abort();
    expect(await ping.exited).toBe(130);
    expect(ping.stderr.text).toMatch(/^error: AbortError: server\.ping was aborted\n$/);
    await vi.waitFor(() => expect(engine.stats().apiSockets).toBe(0), WAIT);

    const controller = new AbortController();
    controller.abort();
    const stderr = new Capture();
    const code = await runSend(['1627581697287520263', 'x', '--url', engine.apiUrl], {
      stdout: stderr,
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr.text).toBe('error: AbortError: connmix send was aborted\n');
  });
});

describe('credentials', () => {
  const access = { users: [{ username: 'worker', password: 'right-secret', roles: ['read', 'write'] }] };

  test('a wrong password exits 1 at once and never shows the password; the right one works', async () => {
    const m = await mesh({ engines: 2, access } as DevMeshOptions);
    const api = m.engines[0]!.apiUrl;
    const wrong = await run(runPing, ['--url', api, '--user', 'worker', '--password', 'wrong-secret']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.text).toMatch(/^error: ConnmixError: .*HTTP 401/);
    expect(wrong.stderr.text).not.toContain('wrong-secret');

    const inUrl = await run(runPing, ['--url', api.replace('ws://', 'ws://worker:wrong-secret@')]);
    expect(inUrl.code).toBe(1);
    expect(inUrl.stderr.text).toMatch(/HTTP 401/);
    expect(inUrl.stderr.text).not.toContain('wrong-secret');

    const cluster = await run(runNodes, [
      '--center',
      m.center.url,
      '--user',
      'worker',
      '--password',
      'wrong-secret',
    ]);
    expect(cluster.code).toBe(1);
    expect(cluster.stderr.text).toMatch(
      /^error: ConnmixError: GET http:\/\/127\.0\.0\.1:\d+\/v1\/nodes answered HTTP 401/,
    );
    expect(cluster.stderr.text).not.toContain('wrong-secret');

    const right = await run(runPing, ['--url', api.replace('ws://', 'ws://worker:right-secret@'), '--json']);
    expect(right.code).toBe(0);
    expect(jsonLines(right.stdout)).toEqual([{ url: api, rttMs: expect.any(Number) }]);
    const fromEnv = await run(runPing, ['--center', m.center.url, '--json'], {
      CONNMIX_USER: 'worker',
      CONNMIX_PASSWORD: 'right-secret',
    });
    expect(fromEnv.stderr.text).toBe('');
    expect(jsonLines(fromEnv.stdout)).toHaveLength(2);
  });

  test('an engine that cannot be reached fails at once with the reason', async () => {
    const m = await mesh();
    const url = m.engines[0]!.apiUrl;
    await m.engines[0]!.stop();
    const ran = await run(runSend, ['1627581697287520263', 'x', '--url', url]);
    expect(ran.code).toBe(1);
    expect(ran.stderr.text).toMatch(
      /^error: ConnmixError: WebSocket error on ws:\/\/127\.0\.0\.1:\d+\/ws\/v1: .*ECONNREFUSED/,
    );
  });
});

describe('usage', () => {
  test('bad command lines print the reason and the usage on stderr, exit code 2', async () => {
    const url = 'ws://127.0.0.1:9/ws/v1';
    const cases: Array<[Run, string[], RegExp]> = [
      [runPing, [], /^connmix ping: give --url ws:\/\/HOST:6789\/ws\/v1 \(one engine\) or --center/],
      [runPing, ['--url', url, '--center', 'http://127.0.0.1:9'], /not both/],
      [runPing, ['--url', 'http://127.0.0.1:9'], /--url takes an engine API URL/],
      [
        runPing,
        ['--url', 'http://127.0.0.1:5173/'],
        /not the web address http:\/\/127\.0\.0\.1:5173\/ \(a center goes in --center\)/,
      ],
      [
        runPing,
        ['--url', 'ws://127.0.0.1:6790/'],
        /^connmix ping: ws:\/\/127\.0\.0\.1:6790\/ is not an engine API URL: the API server's path is \/ws\/v1 .*end-user/,
      ],
      [runSend, ['1', 'x', '--url', 'ws://127.0.0.1:6790/chat'], /is not an engine API URL/],
      [runPing, ['--url', url, '--timeout', '1s'], /--timeout takes a positive whole number/],
      [runPing, ['--url', url, '--dialect', 'v2'], /--dialect takes v1\.0\.2 or v1\.0\.3/],
      [runPing, ['--url', url, '--node', '1'], /--node picks an engine of a cluster: it needs --center/],
      [runPing, ['--url', url, '--frobnicate'], /Unknown option '--frobnicate'/],
      [runSend, ['1627581697287520263', '--url', url], /expected <clientId> <data>, got 1 argument/],
      [runPublish, ['a', 'b', 'c', '--url', url], /expected <channel> <data>, got 3 argument/],
      [runCall, ['1627581697287520263', '--url', url], /expected <clientId> <func> \[args-json\]/],
      [runPop, ['--url', url], /expected one or more topics, got 0/],
      [runPop, ['foo', '--url', url, '--count', '0'], /--count takes a positive whole number/],
      [runNodes, ['--url', url], /^connmix nodes: give --center URL: the engine list is read from a center/],
      [runNodes, [], /^connmix nodes: give --center URL/],
    ];
    for (const [command, argv, reason] of cases) {
      const ran = await run(command, argv);
      expect(ran.code, argv.join(' ')).toBe(2);
      expect(ran.stdout.text).toBe('');
      expect(ran.stderr.text).toMatch(reason);
      expect(ran.stderr.text).toMatch(/\n\nUsage: connmix \w+ /);
    }
  });

  test("--help prints each command's usage; connmix --help lists every command", async () => {
    for (const name of ['ping', 'nodes', 'pop', 'send', 'publish', 'call']) {
      const stdout = new Capture();
      const signal = new AbortController().signal;
      expect(await main([name, '--help'], { stdout, stderr: stdout, signal })).toBe(0);
      expect(stdout.text).toMatch(new RegExp(`^Usage: connmix ${name} `));
      expect(stdout.text).toContain('--center <URL>');
      // Each help lists what that command accepts: nodes takes a center only.
      expect(stdout.text.includes('--url <URL>')).toBe(name !== 'nodes');
    }
    const stdout = new Capture();
    expect(await main(['--help'], { stdout, signal: new AbortController().signal })).toBe(0);
    for (const name of ['dev', 'ping', 'nodes', 'pop', 'send', 'publish', 'call']) {
      expect(stdout.text).toMatch(new RegExp(`^  ${name} +\\w`, 'm'));
    }
  });

  test('main dispatches to the commands', async () => {
    const m = await mesh();
    const ran = await run(main, ['ping', '--url', m.engines[0]!.apiUrl, '--json']);
    expect(ran.code).toBe(0);
    expect(jsonLines(ran.stdout)).toEqual([{ url: m.engines[0]!.apiUrl, rttMs: expect.any(Number) }]);
  });
});
