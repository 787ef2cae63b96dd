import { ConnmixError } from '../errors/errors.ts';
import { MessageQueue, type MessageQueueOptions } from './messageQueue.ts';
import { RingQueue } from './ringQueue.ts';

/** What the inbox reports: a reader that fell behind, or messages that no one consumes. */
export type InboxEvent =
  | { kind: 'slow'; error: ConnmixError; buffered: number; highWaterMark: number; topic: string | undefined }
  | { kind: 'unconsumed'; error: ConnmixError; held: number };

export interface InboxOptions<M> {
  /** Messages held with no consumer past which `unconsumed` is reported (once per episode). */
  highWaterMark: number;
  /** Whether a `message` handler listens now. */
  listening(): boolean;
  /** Hands a message to the `message` handlers. */
  emit(message: M): void;
  report(event: InboxEvent): void;
}

/** One reader of the inbox: a `consume()` subscription, or a `messages()` stream. */
export class InboxStream<M> extends MessageQueue<M> {
  /** The topics it reads; empty for a `messages()` stream of every topic. */
  readonly topics: readonly string[];
  /** @internal The topics as a set; undefined for every topic. */
  readonly filter: ReadonlySet<string> | undefined;
  #release: (() => void) | undefined;

  constructor(topics: readonly string[], options: MessageQueueOptions<M>, release: () => void) {
    super(options);
    this.topics = topics;
    this.filter = topics.length > 0 ? new Set(topics) : undefined;
    this.#release = release;
  }

  /** @internal Runs the owner's release once, whether the stream stopped or its inbox ended. */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** Ends it; what it had not read yet goes to the other consumers (or is held for the next). */
  async close(): Promise<void> {
    await this.return();
  }
}

/**
 * Where the queue messages of a client (or a cluster) go: to every `message` handler and every
 * open stream whose topics match. A message that no one consumes is held, not dropped: each one
 * was taken off the engine's queue, so dropping it would lose it. The next stream of its topic
 * (or the next `message` handler) gets it first. A stream that stops early gives back what it had
 * not read and no other consumer saw. Every step is O(1) per message and stream, whatever the
 * backlog.
 */
export class Inbox<M extends { readonly topic: string }> {
  readonly #options: InboxOptions<M>;
  readonly #streams = new Set<InboxStream<M>>();
  readonly #held = new RingQueue<M>();
  /** Messages handed to more than one consumer: one that stops early cannot give them back. */
  readonly #shared = new WeakSet<M>();
  #heldReported = false;
  #ended = false;

  constructor(options: InboxOptions<M>) {
    this.#options = options;
  }

  /** Messages no one consumes yet. */
  get held(): number {
    return this.#held.length;
  }

  /**
   * Opens a stream of `topics` (every topic if empty) that first receives the held messages it
   * matches; `released` runs once when it stops or the inbox ends.
   */
  open(topics: readonly string[], highWaterMark: number, name: string, released: () => void): InboxStream<M> {
    const topic = topics.length > 0 ? topics.join(', ') : undefined;
    const stream: InboxStream<M> = new InboxStream<M>(
      topics,
      {
      highWaterMark,
      onSlow: (buffered) =>
        this.#options.report({
          kind: 'slow',
          error: new ConnmixError(
            `${name}${topic === undefined ? '' : ` of topic ${topic}`} is ${buffered} messages behind ` +
              `(highWaterMark ${highWaterMark}); nothing is dropped, the buffer grows until it catches up`,
          ),
          buffered,
          highWaterMark,
          topic,
        }),
      onReturn: (unread) => {
        this.#streams.delete(stream);
        stream.release();
        for (const message of unread) if (!this.#shared.has(message)) this.deliver(message);
      },
      },
      released,
    );
    if (this.#ended) {
      stream.end();
      stream.release();
      return stream;
    }
    this.#streams.add(stream);
    this.#flush((message) => stream.filter?.has(message.topic) ?? true);
    return stream;
  }

  deliver(message: M): void {
    let consumers = 0;
    if (this.#options.listening()) {
      consumers++;
      this.#options.emit(message);
    }
    for (const stream of this.#streams) {
      if (stream.filter && !stream.filter.has(message.topic)) continue;
      consumers++;
      stream.push(message);
    }
    if (consumers > 1) this.#shared.add(message);
    else if (consumers === 0) this.#hold(message);
  }

  /** A `message` handler was added: it gets the held messages, once the caller has returned. */
  listened(): void {
    if (this.#held.length > 0)
      void Promise.resolve().then(() => {
        if (this.#options.listening()) this.#flush(() => true);
      });
  }

  /** No more messages: each stream hands out what it buffered, then ends; held ones are reported lost. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const streams = [...this.#streams];
    this.#streams.clear();
    for (const stream of streams) {
      stream.end();
      stream.release();
    }
    const held = this.#held.drain().length;
    if (held > 0) {
      this.#options.report({
        kind: 'unconsumed',
        error: new ConnmixError(`closed with ${held} messages that no consumer took; they are lost`),
        held,
      });
    }
  }

  /** Re-delivers the held messages that `matches` accepts, in their order; keeps the others. */
  #flush(matches: (message: M) => boolean): void {
    const held = this.#held.drain();
    for (const message of held) {
      if (matches(message)) this.deliver(message);
      else this.#held.push(message);
    }
    if (this.#held.length === 0) this.#heldReported = false;
  }

  #hold(message: M): void {
    this.#held.push(message);
    const held = this.#held.length;
    if (this.#heldReported || held <= this.#options.highWaterMark) return;
    this.#heldReported = true;
    this.#options.report({
      kind: 'unconsumed',
      error: new ConnmixError(
        `${held} messages arrived with no consumer (no consume(), messages() or message handler); ` +
          'they are held for the next one, nothing is dropped',
      ),
      held,
    });
  }
}
