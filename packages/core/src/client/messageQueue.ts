import { RingQueue } from './ringQueue.ts';

export interface MessageQueueOptions<T> {
  /** Buffered items past which the consumer counts as slow. */
  highWaterMark: number;
  /** Called once per slow episode, when the buffer grows past the mark. */
  onSlow(buffered: number): void;
  /** Called once when the consumer stops early (`break`, `return()`), with what it left unread. */
  onReturn(unread: T[]): void;
}

/**
 * A push-fed async iterator with a buffer watched against a high-water mark. Every operation is
 * O(1) amortized, so a reader drains a backlog of any size at full speed.
 *
 * WebSocket has no way to stop reading, and every queued message was taken off the engine's queue
 * already, so dropping one would lose it for good. The policy is therefore: keep buffering past
 * the mark, and signal `slow` once per episode. An episode starts when the buffer grows past
 * `highWaterMark` and ends once the consumer has drained it to half the mark. `end()` lets the
 * consumer read what is buffered, then finishes; `return()` (the consumer leaving) hands what is
 * unread to `onReturn`, so that its owner can give it to another consumer.
 */
export class MessageQueue<T> implements AsyncIterableIterator<T, undefined> {
  readonly #options: MessageQueueOptions<T>;
  readonly #buffer = new RingQueue<T>();
  readonly #readers = new RingQueue<(result: IteratorResult<T, undefined>) => void>();
  #ended = false;
  #slow = false;

  constructor(options: MessageQueueOptions<T>) {
    this.#options = options;
  }

  /** Messages received but not read yet. */
  get buffered(): number {
    return this.#buffer.length;
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
    const unread = this.#buffer.drain();
    this.#releaseReaders();
    if (!wasEnded) this.#options.onReturn(unread);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #releaseReaders(): void {
    for (let reader = this.#readers.shift(); reader; reader = this.#readers.shift())
      reader({ value: undefined, done: true });
  }
}
