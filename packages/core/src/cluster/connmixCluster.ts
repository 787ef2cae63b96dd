import { assertValidRequest } from '../codec/validateRequest.ts';
import { payloadOf, splitNames, type NamesAndOptions } from '../client/arguments.ts';
import { channels, setContext, setContextValue } from '../client/connCalls.ts';
import type { ConsumeArguments, MessagesOptions } from '../client/client.ts';
import { createClient } from '../client/createClient.ts';
import { Inbox } from '../client/inbox.ts';
import { CLIENT_DEFAULTS, type CallOptions } from '../client/options.ts';
import { resolveCallOptions } from '../client/resolveOptions.ts';
import { createQueueMessage, type QueueMessage } from '../client/queueMessage.ts';
import { now } from '../runtime/timers.ts';
import { createCodec, type Codec } from '../codec/codec.ts';
import { ConnectionClosedError, ValidationError, abortErrorFor } from '../errors/errors.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { DeliveryResult, MethodResults, SuccessResult } from '../schema/results.ts';
import type { Cluster, ClusterMessageStream, ClusterPingResult, ClusterSubscription } from './cluster.ts';
import { CLUSTER_CLOSED, ClusterState } from './clusterState.ts';
import { ClusterConsumption } from './consumption.ts';
import { EngineSet, type Engine } from './engineSet.ts';
import {
  createClusterEmitter,
  type ClusterErrorEvent,
  type ClusterEventHandler,
  type ClusterEvents,
  type ClusterMessage,
  type ClusterNode,
} from './events.ts';
import {
  resolveClusterOptions,
  splitNodeOption,
  type ClusterCallOptions,
  type ClusterOptions,
  type ResolvedClusterOptions,
} from './options.ts';
import { Resync } from './resync.ts';
import { RouteTable } from './routes.ts';
import { Router } from './router.ts';

/** The cluster client: wires discovery, the engine clients, routing, consumption and events. */
export class ConnmixCluster implements Cluster {
  readonly #options: ResolvedClusterOptions;
  /** Checks requests before they are routed, so bad input fails at once, not after a wait. */
  readonly #codec: Codec;
  readonly #emitter = createClusterEmitter();
  readonly #state: ClusterState;
  readonly #engines: EngineSet;
  readonly #routes: RouteTable;
  readonly #router: Router;
  readonly #consumption: ClusterConsumption;
  readonly #inbox: Inbox<ClusterMessage>;
  readonly #resync: Resync;
  /** While above 0, changes are collected and reported once at the end (one `nodes` per resync). */
  #batching = 0;
  #reportedNodes = '[]';

  constructor(options: ClusterOptions) {
    this.#options = resolveClusterOptions(options);
    const { client, defaults } = this.#options;
    this.#codec = createCodec({ dialect: defaults.dialect });
    this.#state = new ClusterState((change) => this.#emitter.emit('state', change));
    this.#routes = new RouteTable(this.#options.routeCapacity);
    this.#inbox = new Inbox<ClusterMessage>({
      highWaterMark: defaults.highWaterMark,
      listening: () => this.#emitter.listens('message'),
      emit: (message) => this.#emitter.emit('message', message),
      report: (event) => this.#report(event),
    });
    this.#consumption = new ClusterConsumption({
      engines: () => this.#engines.list(),
      report: (event) => this.#report(event),
      retryPolicy: defaults.reconnect || CLIENT_DEFAULTS.reconnect,
    });
    this.#engines = new EngineSet((url) => createClient({ ...client, url }), {
      joined: (engine) => this.#consumption.joined(engine),
      left: (engine) => {
        this.#routes.forgetNode(engine.id);
        this.#consumption.left(engine);
      },
      opened: (engine) => this.#consumption.opened(engine),
      changed: () => this.#refresh(),
      message: (engine, message) => this.#deliver(engine, message),
      error: (engine, event) => this.#report({ ...event, node: engine.id } as ClusterErrorEvent),
    });
    this.#router = new Router({
      engines: this.#engines,
      routes: this.#routes,
      state: this.#state,
      usable: (what, callOptions) => this.#usable(what, callOptions),
    });
    this.#resync = new Resync(this.#options, {
      apply: (addresses) => this.#batch(() => this.#engines.apply(addresses)),
      report: (event) => this.#report(event),
    });
  }

  get state() {
    return this.#state.state;
  }

  get nodes(): ClusterNode[] {
    return this.#engines.snapshot();
  }

  async connect(options?: CallOptions): Promise<void> {
    const { timeoutMs, signal } = resolveCallOptions(options, undefined);
    if (this.state === 'closed') {
      throw new ConnectionClosedError({
        message: 'cannot connect: the cluster is closed; create a new cluster',
        ...CLUSTER_CLOSED,
      });
    }
    if (signal?.aborted) throw abortErrorFor('connect()', signal);
    this.#start();
    return this.#state.waitForOpen('connect()', timeoutMs, signal);
  }

  on<K extends keyof ClusterEvents>(type: K, handler: ClusterEventHandler<K>): () => void {
    return this.#emitter.on(type, handler);
  }

  async ping(options?: ClusterCallOptions): Promise<ClusterPingResult> {
    return this.#router.viaAnyOpen('ping()', options, async (engine, callOptions) => {
      const { rttMs } = await engine.client.ping(callOptions);
      return { rttMs, node: engine.id };
    });
  }

  async pop(...args: NamesAndOptions): Promise<SuccessResult> {
    const { names, options } = splitNames('queue.pop request', 'topics', args);
    return this.#pop(names, options);
  }

  async unpop(options?: CallOptions): Promise<SuccessResult> {
    this.#usable('queue.unpop request', options);
    return this.#consumption.unpop(options);
  }

  consume(...args: ConsumeArguments): ClusterSubscription {
    const { names: topics, options } = splitNames('consume()', 'topics', args);
    const { highWaterMark } = this.#options.defaults;
    return this.#inbox.consumer('cluster consume()', topics, options, highWaterMark, {
      wants: this.#consumption,
      start: () => this.#start(),
    }) as ClusterSubscription;
  }

  messages(options?: MessagesOptions): ClusterMessageStream {
    return this.#inbox.consumer(
      'cluster messages()',
      undefined,
      options,
      this.#options.defaults.highWaterMark,
    );
  }

  async setContextValue(clientId: string, key: string, value: unknown, options?: ClusterCallOptions) {
    return setContextValue(this, clientId, key, value, options);
  }

  async setContext(clientId: string, context: Record<string, unknown>, options?: ClusterCallOptions) {
    return setContext(this, clientId, context, options);
  }

  async subscribe(clientId: string, ...args: NamesAndOptions): Promise<SuccessResult> {
    return channels(this, clientId, 'subscribe', args);
  }

  async unsubscribe(clientId: string, ...args: NamesAndOptions): Promise<SuccessResult> {
    return channels(this, clientId, 'unsubscribe', args);
  }

  async call(
    clientId: string,
    func: string,
    args: readonly unknown[],
    options?: ClusterCallOptions,
  ): Promise<SuccessResult> {
    this.#check({ method: 'conn.call', clientId, func, args: args as unknown[] });
    return this.#router.onOwner(clientId, options, (engine, callOptions) =>
      engine.client.call(clientId, func, args, callOptions),
    );
  }

  async send(
    clientId: string,
    data: string | Uint8Array,
    options?: ClusterCallOptions,
  ): Promise<DeliveryResult> {
    this.#check({ method: 'mesh.send', clientId, ...payloadOf('mesh.send request', data) });
    return this.#router.viaAnyOpen('mesh.send request', options, (engine, callOptions) =>
      engine.client.send(clientId, data, callOptions),
    );
  }

  async publish(
    channel: string,
    data: string | Uint8Array,
    options?: ClusterCallOptions,
  ): Promise<DeliveryResult> {
    this.#check({ method: 'mesh.publish', channel, ...payloadOf('mesh.publish request', data) });
    return this.#router.viaAnyOpen('mesh.publish request', options, (engine, callOptions) =>
      engine.client.publish(channel, data, callOptions),
    );
  }

  async request<R extends OutgoingRequest>(
    request: R,
    options?: ClusterCallOptions,
  ): Promise<MethodResults[R['method']]> {
    const plain = request as OutgoingRequest;
    this.#check(plain);
    const what = `${plain.method} request`;
    type Result = MethodResults[R['method']];
    switch (plain.method) {
      case 'queue.pop':
      case 'queue.unpop': {
        if (splitNodeOption(what, options).node !== undefined) {
          throw new ValidationError(what, [
            { path: ['node'], message: `${plain.method} goes to every engine of the cluster; drop node` },
          ]);
        }
        const result = plain.method === 'queue.pop' ? this.#pop(plain.topics, options) : this.unpop(options);
        return (await result) as Result;
      }
      case 'conn.call': {
        return this.#router.onOwner(plain.clientId, options, (engine, callOptions) =>
          engine.client.request(plain, callOptions),
        ) as Promise<Result>;
      }
      case 'server.ping':
      case 'mesh.send':
      case 'mesh.publish': {
        return this.#router.viaAnyOpen(what, options, (engine, callOptions) =>
          engine.client.request(plain, callOptions),
        ) as Promise<Result>;
      }
      default: {
        // Unreachable: the codec refused an unknown method above.
        const unknown: never = plain;
        throw new ValidationError('request', [
          { path: ['method'], message: `unknown method ${String((unknown as { method: unknown }).method)}` },
        ]);
      }
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.#resync.stop();
    this.#consumption.close();
    this.#routes.clear();
    const closing = this.#engines.closeAll();
    this.#inbox.end();
    if (this.#reportedNodes !== '[]') {
      this.#reportedNodes = '[]';
      this.#emitter.emit('nodes', { nodes: [] });
    }
    this.#state.close();
    this.#emitter.close();
    await closing;
  }

  /** Leaves `idle`: the state becomes `connecting` and the first discovery runs. */
  #start(): void {
    if (this.state !== 'idle') return;
    this.#state.start();
    this.#resync.start();
  }

  #batch(change: () => void): void {
    this.#batching += 1;
    try {
      change();
    } finally {
      this.#batching -= 1;
    }
    this.#refresh();
  }

  /** Reports the engine list if it changed, then the aggregated state. */
  #refresh(): void {
    if (this.#batching > 0 || this.state === 'closed') return;
    const nodes = this.#engines.snapshot();
    const key = JSON.stringify(nodes);
    if (key !== this.#reportedNodes) {
      this.#reportedNodes = key;
      this.#emitter.emit('nodes', { nodes });
    }
    this.#state.update(nodes.map((node) => node.state));
  }

  #deliver(engine: Engine, message: QueueMessage): void {
    this.#routes.learn(message.clientId, engine.id);
    const { clientId, topic, data } = message;
    // The engine id, whatever the event said: it names an engine of `nodes`, and `{ node }` takes it.
    const clustered = createQueueMessage({ node: engine.id, clientId, topic, data }, engine.client);
    this.#inbox.deliver(clustered as ClusterMessage);
  }

  #report(event: ClusterErrorEvent): void {
    this.#emitter.emit('error', event);
  }

  #check(request: OutgoingRequest): void {
    // The request itself first: spread, `null` would pass for an object without a method.
    assertValidRequest(request);
    this.#codec.encode({ ...request, id: 0 });
  }

  async #pop(topics: string[], options: unknown): Promise<SuccessResult> {
    this.#check({ method: 'queue.pop', topics });
    const { timeoutMs, signal } = this.#usable('queue.pop request', options);
    if (this.#engines.size > 0) return this.#consumption.pop(topics, options as CallOptions | undefined);
    // No engine known yet (discovery is running): wait for one within the call's deadline.
    const deadline = now() + timeoutMs;
    await this.#state.waitForOpen('queue.pop request', timeoutMs, signal);
    return this.#consumption.pop(topics, { signal, timeoutMs: Math.max(1, deadline - now()) });
  }

  /** Checks the call options, refuses a closed cluster, starts an idle one. */
  #usable(what: string, options: unknown) {
    const resolved = resolveCallOptions(options, this.#options.defaults.requestTimeoutMs);
    if (this.state === 'closed') {
      throw new ConnectionClosedError({
        message: `${what} was not sent: the cluster is closed`,
        ...CLUSTER_CLOSED,
      });
    }
    if (resolved.signal?.aborted) throw abortErrorFor(what, resolved.signal);
    this.#start();
    return resolved;
  }
}
