import { isUtf8 } from 'node:buffer';
import { LuaFactory, type LuaEngine, type LuaWasm } from 'wasmoon';
import { LuaBytes } from './luaBytes.ts';

// One factory per process: a factory reserves ~17 MB of WASM memory, and every VM made from it
// afterwards costs almost nothing (measured with wasmoon 1.16). Created on first use only.
let sharedFactory: LuaFactory | undefined;

/** The parts of the Emscripten module used raw (wasmoon's typings leave them out). */
interface RawModule {
  _malloc(size: number): number;
  _free(pointer: number): void;
  _lua_tolstring(L: number, index: number, lengthOut: number): number;
  _lua_pushlstring(L: number, pointer: number, length: number): number;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
}

/** Lua status codes (lua.h). */
const LUA_OK = 0;
const LUA_YIELD = 1;
const LUA_REGISTRYINDEX = -1001000;
const LUA_MASKCOUNT = 8;
/** The hook runs every this many VM instructions: often enough to stop a loop within milliseconds. */
const HOOK_INSTRUCTIONS = 10_000;

const TYPE = { nil: 0, boolean: 1, number: 3, string: 4, table: 5 } as const;

/** A C function as wasmoon's module takes it: gets the lua_State, returns how many results it pushed. */
export type CFunction = (L: number) => number;

/** A Lua thread and the registry reference that keeps it alive. */
export interface Coroutine {
  readonly thread: number;
  readonly ref: number;
}

/** Finished coroutines kept for reuse. */
const MAX_IDLE_COROUTINES = 64;

/** How one step of a coroutine ended. */
export type ResumeOutcome =
  | { kind: 'done'; values: unknown[] }
  | { kind: 'yield'; values: unknown[] }
  | { kind: 'error'; message: string; traceback: string };

/** Values that come back from Lua; tables become arrays (keys 1..n) or objects. */
export type FromLua = unknown;

/**
 * A Lua 5.4 state driven through the raw C API: strings cross as bytes (binary-safe, where the
 * library's own conversion would decode them as UTF-8), tables are read and built field by
 * field, and a count hook stops code that runs past its deadline.
 */
export class LuaVm {
  readonly L: number;
  readonly #lua: LuaWasm;
  readonly #raw: RawModule;
  readonly #scratch: number;
  #deadline = Number.POSITIVE_INFINITY;
  #budgetMs = 0;
  readonly #functions: number[] = [];
  readonly #idle: Coroutine[] = [];
  /** Registry references of the global functions coroutines start with. */
  readonly #functionRefs = new Map<string, number>();
  #closed = false;

  readonly #engine: LuaEngine;

  private constructor(engine: LuaEngine) {
    this.#engine = engine;
    this.#lua = engine.global.lua;
    this.L = engine.global.address;
    this.#raw = this.#lua.module as unknown as RawModule;
    this.#scratch = this.#raw._malloc(8);
    const hook = this.#raw.addFunction((L: number) => {
      if (Date.now() <= this.#deadline) return;
      this.#deadline = Number.POSITIVE_INFINITY; // the error handler itself must be able to run
      this.#lua.luaL_where(L, 0);
      this.#lua.lua_pushstring(
        L,
        `the script ran for more than ${this.#budgetMs} ms without yielding and was stopped`,
      );
      this.#lua.lua_concat(L, 2);
      this.#lua.lua_error(L);
    }, 'vii');
    this.#functions.push(hook);
    // Coroutines created later inherit the hook of the state that creates them.
    this.#lua.lua_sethook(this.L, hook, LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
  }

  static async create(): Promise<LuaVm> {
    sharedFactory ??= new LuaFactory();
    const engine = await sharedFactory.createEngine({
      openStandardLibs: true,
      injectObjects: false,
      enableProxy: false,
    });
    return new LuaVm(engine);
  }

  /** Registers `fn` as a C function and pushes it. */
  pushFunction(fn: CFunction): void {
    const pointer = this.#raw.addFunction(fn, 'ii');
    this.#functions.push(pointer);
    this.#lua.lua_pushcclosure(this.L, pointer, 0);
  }

  /** Pushes a new empty table on the main state. */
  pushTable(): void {
    this.#lua.lua_createtable(this.L, 0, 0);
  }

  /** Sets field `name` of the table below the top of the stack to the top value (popping it). */
  setField(name: string): void {
    this.#lua.lua_setfield(this.L, -2, name);
  }

  /** Sets global `name` to the value on top of the stack (popping it). */
  setGlobal(name: string): void {
    this.#lua.lua_setglobal(this.L, name);
  }

  /** Loads and runs a chunk on the main state within `budgetMs`; throws the Lua error message (with file:line). */
  run(source: string | Uint8Array, chunkName: string, budgetMs: number): void {
    const L = this.L;
    const top = this.#lua.lua_gettop(L);
    this.load(L, source, chunkName);
    this.#budgetMs = budgetMs;
    this.#deadline = Date.now() + budgetMs;
    let status: number;
    try {
      status = this.#lua.lua_pcallk(L, 0, 0, 0, 0, null);
    } finally {
      this.#deadline = Number.POSITIVE_INFINITY;
    }
    if (status !== LUA_OK) {
      const message = this.readString(L, -1);
      this.#lua.lua_settop(L, top);
      throw new Error(message);
    }
  }

  /** Compiles a chunk and leaves it on the stack of L; throws the syntax error. */
  load(L: number, source: string | Uint8Array, chunkName: string): void {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    const pointer = this.#copyIn(bytes);
    try {
      const status = this.#lua.luaL_loadbufferx(L, pointer, bytes.length, chunkName, 't');
      if (status !== LUA_OK) {
        const message = this.readString(L, -1);
        this.#lua.lua_settop(L, -2);
        throw new Error(message);
      }
    } finally {
      this.#raw._free(pointer);
    }
  }

  /** Whether global `name` is a function. */
  hasFunction(name: string): boolean {
    const type = this.#lua.lua_getglobal(this.L, name);
    this.#lua.lua_settop(this.L, -2);
    return type === 6;
  }

  /**
   * A coroutine ready to run global function `fn` with `args`. Finished coroutines are reused
   * (a coroutine that returned can start a new function), which saves creating and anchoring a
   * thread per hook. Give it back with `release`.
   */
  newCoroutine(fn: string, args: readonly unknown[]): Coroutine {
    const coroutine = this.#idle.pop() ?? this.#createThread();
    const L = coroutine.thread;
    let ref = this.#functionRefs.get(fn);
    if (ref === undefined) {
      this.#lua.lua_getglobal(this.L, fn);
      ref = this.#lua.luaL_ref(this.L, LUA_REGISTRYINDEX);
      this.#functionRefs.set(fn, ref);
    }
    this.#lua.lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(ref));
    for (const arg of args) this.push(L, arg);
    return coroutine;
  }

  /** Resumes a coroutine with `args` (its initial arguments on the first call) for at most `budgetMs`. */
  resume(thread: number, nargs: number, budgetMs: number): ResumeOutcome {
    // A resume can nest (a hook's mix.mesh.send runs protocol_encode): the outer deadline comes back after.
    const outer = { deadline: this.#deadline, budgetMs: this.#budgetMs };
    this.#budgetMs = budgetMs;
    this.#deadline = Math.min(outer.deadline, Date.now() + budgetMs);
    let status: number;
    try {
      status = this.#lua.lua_resume(thread, this.L, nargs, this.#scratch);
    } finally {
      this.#deadline = outer.deadline;
      this.#budgetMs = outer.budgetMs;
    }
    const count = this.#raw.HEAP32[this.#scratch >> 2] ?? 0;
    if (status === LUA_OK || status === LUA_YIELD) {
      const values: unknown[] = [];
      const top = this.#lua.lua_gettop(thread);
      for (let i = top - count + 1; i <= top; i++) values.push(this.read(thread, i));
      this.#lua.lua_settop(thread, 0);
      return { kind: status === LUA_OK ? 'done' : 'yield', values };
    }
    const message = this.#lua.lua_type(thread, -1) === TYPE.string ? this.readString(thread, -1) : 'error';
    this.#lua.luaL_traceback(this.L, thread, message, 0);
    const traceback = this.readString(this.L, -1);
    this.#lua.lua_settop(this.L, -2);
    return { kind: 'error', message, traceback };
  }

  /** Takes a coroutine back: one that returned goes to the pool, any other is let go. */
  release(coroutine: Coroutine, finished: boolean): void {
    if (this.#closed) return;
    if (finished && this.#idle.length < MAX_IDLE_COROUTINES) {
      this.#lua.lua_settop(coroutine.thread, 0);
      this.#idle.push(coroutine);
    } else {
      this.#lua.luaL_unref(this.L, LUA_REGISTRYINDEX, coroutine.ref);
    }
  }

  #createThread(): Coroutine {
    const thread = this.#lua.lua_newthread(this.L);
    return { thread, ref: this.#lua.luaL_ref(this.L, LUA_REGISTRYINDEX) };
  }

  get top(): number {
    return this.#lua.lua_gettop(this.L);
  }

  argCount(L: number): number {
    return this.#lua.lua_gettop(L);
  }

  // ---- reading arguments ----

  isNil(L: number, index: number): boolean {
    return this.#lua.lua_type(L, index) <= TYPE.nil;
  }

  /** The bytes of a string (or number) argument. */
  readBytes(L: number, index: number): Buffer {
    const pointer = this.#raw._lua_tolstring(L, index, this.#scratch);
    if (pointer === 0) return Buffer.alloc(0);
    const length = this.#raw.HEAPU32[this.#scratch >> 2] ?? 0;
    return Buffer.from(this.#raw.HEAPU8.subarray(pointer, pointer + length));
  }

  /** A string argument as text (invalid UTF-8 becomes U+FFFD, as Go's JSON encoder does). */
  readString(L: number, index: number): string {
    return this.readBytes(L, index).toString('utf8');
  }

  /** Any value, converted: nil is undefined, a table an array or an object. */
  read(L: number, index: number, depth = 0): FromLua {
    const lua = this.#lua;
    switch (lua.lua_type(L, index)) {
      case -1:
      case TYPE.nil:
        return undefined;
      case TYPE.boolean:
        return lua.lua_toboolean(L, index) !== 0;
      case TYPE.number:
        return lua.lua_isinteger(L, index) !== 0
          ? Number(lua.lua_tointegerx(L, index, null))
          : lua.lua_tonumberx(L, index, null);
      case TYPE.string: {
        const bytes = this.readBytes(L, index);
        return isUtf8(bytes) ? bytes.toString('utf8') : LuaBytes.from(bytes);
      }
      case TYPE.table:
        return this.#readTable(L, index, depth);
      default:
        throw new TypeError(`a Lua ${lua.lua_typename(L, lua.lua_type(L, index))} has no JSON form`);
    }
  }

  #readTable(L: number, index: number, depth: number): FromLua {
    if (depth > 64) throw new RangeError('a table nested deeper than 64 levels (a cycle?)');
    const lua = this.#lua;
    const at = lua.lua_absindex(L, index);
    const entries: Array<[string | number, unknown]> = [];
    let sequence = true;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, at) !== 0) {
      // Number keys are read as numbers: lua_tolstring would turn the key into a string in place
      // and break lua_next.
      let key: string | number;
      if (lua.lua_type(L, -2) === TYPE.number) {
        key =
          lua.lua_isinteger(L, -2) !== 0
            ? Number(lua.lua_tointegerx(L, -2, null))
            : lua.lua_tonumberx(L, -2, null);
      } else if (lua.lua_type(L, -2) === TYPE.string) {
        key = this.readString(L, -2);
        sequence = false;
      } else {
        lua.lua_settop(L, -3);
        throw new TypeError('a table key that is neither a string nor a number has no JSON form');
      }
      let value: unknown;
      try {
        value = this.read(L, -1, depth + 1);
      } catch (error) {
        lua.lua_settop(L, -3);
        throw error;
      }
      entries.push([key, value]);
      lua.lua_settop(L, -2);
    }
    if (sequence) {
      const array: unknown[] = new Array<unknown>(entries.length);
      let ok = true;
      for (const [key, value] of entries) {
        if (typeof key !== 'number' || !Number.isInteger(key) || key < 1 || key > entries.length) {
          ok = false;
          break;
        }
        array[key - 1] = value ?? null;
      }
      if (ok) return array; // an empty table is [] too, as the engine encodes it
    }
    const object: Record<string, unknown> = {};
    for (const [key, value] of entries) object[String(key)] = value;
    return object;
  }

  // ---- pushing results ----

  pushNil(L: number): void {
    this.#lua.lua_pushnil(L);
  }

  pushBytes(L: number, bytes: Uint8Array): void {
    const pointer = this.#copyIn(bytes);
    this.#raw._lua_pushlstring(L, pointer, bytes.length);
    this.#raw._free(pointer);
  }

  pushString(L: number, text: string): void {
    this.pushBytes(L, Buffer.from(text, 'utf8'));
  }

  /** Pushes a JS value: objects and arrays become tables, null and undefined nil, bytes a string. */
  push(L: number, value: unknown, depth = 0): void {
    const lua = this.#lua;
    if (value === null || value === undefined) return lua.lua_pushnil(L);
    switch (typeof value) {
      case 'boolean':
        return lua.lua_pushboolean(L, value ? 1 : 0);
      case 'number':
        if (Number.isSafeInteger(value)) return lua.lua_pushinteger(L, BigInt(value));
        return lua.lua_pushnumber(L, value);
      case 'bigint':
        return lua.lua_pushinteger(L, BigInt.asIntN(64, value));
      case 'string':
        return this.pushString(L, value);
      case 'object':
        break;
      default:
        throw new TypeError(`a JS ${typeof value} cannot go to Lua`);
    }
    if (value instanceof Uint8Array) return this.pushBytes(L, value);
    if (depth > 64) throw new RangeError('a value nested deeper than 64 levels');
    if (Array.isArray(value)) {
      lua.lua_createtable(L, value.length, 0);
      value.forEach((item: unknown, i) => {
        this.push(L, item, depth + 1);
        lua.lua_rawseti(L, -2, BigInt(i + 1));
      });
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      if (item === undefined || item === null) continue;
      this.pushString(L, key);
      this.push(L, item, depth + 1);
      lua.lua_rawset(L, -3);
    }
  }

  /** Raises a Lua error with `message`, prefixed with the caller's file:line. Never returns. */
  raise(L: number, message: string): number {
    this.#lua.luaL_where(L, 1);
    this.pushString(L, message);
    this.#lua.lua_concat(L, 2);
    return this.#lua.lua_error(L);
  }

  /** Frees the state. Coroutines still suspended in it are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lua.lua_sethook(this.L, null, 0, 0);
    this.#engine.global.close();
    for (const pointer of this.#functions) this.#raw.removeFunction(pointer);
    this.#raw._free(this.#scratch);
  }

  #copyIn(bytes: Uint8Array): number {
    const pointer = this.#raw._malloc(Math.max(bytes.length, 1));
    this.#raw.HEAPU8.set(bytes, pointer);
    return pointer;
  }
}
