// Heap measurements for the soak and drop scenarios. The reliability project runs with
// --expose-gc, so a figure is the live heap after a full collection, not garbage waiting for one.
// Compiled code is left out: the JIT keeps optimizing for a while, and its code is no leak.
import { getHeapSpaceStatistics } from 'node:v8';

const gc = (globalThis as { gc?: () => void }).gc;

/** Bytes of live heap data (code spaces excluded) after two full collections. */
export function liveHeapBytes(): number {
  if (gc === undefined) {
    throw new Error('the reliability project runs with --expose-gc; global.gc is missing');
  }
  gc();
  gc();
  return getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code_'))
    .reduce((total, space) => total + space.space_used_size, 0);
}

export function mebibytes(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 100) / 100;
}
