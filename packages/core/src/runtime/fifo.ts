/**
 * A first-in first-out queue: an array read from a moving head, compacted once half of it has
 * been read, so `push` and `shift` are O(1) amortized whatever the length. (`Array.prototype.shift`
 * moves every element: draining a large backlog with it is quadratic.)
 */
export class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    const items = this.#items;
    if (this.#head === items.length) return undefined;
    const item = items[this.#head++];
    // Each compaction copies fewer items than were read since the last one.
    if (this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes every item and returns them, oldest first. */
  drain(): T[] {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return items;
  }
}
