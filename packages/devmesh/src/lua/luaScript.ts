import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EntryConnection, EntryEvent } from '../entry.ts';
import { LUA51_COMPAT } from './compat51.ts';
import { detectEra, missingHooks, type LuaEra } from './hookEra.ts';
import { installBridge, type LuaLogLevel } from './mixBridge.ts';
import { AWAIT_TOKEN, MIX_PRELUDE } from './mixPrelude.ts';
import { LuaScriptError } from './luaScriptError.ts';
import { LuaVm } from './luaVm.ts';
import { PRETTYPRINT_MODULE, WEBSOCKET_MODULE } from './websocketModule.ts';

/** What a script is loaded from and with. */
export interface ScriptSource {
  /** Absolute path of the entry script. */
  path: string;
  /** The name errors carry (`entry.lua:12: ...`). */
  chunkName: string;
  source: Buffer;
  /** Forces the era instead of detecting it. */
  era: LuaEra | undefined;
  budgetMs: number;
  serverOptions: Readonly<Record<string, string>>;
  log(level: LuaLogLevel, message: string): void;
}

const BUILTIN_MODULES: Record<string, string> = {
  'protocols/websocket': WEBSOCKET_MODULE,
  prettyprint: PRETTYPRINT_MODULE,
  'utils/prettyprint': PRETTYPRINT_MODULE,
};

/**
 * One entry script loaded in a Lua VM of its own (one per engine, as each engine has its own
 * VM): runs each hook in a coroutine, waits where the script waits, stops it past its budget.
 */
export class LuaScript {
  #detected: LuaEra = 'v1.0.3-websocket';
  readonly #tickets = new Map<number, Promise<unknown[]>>();
  readonly #connections = new Map<string, EntryConnection>();
  #nextTicket = 1;
  #running: EntryEvent | undefined;
  #active = 0;
  #retired = false;

  readonly #vm: LuaVm;
  readonly #from: ScriptSource;

  private constructor(vm: LuaVm, from: ScriptSource) {
    this.#vm = vm;
    this.#from = from;
  }

  get era(): LuaEra {
    return this.#detected;
  }

  /** Picks the era, checks the required hooks, runs v1.0.1's `init()`. */
  #init(): void {
    const from = this.#from;
    const hooks = this.#call('__connmix_describe', []) as Record<string, number> | unknown[];
    const defined = Array.isArray(hooks) ? {} : hooks;
    this.#detected = from.era ?? detectEra(defined);
    const missing = missingHooks(this.era, defined);
    if (missing.length > 0) {
      throw new LuaScriptError({
        hook: 'load',
        luaMessage: `${from.chunkName}: a ${this.era} entry script defines ${missing.join(', ')}`,
      });
    }
    this.#call('__connmix_set_era', [this.era]);
    if (this.era === 'v1.0.2' && this.#vm.hasFunction('init')) this.#call('init', []);
  }

  /** Compiles and runs the script's top level; throws `LuaScriptError` with file and line. */
  static async load(from: ScriptSource): Promise<LuaScript> {
    const vm = await LuaVm.create();
    const script = new LuaScript(vm, from);
    try {
      const dir = dirname(from.path);
      installBridge(vm, {
        conn: (clientId) => script.#connection(clientId),
        current: () => script.#currentEvent(),
        ticket: (pending) => script.#ticket(pending),
        log: from.log,
        readFile: (path) => readOrUndefined(resolve(dir, path)),
        serverOption: (name) => from.serverOptions[name],
        get rawSend() {
          return script.era !== 'v1.0.3-websocket';
        },
      });
      vm.push(vm.L, BUILTIN_MODULES);
      vm.setGlobal('__connmix_builtin_modules');
      run(vm, LUA51_COMPAT, '=[dev mesh compat]', from.budgetMs);
      run(vm, MIX_PRELUDE, '=[dev mesh prelude]', from.budgetMs);
      run(
        vm,
        `package.path = ${luaString(`${dir}/?.lua;${dir}/?/init.lua`)}`,
        '=[dev mesh path]',
        from.budgetMs,
      );
      run(vm, from.source, `@${from.chunkName}`, from.budgetMs);
      script.#init();
      return script;
    } catch (error) {
      vm.close();
      throw error;
    }
  }

  /** Runs hook `kind` of the dispatcher in a new coroutine for `event`'s connection. */
  async hook(kind: string, event: EntryEvent, args: readonly unknown[]): Promise<void> {
    this.#connections.set(event.conn.clientId, event.conn);
    try {
      await this.#drive(kind, event, '__connmix_hook', [kind, event.conn.clientId, ...args]);
    } finally {
      if (kind === 'close') this.#connections.delete(event.conn.clientId);
    }
  }

  /** `protocol_encode` for a frame a worker sends; undefined when the script gives no bytes. */
  encode(event: EntryEvent, data: string | Uint8Array): Uint8Array | undefined {
    const coroutine = this.#vm.newCoroutine('__connmix_encode', [event.conn.clientId, data]);
    let finished = false;
    // encode may run inside another hook's step (its mix.mesh.send): that hook's event comes back after
    const outer = this.#running;
    try {
      this.#running = event;
      const outcome = this.#vm.resume(coroutine.thread, 2, this.#from.budgetMs);
      finished = outcome.kind === 'done';
      if (outcome.kind === 'error') {
        throw new LuaScriptError({
          hook: 'protocol_encode',
          luaMessage: outcome.message,
          traceback: outcome.traceback,
        });
      }
      const out = outcome.kind === 'done' ? outcome.values[0] : undefined;
      if (typeof out === 'string') return Buffer.from(out, 'utf8');
      return out instanceof Uint8Array ? out : undefined;
    } finally {
      this.#running = outer;
      this.#vm.release(coroutine, finished);
    }
  }

  /** No new hooks will come (a reload replaced the script); the VM goes once the last hook ends. */
  retire(): void {
    this.#retired = true;
    if (this.#active === 0) this.#vm.close();
  }

  async #drive(hook: string, event: EntryEvent, fn: string, args: readonly unknown[]): Promise<void> {
    const coroutine = this.#vm.newCoroutine(fn, args);
    const { thread } = coroutine;
    let finished = false;
    this.#active++;
    try {
      let nargs = args.length;
      for (;;) {
        this.#running = event;
        let outcome;
        try {
          outcome = this.#vm.resume(thread, nargs, this.#from.budgetMs);
        } finally {
          this.#running = undefined;
        }
        if (outcome.kind === 'done') {
          finished = true;
          return;
        }
        if (outcome.kind === 'error') {
          throw new LuaScriptError({
            hook: hookName(hook),
            luaMessage: outcome.message,
            traceback: outcome.traceback,
          });
        }
        const [token, ticket] = outcome.values;
        const pending = typeof ticket === 'number' ? this.#tickets.get(ticket) : undefined;
        if (token !== AWAIT_TOKEN || pending === undefined) {
          throw new LuaScriptError({
            hook: hookName(hook),
            luaMessage:
              'a hook yielded outside a coroutine of its own (coroutine.yield at the top of a hook)',
          });
        }
        this.#tickets.delete(ticket as number);
        const results = await pending; // a rejection (the connection closed) ends the hook here
        for (const value of results) this.#vm.push(thread, value);
        nargs = results.length;
      }
    } finally {
      this.#vm.release(coroutine, finished);
      this.#active--;
      if (this.#retired && this.#active === 0) this.#vm.close();
    }
  }

  #call(fn: string, args: readonly unknown[]): unknown {
    const coroutine = this.#vm.newCoroutine(fn, args);
    let finished = false;
    try {
      const outcome = this.#vm.resume(coroutine.thread, args.length, this.#from.budgetMs);
      finished = outcome.kind === 'done';
      if (outcome.kind === 'error')
        throw new LuaScriptError({ hook: fn, luaMessage: outcome.message, traceback: outcome.traceback });
      if (outcome.kind === 'yield')
        throw new LuaScriptError({ hook: fn, luaMessage: `${fn} cannot wait while the script loads` });
      return outcome.values[0];
    } finally {
      this.#vm.release(coroutine, finished);
    }
  }

  #connection(clientId: string): EntryConnection {
    const conn = this.#connections.get(clientId);
    if (conn === undefined) throw new Error(`connection ${clientId} is closed`);
    return conn;
  }

  #currentEvent(): EntryEvent {
    if (this.#running === undefined) throw new Error('this call works only inside a hook');
    return this.#running;
  }

  #ticket(pending: Promise<unknown[]>): number {
    const id = this.#nextTicket++;
    // A wait that fails before the hook resumes is handled by the await in drive.
    pending.catch(() => undefined);
    this.#tickets.set(id, pending);
    return id;
  }
}

/** The script's name for a dispatcher hook, as errors report it. */
function hookName(kind: string): string {
  if (kind === 'data') return 'protocol_input';
  return `on_${kind}`;
}

function run(vm: LuaVm, source: string | Buffer, chunkName: string, budgetMs: number): void {
  try {
    vm.run(source, chunkName, budgetMs);
  } catch (error) {
    throw new LuaScriptError({ hook: 'load', luaMessage: (error as Error).message });
  }
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function luaString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}
