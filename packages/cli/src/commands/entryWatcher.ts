import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { LuaEntry } from '@connmix/devmesh';

/** How long a burst of file events (an editor's save) settles before the script is read again. */
const SETTLE_MS = 100;

export interface EntryWatchHandlers {
  onReload(): void;
  onError(error: Error): void;
}

/**
 * Reloads `entry` when its file changes. The folder is watched, not the file: editors that save
 * by writing a new file and renaming it over the old one would end a watch on the file itself.
 * Returns the function that stops watching.
 */
export function watchEntry(entry: LuaEntry, handlers: EntryWatchHandlers): () => void {
  const name = basename(entry.path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reloading = Promise.resolve();
  const watcher = watch(dirname(entry.path), (_event, file) => {
    if (file !== null && file !== name) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reloading = reloading.then(() =>
        entry.reload().then(handlers.onReload, (error: unknown) => handlers.onError(error as Error)),
      );
    }, SETTLE_MS);
  });
  watcher.on('error', (error) => handlers.onError(error));
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    watcher.close();
  };
}
