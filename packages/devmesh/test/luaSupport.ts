// Helpers for the Lua entry tests: the scripts live in test/lua.
import { fileURLToPath } from 'node:url';
import type { LuaLogRecord } from '../src/index.ts';

/** The absolute path of a test script. */
export function script(name: string): string {
  return fileURLToPath(new URL(`./lua/${name}`, import.meta.url));
}

/** A log sink that keeps every record, for assertions (nothing reaches the console). */
export function logSink(): { records: LuaLogRecord[]; log: (record: LuaLogRecord) => void } {
  const records: LuaLogRecord[] = [];
  return { records, log: (record) => records.push(record) };
}
