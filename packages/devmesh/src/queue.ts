import type { QueueFullPolicy } from './options.ts';

/** One message on a topic: who pushed it and what, already serialized (`json` is the `d` of the event). */
export interface QueuedMessage {
  readonly clientId: string;
  readonly topic: string;
  readonly json: string;
}

/** A worker socket consuming topics. `deliver` returns false when it cannot take a message now. */
export interface QueueConsumer {
  deliver(message: QueuedMessage): boolean;
}

export interface QueueLimits {
  topicSize: number;
  maxTopics: number;
  whenFull: QueueFullPolicy;
}

/** A push that found its topic (or the topic table) full, under `whenFull: 'error'`, or a stopped engine. */
export class QueueFullError extends Error {
  override name = 'QueueFullError' as const;
}

export type PopOutcome = { ok: true } | { ok: false; code: 201 | 202; message: string };

interface Topic {
  readonly messages: QueuedMessage[];
  readonly consumers: QueueConsumer[];
  next: number;
}

interface WaitingPush {
  readonly message: QueuedMessage;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The in-memory queue of one engine: topics with a bounded backlog, each message handed to one
 * of the topic's consumers in turn (competing consumers). A message waits in the backlog only
 * while its topic has no consumer.
 */
export class QueueStore {
  readonly #topics = new Map<string, Topic>();
  #waiting: WaitingPush[] = [];
  #closedReason: string | undefined;
  pushed = 0;
  delivered = 0;

  readonly #limits: QueueLimits;

  constructor(limits: QueueLimits) {
    this.#limits = limits;
  }

  /** Puts a message on its topic; waits for room or rejects when full, as the limits say. */
  push(message: QueuedMessage): Promise<void> {
    if (this.#closedReason !== undefined) return Promise.reject(new QueueFullError(this.#closedReason));
    const queuedBefore = this.#waiting.some((w) => w.message.topic === message.topic);
    if (!queuedBefore && this.#place(message)) return Promise.resolve();
    const problem = this.#fullReason(message.topic);
    if (this.#limits.whenFull === 'error') return Promise.reject(new QueueFullError(problem));
    return new Promise((resolve, reject) => this.#waiting.push({ message, resolve, reject }));
  }

  /** Adds a consumer to topics; 202 if it already consumes one of them, 201 if the topic table is full. */
  pop(consumer: QueueConsumer, topics: readonly string[]): PopOutcome {
    const wanted = [...new Set(topics)];
    const duplicate = wanted.find((name) => this.#topics.get(name)?.consumers.includes(consumer));
    if (duplicate !== undefined) {
      return {
        ok: false,
        code: 202,
        message: `duplicate consume: this socket already pops topic ${duplicate}`,
      };
    }
    const fresh = wanted.filter((name) => !this.#topics.has(name)).length;
    if (this.#topics.size + fresh > this.#limits.maxTopics) {
      return {
        ok: false,
        code: 201,
        message: `consume failed: the engine holds at most ${this.#limits.maxTopics} topics`,
      };
    }
    for (const name of wanted) {
      const topic = this.#topics.get(name) ?? this.#createTopic(name);
      topic.consumers.push(consumer);
    }
    for (const name of wanted) this.#drain(name);
    this.#pump();
    return { ok: true };
  }

  /** Removes a consumer from every topic (`queue.unpop` cancels all; also when its socket closes). */
  unpop(consumer: QueueConsumer): void {
    for (const [name, topic] of this.#topics) {
      const at = topic.consumers.indexOf(consumer);
      if (at < 0) continue;
      topic.consumers.splice(at, 1);
      if (topic.next > at) topic.next--;
      this.#removeIfIdle(name, topic);
    }
    this.#pump();
  }

  /** Topics a consumer pops. */
  topicsOf(consumer: QueueConsumer): string[] {
    return [...this.#topics].filter(([, topic]) => topic.consumers.includes(consumer)).map(([name]) => name);
  }

  /** Backlog and consumer count per topic. */
  snapshot(): Record<string, { depth: number; consumers: number }> {
    const out: Record<string, { depth: number; consumers: number }> = {};
    for (const [name, topic] of this.#topics) {
      out[name] = { depth: topic.messages.length, consumers: topic.consumers.length };
    }
    return out;
  }

  /** Pushes waiting for room. */
  get blockedPushes(): number {
    return this.#waiting.length;
  }

  /** Drops every topic and rejects the pushes waiting and to come (the engine stopped: memory is gone). */
  close(reason: string): void {
    this.#closedReason = reason;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#topics.clear();
    for (const push of waiting) push.reject(new QueueFullError(reason));
  }

  #place(message: QueuedMessage): boolean {
    let topic = this.#topics.get(message.topic);
    if (topic === undefined) {
      if (this.#topics.size >= this.#limits.maxTopics) return false;
      topic = this.#createTopic(message.topic);
    }
    if (topic.messages.length >= this.#limits.topicSize) return false;
    topic.messages.push(message);
    this.pushed++;
    this.#drain(message.topic);
    return true;
  }

  #fullReason(name: string): string {
    return this.#topics.has(name)
      ? `queue topic ${name} is full (${this.#limits.topicSize} messages)`
      : `the engine holds at most ${this.#limits.maxTopics} topics`;
  }

  #createTopic(name: string): Topic {
    const topic: Topic = { messages: [], consumers: [], next: 0 };
    this.#topics.set(name, topic);
    return topic;
  }

  /** Hands the backlog of a topic to its consumers, each in turn. */
  #drain(name: string): void {
    const topic = this.#topics.get(name);
    if (topic === undefined) return;
    let refusals = 0;
    while (topic.messages.length > 0 && topic.consumers.length > 0 && refusals < topic.consumers.length) {
      topic.next %= topic.consumers.length;
      const consumer = topic.consumers[topic.next++] as QueueConsumer;
      if (consumer.deliver(topic.messages[0] as QueuedMessage)) {
        topic.messages.shift();
        this.delivered++;
        refusals = 0;
      } else {
        refusals++;
      }
    }
    this.#removeIfIdle(name, topic);
    if (topic.messages.length < this.#limits.topicSize) this.#pump();
  }

  #removeIfIdle(name: string, topic: Topic): void {
    if (topic.messages.length === 0 && topic.consumers.length === 0) this.#topics.delete(name);
  }

  /** Retries waiting pushes in order; a topic whose first waiter does not fit keeps the rest waiting. */
  #pumping = false;
  #pump(): void {
    if (this.#pumping || this.#waiting.length === 0) return;
    this.#pumping = true;
    try {
      let progress = true;
      while (progress && this.#waiting.length > 0) {
        progress = false;
        const blocked = new Set<string>();
        const still: WaitingPush[] = [];
        for (const push of this.#waiting) {
          const { topic } = push.message;
          if (!blocked.has(topic) && this.#place(push.message)) {
            progress = true;
            push.resolve();
          } else {
            blocked.add(topic);
            still.push(push);
          }
        }
        this.#waiting = still;
      }
    } finally {
      this.#pumping = false;
    }
  }
}
