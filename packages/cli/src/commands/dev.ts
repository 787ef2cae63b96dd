import { parseArgs } from 'node:util';
import {
  loadLuaEntry,
  startDevMesh,
  type DevMesh,
  type DevMeshOptions,
  type LuaEntry,
} from '@connmix/devmesh';
import type { CommandIo, Output } from '../io.ts';
import { watchEntry } from './entryWatcher.ts';
import { formatStatus } from './status.ts';

/** What `runDev` is given: stdout gets the URLs and the status line. */
export interface RunDevOptions extends CommandIo {
  /** How often the status is shown: redrawn in place on a TTY, a new line otherwise; 0 for never. @default 1000 on a TTY, 5000 otherwise */
  statusIntervalMs?: number | undefined;
}

export const DEV_USAGE = `Usage: connmix dev [options]

Starts a local connmix-compatible mesh (a development stand-in, not the engine):
one center and N engines, each with an API server for workers and a protocol
server for end users (browsers).

Options:
  -n, --engines <N>      number of engines (default 1)
  -d, --dialect <D>      wire dialect: v1.0.2 (default) or v1.0.3
      --host <H>         interface to bind (default 127.0.0.1)
      --fixed-ports      the engine's default ports: center 6787, engine i API
                         6789+2i and protocol 6790+2i (default: chosen by the OS)
      --short-node-ids   10-letter node ids, as v1.0.3 engines have (default 1, 2, ...)
  -e, --entry <FILE>     run a connmix Lua entry script (entry.lua) instead of the
                         default entry; it is reloaded when the file changes
      --option <K=V>     what mix.server.option(K) returns in the script (repeatable)
  -h, --help             show this help
`;

/**
 * `connmix dev`: starts a dev mesh, prints its URLs and a live status, and stops it when `signal`
 * aborts. Resolves with the exit code (0, 1 when the mesh cannot start, 2 for bad arguments).
 */
export async function runDev(argv: readonly string[], options: RunDevOptions): Promise<number> {
  const { stdout, signal } = options;
  const stderr = options.stderr ?? stdout;
  const parsed = parseDevArgs(argv);
  if (parsed.kind === 'error') {
    stderr.write(`connmix dev: ${parsed.message}\n\n${DEV_USAGE}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    stdout.write(DEV_USAGE);
    return 0;
  }
  if (signal.aborted) return 0;
  let entry: LuaEntry | undefined;
  if (parsed.entry !== undefined) {
    try {
      entry = await loadLuaEntry(parsed.entry.path, {
        serverOptions: parsed.entry.serverOptions,
        log: luaLog(stderr),
      });
    } catch (error) {
      stderr.write(`connmix dev: ${(error as Error).message}\n`);
      return 1;
    }
  }
  let mesh: DevMesh;
  try {
    mesh = await startDevMesh(entry === undefined ? parsed.options : { ...parsed.options, entry });
  } catch (error) {
    entry?.close();
    stderr.write(`connmix dev: the mesh could not start: ${(error as Error).message}\n`);
    return 1;
  }
  stdout.write(describeMesh(mesh, entry));
  const stopWatching =
    entry === undefined
      ? undefined
      : watchEntry(entry, {
          onReload: () => stdout.write(`connmix dev: reloaded ${entry.path}\n`),
          onError: (error) =>
            stderr.write(`connmix dev: reload failed, the previous script keeps running: ${error.message}\n`),
        });
  const tty = stdout.isTTY === true;
  const every = options.statusIntervalMs ?? (tty ? 1000 : 5000);
  const show = () =>
    stdout.write(tty ? `\r${formatStatus(mesh.stats())}\x1b[K` : `${formatStatus(mesh.stats())}\n`);
  if (tty) show();
  const timer = every > 0 ? setInterval(show, every) : undefined;
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (timer !== undefined) clearInterval(timer);
  stopWatching?.();
  if (tty) stdout.write('\n');
  await mesh.close();
  entry?.close();
  stdout.write('connmix dev: stopped\n');
  return 0;
}

/** What a `connmix dev` argument list asks for. */
export type DevArgs =
  | { kind: 'run'; options: DevMeshOptions; entry?: DevEntryArgs | undefined }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** `--entry` and its `--option`s. */
export interface DevEntryArgs {
  path: string;
  serverOptions: Record<string, string>;
}

/** Reads the arguments of `connmix dev`. */
export function parseDevArgs(argv: readonly string[]): DevArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        engines: { type: 'string', short: 'n' },
        dialect: { type: 'string', short: 'd' },
        host: { type: 'string' },
        'fixed-ports': { type: 'boolean' },
        'short-node-ids': { type: 'boolean' },
        entry: { type: 'string', short: 'e' },
        option: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help === true) return { kind: 'help' };
  const engines = values.engines === undefined ? 1 : Number(values.engines);
  if (!Number.isInteger(engines) || engines < 1 || engines > 64) {
    return { kind: 'error', message: '--engines takes a number from 1 to 64' };
  }
  const dialect = values.dialect ?? 'v1.0.2';
  if (dialect !== 'v1.0.2' && dialect !== 'v1.0.3') {
    return { kind: 'error', message: '--dialect takes v1.0.2 or v1.0.3' };
  }
  const options: DevMeshOptions = {
    engines,
    dialect,
    host: values.host ?? '127.0.0.1',
    ports: values['fixed-ports'] === true ? 'fixed' : 'os',
    ...(values['short-node-ids'] === true ? { nodeIds: 'short' as const } : {}),
  };
  const serverOptions: Record<string, string> = {};
  for (const pair of values.option ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) return { kind: 'error', message: `--option takes NAME=VALUE, got "${pair}"` };
    serverOptions[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (values.entry === undefined) {
    if (values.option !== undefined) return { kind: 'error', message: '--option needs --entry' };
    return { kind: 'run', options };
  }
  return { kind: 'run', options, entry: { path: values.entry, serverOptions } };
}

/** Script log lines on stderr, with the engine that wrote them. */
function luaLog(
  stderr: Output,
): (record: { level: string; message: string; node: string | undefined }) => void {
  return (record) =>
    stderr.write(
      `lua ${record.level}${record.node === undefined ? '' : ` node ${record.node}`}: ${record.message}\n`,
    );
}

function describeMesh(mesh: DevMesh, entry: LuaEntry | undefined): string {
  const lines = [
    `connmix dev: ${mesh.engines.length} engine(s), dialect ${mesh.dialect} (a development stand-in, not the engine)`,
    ...(entry === undefined
      ? []
      : [`  entry       ${entry.path}   (Lua, ${entry.era} hooks, reloaded on change)`]),
    `  center      ${mesh.center.url}   (GET /version, GET /v1/nodes)`,
  ];
  for (const engine of mesh.engines) {
    lines.push(`  node ${engine.node}`, `    api       ${engine.apiUrl}   (workers)`);
    lines.push(`    protocol  ${engine.protocolUrl}   (end users, browsers)`);
  }
  lines.push('Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
