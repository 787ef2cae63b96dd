import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  type AbortSignalLike,
  type CallOptions,
  type Client,
  type ClientErrorEvent,
  type ClientOptions,
  type ClientState,
  type DeliveryResult,
  type MessageStream,
  type PingResult,
  type QueueMessage,
  type StateChange,
  type SuccessResult,
  type TransportFactory,
} from '../../src/index.ts';

declare const transport: TransportFactory;
const client = createClient({ url: 'ws://127.0.0.1:6789/ws/v1', transport });
const CID = '1463819408261513216';

describe('client API types', () => {
  it('returns a Client with a typed state', () => {
    expectTypeOf(createClient).parameter(0).toEqualTypeOf<ClientOptions>();
    expectTypeOf(client).toEqualTypeOf<Client>();
    expectTypeOf(client.state).toEqualTypeOf<ClientState>();
    expectTypeOf(client.state).toEqualTypeOf<'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'>();
  });

  it('types each result', () => {
    expectTypeOf(client.connect()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(client.ping()).toEqualTypeOf<Promise<PingResult>>();
    expectTypeOf(client.ping()).resolves.toEqualTypeOf<{ rttMs: number }>();
    expectTypeOf(client.pop('foo', 'bar')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.unpop()).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.setContextValue(CID, 'uid', 10000)).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.setContext(CID, { uid: 10000 })).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.subscribe(CID, 'room1', 'room2')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.unsubscribe(CID, 'room1')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(client.call(CID, 'f', [1])).resolves.toEqualTypeOf<{ success: boolean }>();
    expectTypeOf(client.send(CID, 'text')).toEqualTypeOf<Promise<DeliveryResult>>();
    expectTypeOf(client.send(CID, new Uint8Array(1))).resolves.toEqualTypeOf<{
      success: number;
      fail: number;
      total: number;
    }>();
    expectTypeOf(client.publish('room1', 'text')).toEqualTypeOf<Promise<DeliveryResult>>();
    expectTypeOf(client.close()).toEqualTypeOf<Promise<void>>();
  });

  it('narrows request() results by method', () => {
    expectTypeOf(
      client.request({ method: 'mesh.publish', channel: 'r', data: 'x' }),
    ).resolves.toEqualTypeOf<DeliveryResult>();
    expectTypeOf(
      client.request({ method: 'mesh.send', clientId: CID, data: 'x' }),
    ).resolves.toEqualTypeOf<DeliveryResult>();
    expectTypeOf(client.request({ method: 'queue.unpop' })).resolves.toEqualTypeOf<SuccessResult>();
    // @ts-expect-error: not a method
    void client.request({ method: 'mesh.nope' });
  });

  it('takes call options last, also after variadic names', () => {
    const options: CallOptions = { signal: new AbortController().signal, timeoutMs: 1_000 };
    void client.pop('a', 'b', options);
    void client.subscribe(CID, 'room1', { timeoutMs: 5 });
    void client.send(CID, 'x', { signal: AbortSignal.timeout(10) });
    void client.connect({ timeoutMs: 5_000 });
    // @ts-expect-error: a topic is a string
    void client.pop('a', 1);
    // @ts-expect-error: options come last
    void client.pop({ timeoutMs: 1 }, 'a');
    // @ts-expect-error: client ids are strings (a number loses precision)
    void client.send(1463819408261513216, 'x');
    // @ts-expect-error: data is text or bytes
    void client.publish('room', { a: 1 });
  });

  it('accepts the platform AbortSignal as AbortSignalLike', () => {
    expectTypeOf<AbortSignal>().toExtend<AbortSignalLike>();
  });

  it('types event payloads', () => {
    const off = client.on('state', (change) => {
      expectTypeOf(change).toEqualTypeOf<StateChange>();
      expectTypeOf(change.to).toEqualTypeOf<ClientState>();
    });
    expectTypeOf(off).toEqualTypeOf<() => void>();
    client.on('message', (message) => {
      expectTypeOf(message).toEqualTypeOf<QueueMessage>();
      expectTypeOf(message.clientId).toEqualTypeOf<string>();
      expectTypeOf(message.node).toEqualTypeOf<string | undefined>();
      expectTypeOf(message.data).toEqualTypeOf<unknown>();
      expectTypeOf(message.reply('x')).resolves.toEqualTypeOf<DeliveryResult>();
      expectTypeOf(
        message.subscribe('room1', 'room2', { timeoutMs: 1 }),
      ).resolves.toEqualTypeOf<SuccessResult>();
    });
    client.on('error', (event) => {
      expectTypeOf(event).toEqualTypeOf<ClientErrorEvent>();
      expectTypeOf(event.error).toExtend<Error>();
      if (event.kind === 'slow') {
        expectTypeOf(event.buffered).toEqualTypeOf<number>();
        expectTypeOf(event.topic).toEqualTypeOf<string | undefined>();
      }
      if (event.kind === 'repop') expectTypeOf(event.topics).toEqualTypeOf<string[]>();
      if (event.kind === 'server') expectTypeOf(event.error.code).toExtend<number>();
    });
    // @ts-expect-error: no such event
    client.on('nodes', () => {});
  });

  it('iterates messages as QueueMessage', async () => {
    const stream = client.messages({ topic: 'foo', highWaterMark: 10 });
    expectTypeOf(stream).toEqualTypeOf<MessageStream>();
    for await (const message of stream) expectTypeOf(message).toEqualTypeOf<QueueMessage>();
  });

  it('types the options with their documented shapes', () => {
    expectTypeOf<ClientOptions['heartbeat']>().toEqualTypeOf<
      { intervalMs?: number | undefined; timeoutMs?: number | undefined } | false | undefined
    >();
    expectTypeOf<ClientOptions['dialect']>().toEqualTypeOf<'v1.0.2' | 'v1.0.3' | undefined>();
    createClient({ url: 'ws://x', transport, heartbeat: false, reconnect: false, requestTimeoutMs: 1 });
    createClient({ url: 'ws://x', transport, reconnect: { minDelayMs: 1 }, highWaterMark: 5 });
    // @ts-expect-error: transport is required
    createClient({ url: 'ws://x' });
  });
});
