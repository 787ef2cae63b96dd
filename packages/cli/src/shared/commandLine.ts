import { parseArgs } from 'node:util';
import { CLIENT_DEFAULTS, type BasicAuth, type Dialect } from '@connmix/node';

/** Where a command connects: one engine's API, or every engine a center lists. Credentials are kept apart. */
export type Endpoint = { kind: 'engine'; url: string } | { kind: 'cluster'; center: string };

/** What the connection flags ask for. */
export interface ConnectionSettings {
  endpoint: Endpoint;
  /** From `--user`/`--password`, else `user:pass@` in the URL, else `CONNMIX_USER`/`CONNMIX_PASSWORD`. */
  auth: BasicAuth | undefined;
  dialect: Dialect;
  /** Deadline to connect, and of each request. */
  timeoutMs: number;
  /** `--node`: the engine of a cluster to use (commands that take it). */
  node: string | undefined;
}

interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** The flags of one command, beside the connection flags (`node:util` `parseArgs` options). */
export type FlagSpecs = Record<string, FlagSpec>;

/** The values of a command's own flags. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string;
};

/** The command line a command accepts. */
export interface CommandSyntax<F extends FlagSpecs> {
  /** Its own flags. */
  flags: F;
  /** Whether it takes `--node <id>` (with `--center` only). */
  node: boolean;
  /** `cluster`: it needs `--center` (`--url` is refused). @default 'any' */
  endpoint?: 'any' | 'cluster' | undefined;
  /** How many positional arguments it takes, and how to name them in an error. */
  positionals: { min: number; max: number; synopsis: string };
}

/** What a command line asks for. */
export type CommandLine<F extends FlagSpecs> =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | {
      kind: 'run';
      connection: ConnectionSettings;
      flags: FlagValues<F>;
      positionals: string[];
      /** `--json`: one JSON document per line. */
      json: boolean;
    };

const CONNECTION_FLAGS = {
  url: { type: 'string' },
  center: { type: 'string' },
  dialect: { type: 'string', short: 'd' },
  user: { type: 'string' },
  password: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

/**
 * The usage lines of the connection flags: `any` for a command that takes an engine or a center,
 * `cluster` for one that needs a center (it does not accept `--url`, so its help does not list it).
 */
export function connectionUsage(endpoint: 'any' | 'cluster' = 'any'): string {
  const where =
    endpoint === 'cluster'
      ? `      --center <URL>     the center, e.g. http://127.0.0.1:6787 (required)
`
      : `      --url <URL>        one engine's API server, e.g. ws://127.0.0.1:6789/ws/v1
      --center <URL>     a cluster: its center, e.g. http://127.0.0.1:6787 (every
                         engine it lists is used)
`;
  return `Connection options:
${where}  -d, --dialect <D>      wire dialect: v1.0.2 (default) or v1.0.3
      --user <name>      HTTP Basic user (also user:password@ in the URL, or the
                         CONNMIX_USER environment variable)
      --password <pw>    HTTP Basic password (or CONNMIX_PASSWORD, which keeps it
                         out of the process list and the shell history)
      --timeout <ms>     deadline to connect, and of each request (default ${CLIENT_DEFAULTS.requestTimeoutMs})
      --json             machine output: one JSON document per line
  -h, --help             show this help
`;
}

/** The usage lines of the flags every command that takes `--url` or `--center` accepts. */
export const CONNECTION_USAGE = connectionUsage('any');

/** The path of every engine's API server; the end-user (protocol) servers take any path. */
const API_PATH = /\/ws\/v1\/?$/;

/** Reads a command line: the connection flags, the command's own flags and its positionals. */
export function parseCommandLine<F extends FlagSpecs>(
  argv: readonly string[],
  syntax: CommandSyntax<F>,
  env: Readonly<Record<string, string | undefined>> = {},
): CommandLine<F> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        ...syntax.flags,
        ...(syntax.node ? { node: { type: 'string' } } : {}),
        ...CONNECTION_FLAGS,
      },
    });
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { kind: 'help' };
  const string = (name: string) => values[name] as string | undefined;

  const { positionals } = parsed;
  const { min, max, synopsis } = syntax.positionals;
  if (positionals.length < min || positionals.length > max) {
    return { kind: 'error', message: `expected ${synopsis}, got ${positionals.length} argument(s)` };
  }

  if (syntax.endpoint === 'cluster' && string('center') === undefined) {
    return { kind: 'error', message: 'give --center URL: the engine list is read from a center' };
  }
  const where = endpointOf(string('url'), string('center'));
  if (typeof where === 'string') return { kind: 'error', message: where };

  const dialect = string('dialect') ?? CLIENT_DEFAULTS.dialect;
  if (dialect !== 'v1.0.2' && dialect !== 'v1.0.3') {
    return { kind: 'error', message: '--dialect takes v1.0.2 or v1.0.3' };
  }
  const timeout = string('timeout');
  const timeoutMs = timeout === undefined ? CLIENT_DEFAULTS.requestTimeoutMs : Number(timeout);
  if (!/^\d+$/.test(timeout ?? '0') || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    return { kind: 'error', message: '--timeout takes a positive whole number of milliseconds' };
  }
  const node = string('node');
  if (node !== undefined && where.endpoint.kind !== 'cluster') {
    return { kind: 'error', message: '--node picks an engine of a cluster: it needs --center' };
  }

  const username = string('user') ?? where.auth.username ?? env['CONNMIX_USER'];
  const password = string('password') ?? where.auth.password ?? env['CONNMIX_PASSWORD'];
  const auth =
    username === undefined && password === undefined
      ? undefined
      : { username: username ?? '', password: password ?? '' };

  const own: Record<string, unknown> = {};
  for (const name of Object.keys(syntax.flags)) own[name] = values[name];
  return {
    kind: 'run',
    connection: { endpoint: where.endpoint, auth, dialect, timeoutMs, node },
    flags: own as FlagValues<F>,
    positionals,
    json: values['json'] === true,
  };
}

interface UrlCredentials {
  username: string | undefined;
  password: string | undefined;
}

/** The endpoint and the credentials its URL held, or why the flags do not name one. */
function endpointOf(
  url: string | undefined,
  center: string | undefined,
): { endpoint: Endpoint; auth: UrlCredentials } | string {
  if (url !== undefined && center !== undefined) {
    return 'give either --url (one engine) or --center (a cluster), not both';
  }
  if (url !== undefined) {
    const split = splitCredentials(url, ['ws:', 'wss:']);
    if (!split) {
      return /^https?:/i.test(url)
        ? `--url takes an engine API URL such as ws://127.0.0.1:6789/ws/v1, not the web address ${url} (a center goes in --center)`
        : '--url takes an engine API URL such as ws://127.0.0.1:6789/ws/v1';
    }
    // Checked here rather than found out by a 10 s timeout: an end-user port accepts the
    // socket, then treats every request as an end user's message and never answers.
    if (!API_PATH.test(new URL(split.url).pathname)) {
      return (
        `${url} is not an engine API URL: the API server's path is /ws/v1 ` +
        '(ws://HOST:6789/ws/v1). A URL without it is usually an end-user (protocol server) address, ' +
        'which workers and this command cannot use'
      );
    }
    return { endpoint: { kind: 'engine', url: split.url }, auth: split.auth };
  }
  if (center !== undefined) {
    const split = splitCredentials(center, ['http:', 'https:']);
    if (!split) return '--center takes a center URL such as http://127.0.0.1:6787';
    return { endpoint: { kind: 'cluster', center: split.url }, auth: split.auth };
  }
  return 'give --url ws://HOST:6789/ws/v1 (one engine) or --center http://HOST:6787 (a cluster)';
}

/**
 * Takes `user:pass@` out of a URL (percent-decoded), so that the credentials travel only in the
 * `Authorization` header. Undefined for a URL that is not one of `protocols`.
 */
function splitCredentials(
  text: string,
  protocols: readonly string[],
): { url: string; auth: UrlCredentials } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  if (!protocols.includes(parsed.protocol) || parsed.host === '') return undefined;
  if (parsed.username === '' && parsed.password === '') {
    return { url: text, auth: { username: undefined, password: undefined } };
  }
  const decode = (part: string) => {
    if (part === '') return undefined;
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const auth = { username: decode(parsed.username), password: decode(parsed.password) };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, auth };
}
