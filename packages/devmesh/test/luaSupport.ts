// Helpers for the Lua entry tests: the scripts live in test/lua.
import { fileURLToPath } from 'node:url';
import { closeAllClients } from '@connmix/test-support/wsClients';
import { afterEach } from 'vitest';
import { loadLuaEntry, startDevMesh, type DevMesh, type LuaEntry, type LuaLogRecord } from '../src/index.ts';

/** The absolute path of a test script. */
export function script(name: string): string {
  return fileURLToPath(new URL(`./lua/${name}`, import.meta.url));
}

/** A log sink that keeps every record, for assertions (nothing reaches the console). */
export function logSink(): { records: LuaLogRecord[]; log: (record: LuaLogRecord) => void } {
  const records: LuaLogRecord[] = [];
  return { records, log: (record) => records.push(record) };
}

/**
 * Loads entries and starts meshes for one test file, and closes them after each test: the raw
 * clients first, then the meshes, then the entries (a mesh may still be running a script).
 */
export function luaRuns(): { load: typeof loadLuaEntry; start: typeof startDevMesh } {
  const meshes: DevMesh[] = [];
  const entries: LuaEntry[] = [];
  afterEach(async () => {
    await closeAllClients();
    await Promise.all(meshes.splice(0).map((mesh) => mesh.close()));
    for (const entry of entries.splice(0)) entry.close();
  });
  return {
    async load(...args) {
      const entry = await loadLuaEntry(...args);
      entries.push(entry);
      return entry;
    },
    async start(...args) {
      const mesh = await startDevMesh(...args);
      meshes.push(mesh);
      return mesh;
    },
  };
}
