import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  type AbortSignalLike,
  createCluster,
  type ClientErrorEvent,
  type ClusterMessage,
  type ClusterSubscription,
  type ConsumeOptions,
  type MessageStream,
  type QueueMessage,
  type Subscription,
  type TransportFactory,
} from '../../src/index.ts';

declare const transport: TransportFactory;
declare const signal: AbortSignalLike;
const client = createClient({ url: 'ws://127.0.0.1:6789/ws/v1', transport });
const cluster = createCluster({ center: 'http://127.0.0.1:6787', transport });

describe('consume() types', () => {
  it('returns an async-iterable Subscription of QueueMessage with buffered, topics and close()', async () => {
    const sub = client.consume('foo', 'bar', { highWaterMark: 100, signal });
    expectTypeOf(sub).toEqualTypeOf<Subscription>();
    expectTypeOf(sub).toExtend<MessageStream>();
    expectTypeOf(sub).toExtend<AsyncIterable<QueueMessage>>();
    expectTypeOf(sub.buffered).toEqualTypeOf<number>();
    expectTypeOf(sub.topics).toEqualTypeOf<readonly string[]>();
    expectTypeOf(sub.close()).toEqualTypeOf<Promise<void>>();
    for await (const msg of sub) expectTypeOf(msg).toEqualTypeOf<QueueMessage>();
  });

  it('takes topics, then consume options only', () => {
    expectTypeOf(client.consume).parameters.toEqualTypeOf<
      [...topics: string[]] | [...topics: string[], options: ConsumeOptions]
    >();
    // @ts-expect-error: a topic is a string
    client.consume(1);
    // @ts-expect-error: consume options have no timeoutMs
    client.consume('foo', { timeoutMs: 5 });
  });

  it('gives a cluster subscription ClusterMessage, with node always set', async () => {
    const sub = cluster.consume('foo');
    expectTypeOf(sub).toEqualTypeOf<ClusterSubscription>();
    expectTypeOf(sub).toExtend<Subscription>();
    for await (const msg of sub) {
      expectTypeOf(msg).toEqualTypeOf<ClusterMessage>();
      expectTypeOf(msg.node).toEqualTypeOf<string>();
    }
  });

  it('types the unconsumed and unpop events', () => {
    client.on('error', (event: ClientErrorEvent) => {
      if (event.kind === 'unconsumed') expectTypeOf(event.held).toEqualTypeOf<number>();
      if (event.kind === 'unpop') expectTypeOf(event.topics).toEqualTypeOf<string[]>();
    });
  });
});
