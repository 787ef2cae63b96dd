import { loadLuaEntry, type Entry } from '@connmix/devmesh';
import { chatEntry } from './entry.ts';

/** The entry `--entry` names: `src/entry.ts` by default, or a Lua entry script (`entry.lua`). */
export async function entryFromFlag(path: string | undefined): Promise<Entry> {
  if (path === undefined) return chatEntry;
  return await loadLuaEntry(path);
}
