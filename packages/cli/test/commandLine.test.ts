import { describe, expect, test } from 'vitest';
import { parseCommandLine, type CommandSyntax } from '../src/shared/commandLine.ts';

const syntax = {
  flags: { count: { type: 'string' }, binary: { type: 'boolean' } },
  node: true,
  positionals: { min: 0, max: 2, synopsis: '[a] [b]' },
} as const satisfies CommandSyntax<{ count: { type: 'string' }; binary: { type: 'boolean' } }>;

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, syntax, env);

describe('parseCommandLine', () => {
  test('reads the connection flags, the command flags and the positionals', () => {
    expect(
      parse([
        'one',
        '--center',
        'http://127.0.0.1:6787',
        '-d',
        'v1.0.3',
        '--timeout',
        '2500',
        '--json',
        '--node',
        '2',
        '--count',
        '3',
        '--binary',
        'two',
      ]),
    ).toEqual({
      kind: 'run',
      connection: {
        endpoint: { kind: 'cluster', center: 'http://127.0.0.1:6787' },
        auth: undefined,
        dialect: 'v1.0.3',
        timeoutMs: 2500,
        node: '2',
      },
      flags: { count: '3', binary: true },
      positionals: ['one', 'two'],
      json: true,
    });
    expect(parse(['--url', 'ws://127.0.0.1:6789/ws/v1'])).toMatchObject({
      kind: 'run',
      connection: { endpoint: { kind: 'engine' }, dialect: 'v1.0.2', timeoutMs: 10_000, node: undefined },
      flags: { count: undefined, binary: undefined },
      json: false,
    });
  });

  test('a positional that looks like a number stays the string it was typed as', () => {
    const line = parse(['--url', 'ws://h:1/ws/v1', '1627581697287520263', '-5']);
    expect(line).toMatchObject({ kind: 'error' }); // -5 is read as a flag: it goes after --
    expect(parse(['--url', 'ws://h:1/ws/v1', '1627581697287520263', '--', '-5'])).toMatchObject({
      positionals: ['1627581697287520263', '-5'],
    });
  });

  test('credentials: the flags, else the URL (percent-decoded, then taken out of it), else the environment', () => {
    const env = { CONNMIX_USER: 'env-user', CONNMIX_PASSWORD: 'env-pass' };
    const url = 'ws://ops%40team:p%3Ass@127.0.0.1:6789/ws/v1';
    expect(parse(['--url', url])).toMatchObject({
      connection: {
        endpoint: { kind: 'engine', url: 'ws://127.0.0.1:6789/ws/v1' },
        auth: { username: 'ops@team', password: 'p:ss' },
      },
    });
    expect(parse(['--url', url, '--password', 'flag-pass'], env)).toMatchObject({
      connection: { auth: { username: 'ops@team', password: 'flag-pass' } },
    });
    expect(parse(['--center', 'http://worker@127.0.0.1:6787'], env)).toMatchObject({
      connection: {
        endpoint: { kind: 'cluster', center: 'http://127.0.0.1:6787/' },
        auth: { username: 'worker', password: 'env-pass' },
      },
    });
    expect(parse(['--url', 'ws://127.0.0.1:6789/ws/v1'], env)).toMatchObject({
      connection: { auth: { username: 'env-user', password: 'env-pass' } },
    });
    expect(parse(['--url', 'ws://127.0.0.1:6789/ws/v1', '--password', 'only'])).toMatchObject({
      connection: { auth: { username: '', password: 'only' } },
    });
  });

  test('refuses what it cannot use, naming the flag and never echoing credentials', () => {
    const errors = [
      [[], /^give --url/],
      [['--url', 'ws://a:1/ws/v1', '--center', 'http://a:2'], /not both/],
      [['--url', 'ws://user:secret@bad host/ws/v1'], /^--url takes an engine API URL/],
      [['--center', 'ws://127.0.0.1:6787'], /^--center takes a center URL/],
      [['--url', 'ws://a:1/ws/v1', '--timeout', '0'], /^--timeout/],
      [['--url', 'ws://a:1/ws/v1', '--timeout', '1e3'], /^--timeout/],
      [['--url', 'ws://a:1/ws/v1', '--dialect', '1.0.3'], /^--dialect/],
      [['--url', 'ws://a:1/ws/v1', '--node', '1'], /^--node .* needs --center/],
      [['--url', 'ws://a:1/ws/v1', 'a', 'b', 'c'], /^expected \[a\] \[b\], got 3 argument\(s\)$/],
      [['--url', 'ws://a:1/ws/v1', '--password'], /'--password <value>' argument missing/],
    ] as const;
    for (const [argv, message] of errors) {
      const line = parse([...argv]);
      expect(line, argv.join(' ')).toEqual({ kind: 'error', message: expect.stringMatching(message) });
      expect(JSON.stringify(line)).not.toContain('secret');
    }
    expect(parse(['--help', '--nonsense-after-help'])).toMatchObject({ kind: 'error' });
    expect(parse(['--url', 'nope', '-h'])).toEqual({ kind: 'help' });
  });
});
