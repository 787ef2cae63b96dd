import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { basename, resolve } from 'node:path';
import { ValidationError } from '@connmix/core';
import type { Entry, EntryEvent, EntryHookName } from '../entry.ts';
import { isSocketEra, type LuaEra } from './hookEra.ts';
import type { LuaLogLevel } from './mixBridge.ts';
import { LuaScript, type ScriptSource } from './luaScript.ts';
import { LuaScriptError } from './luaScriptError.ts';

/** One `mix.log` (or `print`) line of a script, or an error the mesh reports for it. */
export interface LuaLogRecord {
  level: LuaLogLevel;
  message: string;
  /** The engine whose VM wrote it. */
  node: string | undefined;
}

export interface LuaEntryOptions {
  /** The hook style; detected from the hooks the script defines when left out. */
  era?: LuaEra | undefined;
  /** What `mix.server.option(name)` returns (the protocol server's `options` in the yaml). @default {} */
  serverOptions?: Readonly<Record<string, string>> | undefined;
  /** How long a script may run without waiting before it is stopped (a runaway loop). @default 1000 */
  timeoutMs?: number | undefined;
  /** Where `mix.log`, `print` and script errors go. @default each line on stderr */
  log?: ((record: LuaLogRecord) => void) | undefined;
  /** A hook failed (the connection is closed with 1011; the mesh keeps serving). */
  onError?:
    | ((error: LuaScriptError, event: { clientId: string; node: string; hook: EntryHookName }) => void)
    | undefined;
}

/** The defaults of `loadLuaEntry`'s options. */
export const LUA_ENTRY_DEFAULTS = { timeoutMs: 1000 } as const;

/** An entry that runs a connmix Lua entry script: pass it as `startDevMesh({ entry })`. */
export interface LuaEntry extends Entry {
  /** Absolute path of the script. */
  readonly path: string;
  readonly era: LuaEra;
  /**
   * Reads the script again; the next hooks run the new version (open connections and their
   * context stay). If the new version does not load, the old one keeps running and this rejects
   * with a `LuaScriptError`.
   */
  reload(): Promise<void>;
  /** Frees the Lua VMs once their running hooks are done. */
  close(): void;
}

/**
 * Loads a connmix entry script (`entry.lua`) for the dev mesh. Rejects with `LuaScriptError`
 * (file and line) when it does not compile or its top level fails.
 *
 * @example
 * const mesh = await startDevMesh({ engines: 2, entry: await loadLuaEntry('./entry.lua') });
 */
export async function loadLuaEntry(path: string, options: LuaEntryOptions = {}): Promise<LuaEntry> {
  const timeoutMs = options.timeoutMs ?? LUA_ENTRY_DEFAULTS.timeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new ValidationError('Lua entry options', [
      { path: ['timeoutMs'], message: 'a positive duration in ms' },
    ]);
  const absolute = resolve(path);
  const log = options.log ?? ((record) => process.stderr.write(`[lua ${record.level}] ${record.message}\n`));
  const read = async (): Promise<Buffer> => {
    try {
      return await readFile(absolute);
    } catch (error) {
      throw new LuaScriptError({
        hook: 'load',
        luaMessage: `cannot read ${path}: ${(error as Error).message}`,
      });
    }
  };
  /** Which engine a VM serves: the first VM learns it when the first engine adopts it. */
  type Owner = { node: string | undefined };
  const sourceFor = (source: Buffer, owner: Owner): ScriptSource => ({
    path: absolute,
    chunkName: basename(absolute),
    source,
    era: options.era,
    budgetMs: timeoutMs,
    serverOptions: options.serverOptions ?? {},
    log: (level, message) => log({ level, message, node: owner.node }),
  });

  let source = await read();
  let spareOwner: Owner = { node: undefined };
  const first = await LuaScript.load(sourceFor(source, spareOwner));
  const era = first.era;
  // One VM per engine, as each engine runs its own; the first engine takes the one loaded here.
  let spare: LuaScript | undefined = first;
  let scripts = new Map<string, Promise<LuaScript>>();
  /** The same scripts once loaded: `encode` is synchronous. */
  let ready = new Map<string, LuaScript>();
  const scriptFor = (node: string): Promise<LuaScript> => {
    let script = scripts.get(node);
    if (script === undefined) {
      const reuse = spare;
      spare = undefined;
      if (reuse !== undefined) spareOwner.node = node;
      script = reuse !== undefined ? Promise.resolve(reuse) : LuaScript.load(sourceFor(source, { node }));
      const loadedInto = ready;
      script.then(
        (s) => loadedInto.set(node, s),
        () => scripts.delete(node),
      );
      scripts.set(node, script);
    }
    return script;
  };
  const run = async (event: EntryEvent, kind: string, args: readonly unknown[]) => {
    const script = await scriptFor(event.conn.node);
    await script.hook(kind, event, args);
  };
  const retireAll = (all: Map<string, Promise<LuaScript>>) => {
    for (const pending of all.values())
      void pending.then(
        (script) => script.retire(),
        () => undefined,
      );
  };

  const socket = isSocketEra(era);
  const entry: LuaEntry = {
    path: absolute,
    era,
    protocol: socket ? 'socket' : 'websocket',
    onHandshake: (event) =>
      socket
        ? run(event, 'connect', [])
        : run(event, 'handshake', [canonicalHeaders(event.conn.headers), serverFacts(event)]),
    onMessage: (event) => run(event, 'message', [{ type: event.message.type, data: event.message.data }]),
    onData: (event) => run(event, 'data', [event.data]),
    encode(event) {
      // A connection's first hook loads its engine's script, so it is ready by the time a worker writes.
      return ready.get(event.conn.node)?.encode(event, event.data);
    },
    onClose: (event) => run(event, 'close', [closeError(event.code, event.reason, socket)]),
    onError({ conn, hook, error }) {
      const failure =
        error instanceof LuaScriptError
          ? error
          : new LuaScriptError({ hook, luaMessage: error instanceof Error ? error.message : String(error) });
      log({ level: 'error', message: failure.luaMessage, node: conn.node });
      options.onError?.(failure, { clientId: conn.clientId, node: conn.node, hook });
    },
    async reload() {
      const next = await read();
      const owner: Owner = { node: undefined };
      const candidate = await LuaScript.load(sourceFor(next, owner));
      if (candidate.era !== era) {
        candidate.retire();
        throw new LuaScriptError({
          hook: 'load',
          luaMessage: `${basename(absolute)}: the script changed from ${era} to ${candidate.era} hooks; restart the mesh`,
        });
      }
      source = next;
      const old = scripts;
      scripts = new Map();
      ready = new Map();
      if (spare !== undefined) spare.retire();
      spare = candidate;
      spareOwner = owner;
      retireAll(old);
      // Engines that ran the old version get the new one now, so protocol_encode keeps working for
      // their open connections before any of them sends again.
      await Promise.all([...old.keys()].map((node) => scriptFor(node)));
    },
    close() {
      spare?.retire();
      spare = undefined;
      retireAll(scripts);
      scripts = new Map();
      ready = new Map();
    },
  };
  return entry;
}

/** Headers as Go's `net/http` names them (`Sec-Websocket-Key`), each with its values joined. */
function canonicalHeaders(headers: Readonly<IncomingHttpHeaders>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    out[canonical] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** v1.0.3's `server` argument of `on_handshake`. */
function serverFacts(event: EntryEvent): Record<string, string> {
  const { conn } = event;
  return {
    Method: 'GET',
    RequestUri: conn.path,
    ServerProtocol: 'HTTP/1.1',
    Host: String(conn.headers.host ?? ''),
    RemoteAddr: conn.remoteAddress,
  };
}

/** The `err` a close hook gets, worded as the Go servers word it (an inference: the docs show none). */
function closeError(code: number, reason: string, socket: boolean): string {
  if (socket) return code === 1000 ? 'EOF' : 'connection reset';
  return `websocket: close ${code}${reason === '' ? '' : `: ${reason}`}`;
}
