// Heap measurements for the soak and drop scenarios. The reliability project runs with
// --expose-gc, so a figure is the live heap after a full collection, not garbage waiting for one.

const gc = (globalThis as { gc?: () => void }).gc;

/** Bytes of live heap after two full collections (the second frees what finalizers released). */
export function liveHeapBytes(): number {
  if (gc === undefined)
    throw new Error('the reliability project runs with --expose-gc; global.gc is missing');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export function mebibytes(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 100) / 100;
}
