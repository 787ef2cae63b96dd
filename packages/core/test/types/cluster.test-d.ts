import { describe, expectTypeOf, it } from 'vitest';
import {
  createCluster,
  type CallOptions,
  type Client,
  type ClientState,
  type Cluster,
  type ClusterCallOptions,
  type ClusterErrorEvent,
  type ClusterMessage,
  type ClusterMessageStream,
  type ClusterNode,
  type ClusterOptions,
  type DeliveryResult,
  type MessageStream,
  type NodesEvent,
  type QueueMessage,
  type StateChange,
  type SuccessResult,
  type TransportFactory,
} from '../../src/index.ts';

declare const transport: TransportFactory;
const cluster = createCluster({ center: 'http://127.0.0.1:6787', transport, resyncIntervalMs: 60_000 });
const CID = '1463819408261513216';

describe('cluster API types', () => {
  it('has every method and property of a Client, and fits where a Client is expected', () => {
    expectTypeOf<keyof Client>().toExtend<keyof Cluster>();
    expectTypeOf<Cluster>().toExtend<Client>();
    const useClient = (client: Client) => client;
    useClient(cluster);
    expectTypeOf(createCluster).parameter(0).toEqualTypeOf<ClusterOptions>();
    expectTypeOf(createCluster).returns.toEqualTypeOf<Cluster>();
  });

  it('types state, nodes and each result', () => {
    expectTypeOf(cluster.state).toEqualTypeOf<ClientState>();
    expectTypeOf(cluster.nodes).toEqualTypeOf<ClusterNode[]>();
    expectTypeOf<ClusterNode>().toEqualTypeOf<{ id: string; url: string; state: ClientState }>();
    expectTypeOf(cluster.connect()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(cluster.ping()).resolves.toEqualTypeOf<{ rttMs: number; node: string }>();
    expectTypeOf(cluster.pop('foo', 'bar')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.unpop()).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.setContextValue(CID, 'uid', 1)).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.setContext(CID, { uid: 1 })).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.subscribe(CID, 'room1', 'room2')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.unsubscribe(CID, 'room1')).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.call(CID, 'f', [])).toEqualTypeOf<Promise<SuccessResult>>();
    expectTypeOf(cluster.send(CID, 'x')).toEqualTypeOf<Promise<DeliveryResult>>();
    expectTypeOf(cluster.publish('room', new Uint8Array(1))).toEqualTypeOf<Promise<DeliveryResult>>();
    expectTypeOf(cluster.request({ method: 'queue.unpop' })).resolves.toEqualTypeOf<SuccessResult>();
    expectTypeOf(
      cluster.request({ method: 'mesh.publish', channel: 'r', data: 'x' }),
    ).resolves.toEqualTypeOf<DeliveryResult>();
    expectTypeOf(cluster.close()).toEqualTypeOf<Promise<void>>();
  });

  it('takes { node } where a call goes to one engine', () => {
    expectTypeOf<ClusterCallOptions>().toExtend<CallOptions>();
    void cluster.call(CID, 'subscribe', ['r'], { node: '2', timeoutMs: 1 });
    void cluster.subscribe(CID, 'room1', { node: '2' });
    void cluster.send(CID, 'x', { node: '1' });
    void cluster.pop('a', { timeoutMs: 5 });
    // @ts-expect-error: node is an engine id string
    void cluster.send(CID, 'x', { node: 1 });
    // @ts-expect-error: client ids are strings
    void cluster.call(1463819408261513216, 'f', []);
  });

  it('types the events, with node set on messages and the nodes event', () => {
    cluster.on('state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
    cluster.on('message', (message) => {
      expectTypeOf(message).toEqualTypeOf<ClusterMessage>();
      expectTypeOf(message.node).toEqualTypeOf<string>();
      expectTypeOf(message).toExtend<QueueMessage>();
      expectTypeOf(message.reply('x')).resolves.toEqualTypeOf<DeliveryResult>();
    });
    cluster.on('nodes', (event) => {
      expectTypeOf(event).toEqualTypeOf<NodesEvent>();
      expectTypeOf(event.nodes).toEqualTypeOf<ClusterNode[]>();
    });
    const off = cluster.on('error', (event) => {
      expectTypeOf(event).toEqualTypeOf<ClusterErrorEvent>();
      expectTypeOf(event.error).toExtend<Error>();
      expectTypeOf(event.node).toEqualTypeOf<string | undefined>();
      if (event.kind === 'discovery') expectTypeOf(event.center).toEqualTypeOf<string>();
      if (event.kind === 'repop') expectTypeOf(event.topics).toEqualTypeOf<string[]>();
      if (event.kind === 'unpop') expectTypeOf(event.node).toEqualTypeOf<string>();
    });
    expectTypeOf(off).toEqualTypeOf<() => void>();
    // @ts-expect-error: no such event
    cluster.on('joined', () => {});
  });

  it('iterates ClusterMessage, and its stream is a MessageStream', () => {
    const stream = cluster.messages({ topic: 'foo' });
    expectTypeOf(stream).toEqualTypeOf<ClusterMessageStream>();
    expectTypeOf(stream).toExtend<MessageStream>();
  });

  it('types the options', () => {
    createCluster({ nodes: ['ws://10.0.0.5:6789/ws/v1', { id: 'b', url: 'ws://b/ws/v1' }], transport });
    createCluster({
      center: 'https://center:6787',
      transport,
      dialect: 'v1.0.3',
      heartbeat: false,
      routeCapacity: 10,
      nodeUrl: (node) => `ws://${node.apiServer}/ws/v1?id=${node.id}`,
      fetch: async () => ({ ok: true, status: 200, text: async () => '{"nodes":[]}' }),
    });
    // @ts-expect-error: transport is required
    createCluster({ center: 'http://c' });
    // @ts-expect-error: a cluster has no url
    createCluster({ url: 'ws://x', transport });
  });
});
