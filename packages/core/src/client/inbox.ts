import { ConnmixError } from '../errors/errors.ts';
import { listenForAbort } from '../runtime/abort.ts';
import { Fifo } from '../runtime/fifo.ts';
import { MessageQueue } from './messageQueue.ts';
import { resolveStreamOptions } from './resolveOptions.ts';

/** The topics that subscriptions keep wanted (popped) while they are open. */
export interface ConsumeIntent {
  subscribe(topics: readonly string[]): void;
  unsubscribe(topics: readonly string[]): void;
}

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

/**
 * Where the queue messages of a client (or a cluster) go: to every `message` handler and every
 * open stream of their topic. A message that no one consumes is held, not dropped: it was taken
 * off the engine's queue, so dropping it would lose it. The next stream of its topic gets it
 * first (a `message` handler added later does not: it gets what arrives from then on). A stream that stops early gives back what it had not read and
 * no other consumer saw. Each step costs O(1) per message and stream, whatever the backlog.
 */
export class Inbox<M extends { readonly topic: string }> {
  readonly #options: InboxOptions<M>;
  /** Each open stream, with what its owner does once it is released. */
  readonly #streams = new Map<MessageQueue<M>, () => void>();
  readonly #held = new Fifo<M>();
  /** Messages handed to more than one consumer: one that stops early cannot give them back. */
  readonly #shared = new WeakSet<M>();
  #heldReported = false;
  #ended = false;

  constructor(options: InboxOptions<M>) {
    this.#options = options;
  }

  /**
   * A `consume()` subscription of `topics`, wanted through `intent` until it stops (`start` then
   * opens the connection), or with no topics a `messages()` stream (its options may name one).
   * It buffers from here on: what the pop brings cannot arrive before it.
   */
  consumer(
    name: string,
    topics: string[] | undefined,
    options: unknown,
    highWaterMark: number,
    intent?: { wants: ConsumeIntent; start(): void },
  ): MessageQueue<M> {
    const resolved = resolveStreamOptions(name, options, highWaterMark, topics === undefined);
    const { signal, topic } = resolved;
    const read = topics ?? (topic === undefined ? [] : [topic]);
    const stopListening = listenForAbort(signal, () => void stream.close());
    const stream = this.open(read, resolved.highWaterMark, `a ${name} consumer`, () => {
      stopListening();
      intent?.wants.unsubscribe(read);
    });
    if (signal?.aborted) void stream.close();
    else if (intent && !this.#ended) {
      intent.wants.subscribe(read);
      intent.start();
    }
    return stream;
  }

  /**
   * Opens a stream of `topics` (every topic if empty); it first receives the held messages it
   * reads. `released` runs once when it stops or the inbox ends.
   */
  open(
    topics: readonly string[],
    highWaterMark: number,
    name: string,
    released: () => void,
  ): MessageQueue<M> {
    const topic = topics.length > 0 ? topics.join(', ') : undefined;
    const stream: MessageQueue<M> = new MessageQueue<M>(topics, {
      highWaterMark,
      onSlow: (buffered) =>
        this.#options.report({
          kind: 'slow',
          error: new ConnmixError(
            `${name}${topic ? ` of topic ${topic}` : ''} is ${buffered} messages behind (highWaterMark ` +
              `${highWaterMark}); nothing is dropped, the buffer grows until it catches up`,
          ),
          buffered,
          highWaterMark,
          topic,
        }),
      onReturn: (unread) => {
        this.#streams.delete(stream);
        released();
        for (const message of unread) if (!this.#shared.has(message)) this.deliver(message);
      },
    });
    if (this.#ended) {
      stream.end();
      released();
    } else {
      this.#streams.set(stream, released);
      this.#flush((message) => stream.reads(message.topic));
    }
    return stream;
  }

  deliver(message: M): void {
    let consumers = 0;
    if (this.#options.listening()) {
      consumers++;
      this.#options.emit(message);
    }
    for (const stream of this.#streams.keys()) {
      if (stream.reads(message.topic)) {
        consumers++;
        stream.push(message);
      }
    }
    if (consumers > 1) this.#shared.add(message);
    if (consumers > 0) return;
    this.#held.push(message);
    const held = this.#held.length;
    if (this.#heldReported || held <= this.#options.highWaterMark) return;
    this.#heldReported = true;
    this.#report(`${held} messages have no consumer; held for the next one`, held);
  }

  /** No more messages: each stream hands out what it buffered, then ends; held ones are reported lost. */
  end(): void {
    this.#ended = true;
    for (const [stream, released] of this.#streams) {
      stream.end();
      released();
    }
    this.#streams.clear();
    const held = this.#held.drain().length;
    if (held > 0) this.#report(`closed with ${held} unconsumed messages; they are lost`, held);
  }

  /** Delivers again the held messages that `matches` accepts, in their order; keeps the others. */
  #flush(matches: (message: M) => boolean): void {
    for (const message of this.#held.drain()) {
      if (matches(message)) this.deliver(message);
      else this.#held.push(message);
    }
    if (this.#held.length === 0) this.#heldReported = false;
  }

  #report(message: string, held: number): void {
    this.#options.report({ kind: 'unconsumed', error: new ConnmixError(message), held });
  }
}
