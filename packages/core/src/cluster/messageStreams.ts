import { MessageQueue } from '../client/messageQueue.ts';
import { resolveMessagesOptions } from '../client/options.ts';
import type { MessagesOptions } from '../client/client.ts';
import { ConnmixError } from '../errors/errors.ts';
import type { ClusterErrorEvent, ClusterMessage } from './events.ts';

/** The messages of every engine of a cluster as one async iterator; `break` stops it, `close()` ends it. */
export interface ClusterMessageStream extends AsyncIterableIterator<ClusterMessage, undefined> {
  /** Messages received but not read yet. */
  readonly buffered: number;
  return(): Promise<IteratorResult<ClusterMessage, undefined>>;
}

interface Stream {
  topic: string | undefined;
  queue: MessageQueue<ClusterMessage>;
}

/**
 * The cluster's `messages()` iterators: every engine's messages, merged in arrival order, under the
 * client's slow-consumer policy (nothing dropped; `slow` reported once per episode).
 */
export class MessageStreams {
  readonly #streams = new Set<Stream>();
  readonly #highWaterMark: number;
  readonly #report: (event: ClusterErrorEvent) => void;
  #ended = false;

  constructor(highWaterMark: number, report: (event: ClusterErrorEvent) => void) {
    this.#highWaterMark = highWaterMark;
    this.#report = report;
  }

  open(options: MessagesOptions | undefined): ClusterMessageStream {
    const { topic, highWaterMark } = resolveMessagesOptions(options, this.#highWaterMark);
    const stream: Stream = {
      topic,
      queue: new MessageQueue<ClusterMessage>({
        highWaterMark,
        onSlow: (buffered) =>
          this.#report({
            kind: 'slow',
            error: new ConnmixError(
              `a cluster messages() consumer${topic === undefined ? '' : ` of topic ${topic}`} is ${buffered} ` +
                `messages behind (highWaterMark ${highWaterMark}); nothing is dropped, the buffer grows until it catches up`,
            ),
            buffered,
            highWaterMark,
            topic,
          }),
        onReturn: () => this.#streams.delete(stream),
      }),
    };
    if (this.#ended) stream.queue.end();
    else this.#streams.add(stream);
    return stream.queue;
  }

  deliver(message: ClusterMessage): void {
    for (const { topic, queue } of [...this.#streams]) {
      if (topic === undefined || topic === message.topic) queue.push(message);
    }
  }

  /** No more messages: each iterator hands out what it buffered, then ends. */
  end(): void {
    this.#ended = true;
    const streams = [...this.#streams];
    this.#streams.clear();
    for (const { queue } of streams) queue.end();
  }
}
