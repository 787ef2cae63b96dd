/**
 * A first-in first-out queue on a circular array: `push` and `shift` are O(1) amortized whatever
 * the length. `Array.prototype.shift` moves every element, which made draining a large backlog
 * quadratic.
 */
export class RingQueue<T> {
  #items: Array<T | undefined> = new Array<T | undefined>(16);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    const items = this.#items;
    if (this.#length === items.length) {
      // Unroll into a twice larger array, oldest first: each item is copied O(1) times on average.
      const grown = new Array<T | undefined>(items.length * 2);
      for (let i = 0; i < this.#length; i++) grown[i] = items[(this.#head + i) % items.length];
      this.#items = grown;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#length++) % this.#items.length] = item;
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let it be collected
    this.#head = (this.#head + 1) % this.#items.length;
    this.#length--;
    return item;
  }

  /** Removes every item and returns them, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#length > 0) out.push(this.shift() as T);
    return out;
  }
}
