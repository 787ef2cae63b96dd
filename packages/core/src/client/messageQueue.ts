import { Fifo } from '../runtime/fifo.ts';

export interface MessageQueueOptions<T> {
  /** Buffered items past which the consumer counts as slow. */
  highWaterMark: number;
  /** Called once per slow episode, when the buffer grows past the mark. */
  onSlow(buffered: number): void;
  /** Called once when the consumer stops early (`break`, `return()`, `close()`), with what it left unread. */
  onReturn(unread: T[]): void;
}

/**
 * A push-fed async iterator of some topics (every topic when none) with a buffer watched against
 * a high-water mark. Every operation is O(1) amortized, so a reader drains a backlog of any size
 * at full speed.
 *
 * WebSocket has no way to stop reading, and every queued message was taken off the engine's queue
 * already, so dropping one would lose it for good. The policy is therefore: keep buffering past
 * the mark, and signal `slow` once per episode. An episode starts when the buffer grows past
 * `highWaterMark` and ends once the consumer has drained it to half the mark. `end()` lets the
 * consumer read what is buffered, then finishes; `return()` (the consumer leaving) hands what is
 * unread to `onReturn`, so that its owner can give it to another consumer.
 */
export class MessageQueue<T> implements AsyncIterableIterator<T, undefined> {
  /** The topics it reads; empty for every topic. (`declare`d: the constructor defines it.) */
  declare readonly topics: readonly string[];
  readonly #options: MessageQueueOptions<T>;
  readonly #buffer = new Fifo<T>();
  /** Readers waiting for an item; rarely more than one. */
  #readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
  #ended = false;
  #slow = false;

  constructor(topics: readonly string[], options: MessageQueueOptions<T>) {
    this.topics = topics;
    this.#options = options;
  }

  /** Messages received but not read yet. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Whether it reads `topic`. */
  reads(topic: string): boolean {
    return this.topics.length === 0 || this.topics.includes(topic);
  }

  push(item: T): void {
    if (this.#ended) return;
    const reader = this.#readers.shift();
    if (reader) return reader({ value: item, done: false });
    this.#buffer.push(item);
    if (!this.#slow && this.#buffer.length > this.#options.highWaterMark) {
      this.#slow = true;
      this.#options.onSlow(this.#buffer.length);
    }
  }

  /** No more items will come; what is buffered can still be read. */
  end(): void {
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
    this.end();
    const unread = this.#buffer.drain();
    if (!wasEnded) this.#options.onReturn(unread);
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops it; what it had not read goes to the other consumers, or is held for the next one. */
  async close(): Promise<void> {
    await this.return();
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
