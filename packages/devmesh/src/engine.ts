import type { Dialect } from '@connmix/core';
import { ApiServer, API_PATH, type ApiServerHost } from './apiServer.ts';
import type { Delivery } from './apiReply.ts';
import type { EndUserConnection } from './endUser.ts';
import type { EntryConnection } from './entry.ts';
import { FaultState } from './faults.ts';
import { urlHost } from './httpServer.ts';
import type { ResolvedOptions } from './options.ts';
import { ProtocolServer, type ProtocolServerHost } from './protocolServer.ts';
import { QueueFullError, QueueStore } from './queue.ts';
import { createSnowflake } from './snowflake.ts';
import { engineMetrics } from './engineMetrics.ts';
import { SendDurations } from './sendDurations.ts';
import { createCounters, toPrometheus, type EngineStats } from './stats.ts';

/** How engines reach each other's end users (in process: no 6788 mesh port). */
export interface MeshRouter {
  send(from: Engine, clientId: string, payload: string | Uint8Array): boolean;
  publish(from: Engine, channel: string, payload: string | Uint8Array): Delivery;
}

/** What an engine is built from. */
export interface EngineConfig {
  node: string;
  index: number;
  apiPort: number;
  protocolPort: number;
  options: ResolvedOptions;
  router: MeshRouter;
}

/** An error `engine.failNext` makes the engine answer. */
export interface InjectedError {
  code: number;
  /** @default 'injected failure' */
  message?: string | undefined;
  /** How many requests fail. @default 1 */
  count?: number | undefined;
}

/**
 * One engine of a dev mesh: an API server for workers, a protocol server for end users, an
 * in-memory queue, and the fault switches tests need. Node id and ports stay the same across
 * `stop()` and `start()`.
 */
export interface DevEngine {
  /** The node id (`'1'`, `'2'`, ... unless `nodeIds` says otherwise). */
  readonly node: string;
  /** Position in `mesh.engines`. */
  readonly index: number;
  /** The dialect its API server speaks. */
  readonly dialect: Dialect;
  /** `ws://HOST:PORT/ws/v1`, where workers connect. */
  readonly apiUrl: string;
  /** `ws://HOST:PORT/`, where end users connect (any path is accepted). */
  readonly protocolUrl: string;
  /** `HOST:PORT` of the API server, as the center lists it. */
  readonly apiAddress: string;
  /** The port of the API server. */
  readonly apiPort: number;
  /** The port of the protocol server. */
  readonly protocolPort: number;
  /** Whether the engine is up (frozen counts as up: its sockets are open). */
  readonly running: boolean;
  /** Whether the API server is frozen (see `freeze`). */
  readonly frozen: boolean;
  /** Whether the engine is cut off from the others (see `partition`). */
  readonly partitioned: boolean;
  /** Starts the engine on its ports (the same ones after a restart); healthy, with an empty queue. */
  start(): Promise<void>;
  /**
   * Stops the engine as if its process died: every socket is dropped without a close frame,
   * `onClose` hooks do not run, the queue is lost. Resolves once every socket is closed.
   */
  stop(): Promise<void>;
  /**
   * Freezes the API server: every API socket, open now or opened while frozen, accepts bytes and
   * answers nothing (no responses, events or pongs), as a half-open connection does, and is not
   * dropped for idleness. End users are not affected.
   */
  freeze(): void;
  /** Ends a freeze: the half-open sockets are dropped, new connections are served again. */
  unfreeze(): void;
  /** Holds every frame the API server sends (answers, events, pongs, REST answers) for `ms`; 0 ends it. */
  delay(ms: number): void;
  /** Drops every API socket: abruptly (the client sees 1006) unless a close `code` is given. Returns how many. */
  dropApiSockets(close?: { code: number; reason?: string | undefined }): number;
  /** Sends `frame` as is (text, or binary for bytes) to every API socket. Returns how many got it. */
  injectRaw(frame: string | Uint8Array): number;
  /** Answers the next request(s) of `method` (or `'*'`) with an error instead of running them. */
  failNext(method: string, error: InjectedError): void;
  /** Cuts the engine off from the others: mesh sends and publishes across the cut fail. */
  partition(): void;
  /** Ends a partition. */
  heal(): void;
  /** The end-user connections this engine holds now. */
  clients(): EntryConnection[];
  /** The end-user connection with this id, if this engine holds it. */
  client(clientId: string): EntryConnection | undefined;
  /** The engine's figures now. */
  stats(): EngineStats;
}

/** A `DevEngine` with what its mesh needs besides: the way to its end users, and retirement. */
export class Engine implements DevEngine {
  /** The node id (`'1'`, `'2'`, ... unless `nodeIds` says otherwise). */
  readonly node: string;
  /** Position in `mesh.engines`. */
  readonly index: number;
  readonly dialect: Dialect;
  readonly #faults = new FaultState();
  readonly #counters = createCounters();
  readonly #durations = new SendDurations();
  readonly #api: ApiServer;
  readonly #protocol: ProtocolServer;
  readonly #bindHost: string;
  #queue: QueueStore;
  #state: 'stopped' | 'running' = 'stopped';
  #retired = false;
  #transition: Promise<void> = Promise.resolve();

  readonly #config: EngineConfig;

  constructor(config: EngineConfig) {
    this.#config = config;
    const { options } = config;
    this.node = config.node;
    this.index = config.index;
    this.dialect = options.dialect;
    this.#bindHost = options.host;
    this.#queue = new QueueStore(options.queue);
    const nextClientId = createSnowflake({ node: config.index + 1 });
    // The servers see the engine through this object only.
    const currentQueue = () => this.#queue;
    const host: ApiServerHost & ProtocolServerHost = {
      dialect: options.dialect,
      node: config.node,
      faults: this.#faults,
      counters: this.#counters,
      get queue() {
        return currentQueue();
      },
      access: options.access,
      entry: options.entry,
      connection: (clientId) => this.#protocol.connections.get(clientId),
      meshSend: (clientId, payload) => config.router.send(this, clientId, payload),
      meshPublish: (channel, payload) => config.router.publish(this, channel, payload),
      stats: () => this.stats(),
      metrics: () => this.#metrics(),
      recordSend: (scenario, seconds) => this.#durations.record(scenario, seconds),
      nextClientId,
      push: (clientId, topic, data) => this.#push(clientId, topic, data),
    };
    this.#api = new ApiServer(config.apiPort, host, options.api);
    this.#protocol = new ProtocolServer(config.protocolPort, host, options.protocol);
  }

  /** `ws://HOST:PORT/ws/v1`, where workers connect. */
  get apiUrl(): string {
    return `ws://${this.apiAddress}${API_PATH}`;
  }

  /** `ws://HOST:PORT/`, where end users connect (any path is accepted). */
  get protocolUrl(): string {
    return `ws://${urlHost(this.#bindHost, this.#protocol.http.port)}/`;
  }

  /** `HOST:PORT` of the API server, as the center lists it. */
  get apiAddress(): string {
    return urlHost(this.#bindHost, this.#api.http.port);
  }

  get apiPort(): number {
    return this.#api.http.port;
  }

  get protocolPort(): number {
    return this.#protocol.http.port;
  }

  /** Whether the engine is up (frozen counts as up: its sockets are open). */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** Starts the engine on its ports (the same ones after a restart); healthy, with an empty queue. */
  start(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#retired) throw new Error(`engine ${this.node} belongs to a closed mesh; start a new mesh`);
      if (this.#state === 'running') return;
      this.#faults.reset();
      this.#queue = new QueueStore(this.#config.options.queue);
      try {
        await this.#api.start(this.#bindHost);
        await this.#protocol.start(this.#bindHost);
      } catch (error) {
        await this.#api.stop();
        throw error;
      }
      this.#state = 'running';
    });
  }

  /**
   * Stops the engine as if its process died: every socket is dropped without a close frame,
   * `onClose` hooks do not run, the queue is lost. Resolves once every socket is closed.
   */
  stop(): Promise<void> {
    return this.#serialize(async () => {
      if (this.#state === 'stopped') return;
      this.#state = 'stopped';
      this.#queue.close(`engine ${this.node} stopped`);
      await Promise.all([this.#api.stop(), this.#protocol.stop()]);
    });
  }

  /**
   * Freezes the API server: every API socket, open now or opened while frozen, accepts bytes and
   * answers nothing (no responses, events or pongs), as a half-open connection does, and is not
   * dropped for idleness. End users are not affected.
   */
  freeze(): void {
    this.#faults.frozen = true;
    this.#api.freeze();
  }

  /** Ends a freeze: the half-open sockets are dropped, new connections are served again. */
  unfreeze(): void {
    this.#faults.frozen = false;
    this.#api.unfreeze();
  }

  get frozen(): boolean {
    return this.#faults.frozen;
  }

  /** Holds every frame the API server sends (answers, events, pongs, REST answers) for `ms`; 0 ends it. */
  delay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a delay is a duration in ms, got ${ms}`);
    this.#faults.delayMs = ms;
  }

  /** Drops every API socket: abruptly (the client sees 1006) unless a close `code` is given. Returns how many. */
  dropApiSockets(close?: { code: number; reason?: string | undefined }): number {
    return this.#api.drop(close);
  }

  /** Sends `frame` as is (text, or binary for bytes) to every API socket. Returns how many got it. */
  injectRaw(frame: string | Uint8Array): number {
    return this.#api.inject(frame);
  }

  /** Answers the next request(s) of `method` (or `'*'`) with an error instead of running them. */
  failNext(method: string, error: InjectedError): void {
    this.#faults.failNext(method, error.code, error.message ?? 'injected failure', error.count ?? 1);
  }

  /** Stops the engine for good (the mesh is closing). */
  retire(): Promise<void> {
    this.#retired = true;
    return this.stop();
  }

  /** Cuts the engine off from the others: mesh sends and publishes across the cut fail. */
  partition(): void {
    this.#faults.partitioned = true;
  }

  /** Ends a partition. */
  heal(): void {
    this.#faults.partitioned = false;
  }

  get partitioned(): boolean {
    return this.#faults.partitioned;
  }

  /** The end-user connections this engine holds now. */
  clients(): EntryConnection[] {
    return [...this.#protocol.connections.values()];
  }

  /** The end-user connection with this id, if this engine holds it. */
  client(clientId: string): EntryConnection | undefined {
    return this.#protocol.connections.get(clientId);
  }

  /** The mesh's way in: the connection itself, with `deliver`. */
  endUser(clientId: string): EndUserConnection | undefined {
    return this.running ? this.#protocol.connections.get(clientId) : undefined;
  }

  /** The connections subscribed to a channel. */
  subscribers(channel: string): EndUserConnection[] {
    if (!this.running) return [];
    return [...this.#protocol.connections.values()].filter((conn) => conn.isSubscribed(channel));
  }

  stats(): EngineStats {
    return {
      node: this.node,
      state: this.#state === 'stopped' ? 'stopped' : this.#faults.frozen ? 'frozen' : 'running',
      connections: this.#protocol.connections.size,
      apiSockets: this.#api.socketCount,
      consumers: this.#api.consumerCount,
      topics: this.#queue.snapshot(),
      blockedPushes: this.#queue.blockedPushes,
      pushed: this.#queue.pushed,
      delivered: this.#queue.delivered,
      counters: { ...this.#counters },
    };
  }

  /** `GET /metrics`: the dev mesh's own figures, then the engine's documented metric names. */
  #metrics(): string {
    const stats = this.stats();
    const protocol = this.#config.options.entry.protocol ?? 'websocket';
    return toPrometheus(stats) + engineMetrics({ stats, protocol, durations: this.#durations });
  }

  #push(clientId: string, topic: string, data: unknown): Promise<void> {
    if (typeof topic !== 'string' || topic === '')
      return Promise.reject(new TypeError('a topic is a non-empty string'));
    let json: string | undefined;
    try {
      json = JSON.stringify(data);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (json === undefined) return Promise.reject(new TypeError('pushed data must be a JSON value'));
    if (this.#state !== 'running')
      return Promise.reject(new QueueFullError(`engine ${this.node} is stopped`));
    return this.#queue.push({ clientId, topic, json });
  }

  /** Start and stop run one after the other, never interleaved. */
  #serialize(step: () => Promise<void>): Promise<void> {
    const next = this.#transition.then(step);
    this.#transition = next.catch(() => undefined);
    return next;
  }
}
