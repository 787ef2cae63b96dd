import type { Entry } from '@connmix/devmesh';
import { chatEntry } from './entry.ts';

/**
 * The entry `--entry` names: `src/entry.ts` by default. The Lua counterpart of this example's
 * entry is to run through `loadLuaEntry` from `@connmix/devmesh` once it exists; until then a
 * Lua entry is refused with a clear message.
 */
export async function entryFromFlag(path: string | undefined): Promise<Entry> {
  if (path === undefined) return chatEntry;
  const devmesh: Record<string, unknown> = await import('@connmix/devmesh');
  const load = devmesh['loadLuaEntry'];
  if (typeof load !== 'function') {
    throw new Error(`--entry ${path}: this version of @connmix/devmesh cannot run Lua entry scripts yet`);
  }
  return await (load as (file: string) => Promise<Entry>)(path);
}
