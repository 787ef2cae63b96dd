export interface MessageQueueOptions {
  /** Buffered items past which the consumer counts as slow. */
  highWaterMark: number;
  /** Called once per slow episode, when the buffer grows past the mark. */
  onSlow(buffered: number): void;
  /** Called once when the consumer stops early (`break` in a `for await`, or `return()`). */
  onReturn(): void;
}

/**
 * A push-fed async iterator with a buffer watched against a high-water mark.
 *
 * WebSocket has no way to stop reading, and every queued message was taken off the engine's queue
 * already, so dropping one would lose it for good. The policy is therefore: keep buffering past
 * the mark, and signal `slow` once per episode. An episode starts when the buffer grows past
 * `highWaterMark` and ends once the consumer has drained it to half the mark. `end()` lets the
 * consumer read what is buffered, then finishes; `return()` (the consumer leaving) discards it.
 */
export class MessageQueue<T> implements AsyncIterableIterator<T, undefined> {
  readonly #options: MessageQueueOptions;
  #buffer: T[] = [];
  #readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
  #ended = false;
  #slow = false;

  constructor(options: MessageQueueOptions) {
    this.#options = options;
  }

  /** Messages received but not read yet. */
  get buffered(): number {
    return this.#buffer.length;
  }

  push(item: T): void {
    if (this.#ended) return;
    const reader = this.#readers.shift();
    if (reader) {
      reader({ value: item, done: false });
      return;
    }
    this.#buffer.push(item);
    if (!this.#slow && this.#buffer.length > this.#options.highWaterMark) {
      this.#slow = true;
      this.#options.onSlow(this.#buffer.length);
    }
  }

  /** No more items will come; what is buffered can still be read. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#releaseReaders();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      if (this.#slow && this.#buffer.length <= this.#options.highWaterMark / 2) this.#slow = false;
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#readers.push(resolve));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const wasEnded = this.#ended;
    this.#ended = true;
    this.#buffer = [];
    this.#releaseReaders();
    if (!wasEnded) this.#options.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #releaseReaders(): void {
    const readers = this.#readers;
    this.#readers = [];
    for (const reader of readers) reader({ value: undefined, done: true });
  }
}
