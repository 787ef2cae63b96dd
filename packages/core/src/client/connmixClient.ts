import { createCodec, type Codec } from '../codec/codec.ts';
import { DIALECTS } from '../codec/dialects.ts';
import { assertValidRequest } from '../codec/validateRequest.ts';
import { ConnectionClosedError, ConnmixError, TimeoutError, abortErrorFor } from '../errors/errors.ts';
import type { QueueMessageData } from '../schema/incoming.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { DeliveryResult, MethodResults, SuccessResult } from '../schema/results.ts';
import { payloadOf, splitNames, type NamesAndOptions } from './arguments.ts';
import { channels, setContext, setContextValue } from './connCalls.ts';
import type {
  Client,
  ConsumeArguments,
  MessagesOptions,
  MessageStream,
  PingResult,
  Subscription,
} from './client.ts';
import { CLOSE_CODES, type Connection } from '../connection/connection.ts';
import { Consumption } from './consumption.ts';
import {
  createClientEmitter,
  type ClientErrorEvent,
  type ClientEventHandler,
  type ClientEvents,
} from './events.ts';
import { Heartbeat } from '../connection/heartbeat.ts';
import { Lifecycle } from '../connection/lifecycle.ts';
import { Inbox } from './inbox.ts';
import {
  CLIENT_DEFAULTS,
  type CallOptions,
  type ClientOptions,
  type ResolvedCallOptions,
  type ResolvedClientOptions,
} from './options.ts';
import { resolveCallOptions, resolveClientOptions } from './resolveOptions.ts';
import { createQueueMessage, type MessageActions, type QueueMessage } from './queueMessage.ts';
import { createFrameRouter } from './frameRouter.ts';
import { RequestManager, type PreparedCall } from './requestManager.ts';

/** The client of one engine: wires the request manager, the lifecycle, consumption and events. */
export class ConnmixClient implements Client, MessageActions {
  readonly #options: ResolvedClientOptions;
  readonly #codec: Codec;
  readonly #emitter = createClientEmitter();
  readonly #requests: RequestManager;
  readonly #consumption: Consumption;
  readonly #lifecycle: Lifecycle;
  readonly #inbox: Inbox<QueueMessage>;
  #heartbeat: Heartbeat | undefined;

  constructor(options: ClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#codec = createCodec({ dialect: this.#options.dialect });
    this.#requests = new RequestManager(this.#codec, (cause) => {
      const error = new ConnmixError('the transport refused to send a frame; the socket is replaced', {
        cause,
      });
      this.#report({ kind: 'transport', error });
      this.#lifecycle.kill(CLOSE_CODES.sendFailed, 'send failed', error);
    });
    this.#consumption = new Consumption({
      request: async (request, front) =>
        this.#requests.request(request, {
          timeoutMs: this.#options.requestTimeoutMs,
          signal: undefined,
          front,
        }),
      report: (event) => this.#report(event),
      retryPolicy: this.#options.reconnect || CLIENT_DEFAULTS.reconnect,
    });
    const router = createFrameRouter({
      codec: this.#codec,
      requests: this.#requests,
      heard: () => this.#heartbeat?.heard(),
      deliver: (message) => this.#deliver(message),
      report: (event) => this.#report(event),
    });
    this.#lifecycle = new Lifecycle(
      this.#options,
      {
        opened: (connection) => this.#opened(connection),
        lost: (info, cause) => {
          this.#stopHeartbeat();
          this.#consumption.connectionLost();
          this.#requests.detach(info, cause);
        },
        terminated: (info, why, cause) => {
          this.#stopHeartbeat();
          this.#consumption.close();
          this.#requests.closeAll(info, why, cause);
          this.#inbox.end();
        },
        report: (event) => this.#report(event),
        state: (change) => {
          this.#emitter.emit('state', change);
          if (change.to === 'closed') this.#emitter.close();
        },
      },
      router,
    );
    this.#inbox = new Inbox<QueueMessage>({
      highWaterMark: this.#options.highWaterMark,
      listening: () => this.#emitter.listens('message'),
      emit: (message) => this.#emitter.emit('message', message),
      report: (event) => this.#report(event),
    });
  }

  get state() {
    return this.#lifecycle.state;
  }

  async connect(options?: CallOptions): Promise<void> {
    const { timeoutMs, signal } = resolveCallOptions(options, undefined);
    return this.#lifecycle.connect(timeoutMs, signal);
  }

  on<K extends keyof ClientEvents>(type: K, handler: ClientEventHandler<K>): () => void {
    return this.#emitter.on(type, handler);
  }

  async ping(options?: CallOptions): Promise<PingResult> {
    return this.#issue(this.#pingCall(), options, true);
  }

  /** `server.ping` in v1.0.2; the text frame `ping` in v1.0.3, where that method was removed. */
  #pingCall(): PreparedCall {
    return DIALECTS[this.#options.dialect].serverPing
      ? this.#requests.prepare({ method: 'server.ping' })
      : this.#requests.preparePing();
  }

  async pop(...args: NamesAndOptions): Promise<SuccessResult> {
    const { names, options } = splitNames('queue.pop request', 'topics', args);
    return this.#perform({ method: 'queue.pop', topics: names }, options);
  }

  async unpop(options?: CallOptions): Promise<SuccessResult> {
    return this.#perform({ method: 'queue.unpop' }, options);
  }

  consume(...args: ConsumeArguments): Subscription {
    const { names: topics, options } = splitNames('consume()', 'topics', args);
    return this.#inbox.consumer('consume()', topics, options, this.#options.highWaterMark, {
      wants: this.#consumption,
      start: () => this.#lifecycle.start(),
    });
  }

  messages(options?: MessagesOptions): MessageStream {
    return this.#inbox.consumer('messages()', undefined, options, this.#options.highWaterMark);
  }

  async setContextValue(
    clientId: string,
    key: string,
    value: unknown,
    options?: CallOptions,
  ): Promise<SuccessResult> {
    return setContextValue(this, clientId, key, value, options);
  }

  async setContext(
    clientId: string,
    context: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<SuccessResult> {
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
    options?: CallOptions,
  ): Promise<SuccessResult> {
    return this.#perform({ method: 'conn.call', clientId, func, args: args as unknown[] }, options);
  }

  async send(clientId: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult> {
    return this.#perform({ method: 'mesh.send', clientId, ...payloadOf('mesh.send request', data) }, options);
  }

  async publish(channel: string, data: string | Uint8Array, options?: CallOptions): Promise<DeliveryResult> {
    return this.#perform(
      { method: 'mesh.publish', channel, ...payloadOf('mesh.publish request', data) },
      options,
    );
  }

  async request<R extends OutgoingRequest>(
    request: R,
    options?: CallOptions,
  ): Promise<MethodResults[R['method']]> {
    // Checked before anything is read from it: `request(null)` is a ValidationError too.
    assertValidRequest(request);
    return this.#perform(request, options);
  }

  async close(): Promise<void> {
    this.#lifecycle.close();
  }

  /**
   * A request with its side effects on consumption: a pop is wanted from now on, an unpop forgets. Not
   * `async`: the public method around it already is, and a second suspended function per pending
   * call would double what a call holds. It throws (the public method turns that into a rejection).
   */
  #perform<R extends OutgoingRequest>(request: R, options: unknown): Promise<MethodResults[R['method']]> {
    const plain = request as OutgoingRequest;
    const answer = this.#issue<MethodResults[R['method']]>(this.#requests.prepare(request), options);
    const success = answer as Promise<SuccessResult>;
    if (plain.method === 'queue.pop') this.#consumption.popping(plain.topics, success);
    if (plain.method === 'queue.unpop') this.#consumption.unpopping(success);
    return answer;
  }

  /** Every call ends here: checked first, then queued, then the connection is started if idle. */
  #issue<T>(call: PreparedCall, options: unknown, roundTrip = false): Promise<T> {
    const resolved: ResolvedCallOptions = resolveCallOptions(options, this.#options.requestTimeoutMs);
    if (this.state === 'closed') {
      throw new ConnectionClosedError({
        message: `${call.what} was not sent: the client is closed`,
        code: CLOSE_CODES.normal,
        reason: 'client closed',
      });
    }
    if (resolved.signal?.aborted) throw abortErrorFor(call.what, resolved.signal);
    const answer = this.#requests.track<T>(call, resolved, roundTrip);
    this.#lifecycle.start();
    return answer;
  }

  #opened(connection: Connection): void {
    this.#consumption.connectionOpened();
    this.#requests.attach((frame) => connection.send(frame));
    const heartbeat = this.#options.heartbeat;
    if (!heartbeat || !connection.isOpen) return;
    this.#heartbeat = new Heartbeat(
      heartbeat,
      () => this.#probe(connection),
      () => {
        const error = new TimeoutError({ what: 'the heartbeat', timeoutMs: heartbeat.timeoutMs });
        this.#report({ kind: 'heartbeat', error });
        this.#lifecycle.kill(CLOSE_CODES.heartbeatTimeout, 'heartbeat timeout', error);
      },
    );
    this.#heartbeat.start();
  }

  /** One keep-alive probe; its outcome does not matter, since any frame heard answers it. */
  #probe(connection: Connection): void {
    const heartbeat = this.#options.heartbeat;
    if (!heartbeat) return;
    if (connection.hasNativePing && !DIALECTS[this.#options.dialect].serverPing) {
      connection.ping();
      return;
    }
    const options = { timeoutMs: heartbeat.timeoutMs, signal: undefined };
    // Its round trip is not needed: any answer proves the socket alive.
    this.#requests.track(this.#pingCall(), options, true).catch(() => {});
  }

  #stopHeartbeat(): void {
    this.#heartbeat?.stop();
    this.#heartbeat = undefined;
  }

  #deliver(data: QueueMessageData): void {
    this.#inbox.deliver(createQueueMessage(data, this));
  }

  #report(event: ClientErrorEvent): void {
    this.#emitter.emit('error', event);
  }
}
