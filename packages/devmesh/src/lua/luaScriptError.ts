import { ConnmixError } from '@connmix/core';

/**
 * A Lua entry script failed: it did not compile, raised an error, or ran past its time budget.
 * `file` and `line` say where, as Lua reported it.
 */
export class LuaScriptError extends ConnmixError {
  override name = 'LuaScriptError' as const;
  /** Where the script stopped (the chunk name, e.g. `entry.lua`), when Lua said. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** What was running: `load` (the script's top level) or the hook, e.g. `on_message`. */
  readonly hook: string;
  /** Lua's own message, with its `file:line:` prefix. */
  readonly luaMessage: string;
  /** Lua's stack traceback, when there is one. */
  readonly traceback: string | undefined;

  constructor(args: { hook: string; luaMessage: string; traceback?: string | undefined }) {
    super(`Lua ${args.hook} failed: ${args.luaMessage}`);
    this.hook = args.hook;
    this.luaMessage = args.luaMessage;
    this.traceback = args.traceback;
    const where = /^(.+?):(\d+): /.exec(args.luaMessage);
    this.file = where?.[1];
    this.line = where?.[2] === undefined ? undefined : Number(where[2]);
  }
}
