/** The next `count` items of an async iterator, each within `timeoutMs`; fails naming the one that did not come. */
export async function take<T>(stream: AsyncIterator<T>, count: number, timeoutMs: number): Promise<T[]> {
  const taken: T[] = [];
  for (let i = 0; i < count; i++) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`message ${i + 1} of ${count} did not arrive`)), timeoutMs);
    });
    const next = await Promise.race([stream.next(), late]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error(`the stream ended after ${i} of ${count} messages`);
    taken.push(next.value);
  }
  return taken;
}
