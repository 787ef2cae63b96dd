import { encodeWithId, type Codec } from '../codec/codec.ts';
import { ConnectionClosedError, ServerError, TimeoutError, abortErrorFor } from '../errors/errors.ts';
import type { Method, OutgoingRequest } from '../schema/requests.ts';
import type { TransportCloseInfo } from '../transport/transport.ts';
import { listenForAbort, type AbortSignalLike } from '../runtime/abort.ts';
import { DeadlineQueue } from '../runtime/deadlines.ts';
import { PendingCall, type CallOwner } from './pendingCall.ts';
import { now } from '../runtime/timers.ts';

export interface DispatchOptions {
  timeoutMs: number;
  signal: AbortSignalLike | undefined;
  /** Goes out before everything already queued (the re-pop of a new connection). */
  front?: boolean | undefined;
}

/** A request encoded with its id, ready to be tracked. */
export interface PreparedCall {
  /** Undefined for a text `ping`. */
  readonly id: number | undefined;
  readonly what: string;
  readonly frame: string;
}

/** Ids of sent calls given up on (timeout, abort) remembered so their late answers pass quietly. */
const MAX_ABANDONED = 1024;

/**
 * Every call between its start and its settlement: its id, its deadline, its signal, whether its
 * frame went out. Every per-call step is O(1) amortized: calls waiting to be sent and calls sent
 * are insertion-ordered sets (removal from the middle is a delete), and one timer serves every
 * deadline.
 */
export class RequestManager implements CallOwner {
  readonly #codec: Codec;
  readonly #onSendFailure: (error: unknown) => void;
  #nextId = 1;
  readonly #byId = new Map<number, PendingCall>();
  /** Waiting for a connection, in sending order. */
  #queue = new Set<PendingCall>();
  /** Sent, waiting for their answer by id. */
  readonly #inFlight = new Set<PendingCall>();
  /** Sent text pings, oldest first: the engine answers them in order, with no id. */
  readonly #pings = new Set<PendingCall>();
  /**
   * Sent text pings given up on (deadline, abort) whose pong may still come. A ping that gives up
   * leaves the line, so one the engine never answers cannot shift every later pong onto the ping
   * before it; a pong that comes when no ping waits is then one of these, and passes quietly.
   */
  #owedPongs = 0;
  readonly #abandoned = new Set<number>();
  readonly #deadlines = new DeadlineQueue<PendingCall>((call) => this.#expire(call));
  #send: ((frame: string) => void) | undefined;

  constructor(codec: Codec, onSendFailure: (error: unknown) => void) {
    this.#codec = codec;
    this.#onSendFailure = onSendFailure;
  }

  /** Encodes a request with a fresh id; throws `ValidationError` (and queues nothing) if it is invalid. */
  prepare(request: OutgoingRequest): PreparedCall {
    const id = this.#nextId++;
    return { id, what: request.method, frame: encodeWithId(this.#codec, request, id) };
  }

  /** The v1.0.3 text heartbeat: answered in order by the text frame `pong`, not by id. */
  preparePing(): PreparedCall {
    return PING;
  }

  /** Prepares and tracks in one step; an invalid request becomes a rejected promise. */
  request<T>(request: OutgoingRequest, options: DispatchOptions): Promise<T> {
    let call: PreparedCall;
    try {
      call = this.prepare(request);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(call, options);
  }

  /** A connection is ready: queued frames go out in order, and later ones at once. */
  attach(send: (frame: string) => void): void {
    this.#send = send;
    this.#flush();
  }

  /** The connection is gone: every call already sent fails, queued ones wait for the next. */
  detach(info: TransportCloseInfo, cause?: unknown): void {
    const how = `the connection closed (code ${info.code}${info.reason ? `, ${info.reason}` : ''})`;
    this.#failSent(
      [],
      info,
      cause,
      (call) =>
        `${call.what} was sent, but ${how} before its answer; not re-sent, as it may have taken effect`,
    );
  }

  /** The client is done: every call fails, queued or sent. */
  closeAll(info: TransportCloseInfo, why: string, cause?: unknown): void {
    const queued = [...this.#queue];
    this.#queue.clear();
    this.#failSent(queued, info, cause, (call) =>
      call.sent ? `${call.what} got no answer: ${why}` : `${call.what} was not sent: ${why}`,
    );
    // Settled calls leave the deadline timer armed (see `DeadlineQueue.remove`): a closed client holds none.
    this.#deadlines.clear();
  }

  /** Detaches the connection and fails `also` and every call sent on it, each with its message. */
  #failSent(
    also: PendingCall[],
    info: TransportCloseInfo,
    cause: unknown,
    message: (call: PendingCall) => string,
  ): void {
    this.#send = undefined;
    const calls = [...also, ...this.#inFlight, ...this.#pings];
    this.#inFlight.clear();
    this.#pings.clear();
    this.#owedPongs = 0;
    this.#abandoned.clear();
    const { code, reason } = info;
    for (const call of calls) {
      call.fail(
        new ConnectionClosedError(
          { message: message(call), code, reason },
          cause === undefined ? {} : { cause },
        ),
      );
    }
  }

  /** Settles the call with this id; false if no call waits for it (the caller reports that). */
  answer(id: number, result: unknown): boolean {
    const call = this.#sentCall(id);
    if (!call) return this.#abandoned.delete(id);
    this.#settle(call, result);
    return true;
  }

  /** Rejects the call with this id with a `ServerError`; false if no call waits for it. */
  serverError(id: number, code: number, serverMessage: string): boolean {
    const call = this.#sentCall(id);
    if (!call) return this.#abandoned.delete(id);
    call.fail(new ServerError({ code, method: call.what, serverMessage }));
    return true;
  }

  /** Settles the oldest waiting text ping; false if no ping was sent. */
  pong(): boolean {
    // The oldest: sets keep insertion order.
    const call = this.#pings.values().next().value;
    if (call) {
      this.#settle(call, undefined);
      return true;
    }
    if (this.#owedPongs === 0) return false;
    this.#owedPongs -= 1;
    return true;
  }

  /**
   * Queues a prepared call (sending it at once if a connection is attached) until it settles, with
   * its method's result as the codec normalizes it, or with its round trip when `roundTrip`.
   */
  track<T>(prepared: PreparedCall, options: DispatchOptions, roundTrip = false): Promise<T> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(abortErrorFor(prepared.what, signal));
    const call = new PendingCall(this, prepared.id, prepared.what, prepared.frame, timeoutMs, roundTrip);
    const promise = call.promise<T>();
    if (signal) call.stopListening = listenForAbort(signal, () => this.#abort(call, signal));
    if (call.id !== undefined) this.#byId.set(call.id, call);
    this.#deadlines.add(call);
    // Going first is rare (the re-pop of a new connection): the set is rebuilt, once.
    if (options.front) this.#queue = new Set([call, ...this.#queue]);
    else this.#queue.add(call);
    this.#flush();
    return promise;
  }

  /** Called by a call as it settles: it leaves the lists it is in (a sent call is in one of two). */
  release(call: PendingCall): void {
    if (call.id !== undefined) this.#byId.delete(call.id);
    if (!call.sent) this.#queue.delete(call);
    else (call.id === undefined ? this.#pings : this.#inFlight).delete(call);
    this.#deadlines.remove(call);
  }

  /** Resolves a call with what its answer means for it; a result the codec refuses fails it instead. */
  #settle(call: PendingCall, result: unknown): void {
    let value: unknown;
    try {
      // A call that is no ping was prepared from a request: its `what` is the method.
      value = call.roundTrip
        ? { rttMs: now() - call.sentAt }
        : this.#codec.result(call.what as Method, result);
    } catch (error) {
      call.fail(error);
      return;
    }
    call.resolve(value);
  }

  #sentCall(id: number): PendingCall | undefined {
    const call = this.#byId.get(id);
    return call?.sent ? call : undefined;
  }

  #expire(call: PendingCall): void {
    const what = call.sent ? call.what : `${call.what} (never sent: no open connection)`;
    this.#abandon(call);
    call.fail(withoutStack(() => new TimeoutError({ what, timeoutMs: call.timeoutMs })));
  }

  #abort(call: PendingCall, signal: AbortSignalLike): void {
    this.#abandon(call);
    call.fail(abortErrorFor(call.what, signal));
  }

  /** Given up on after it went out: its answer may still come and must not look unknown. */
  #abandon(call: PendingCall): void {
    if (!call.sent || call.settled) return;
    if (call.id === undefined) {
      if (this.#owedPongs < MAX_ABANDONED) this.#owedPongs += 1;
      return;
    }
    this.#abandoned.add(call.id);
    if (this.#abandoned.size > MAX_ABANDONED) this.#abandoned.delete(this.#abandoned.values().next().value!);
  }

  #flush(): void {
    const send = this.#send;
    const queue = this.#queue;
    // One iterator over the queue: the calls sent before are never walked again.
    for (const call of queue) {
      if (!send || this.#send !== send) return;
      queue.delete(call);
      call.sent = true;
      call.sentAt = now();
      (call.id === undefined ? this.#pings : this.#inFlight).add(call);
      try {
        send(call.frame);
      } catch (error) {
        // Nothing went out: the call stays first in line for the next connection.
        call.sent = false;
        this.#pings.delete(call);
        this.#inFlight.delete(call);
        this.#queue = new Set([call, ...this.#queue]);
        this.#send = undefined;
        this.#onSendFailure(error);
        return;
      }
      if (call.id !== undefined) call.frame = '';
    }
    // A call put first while this ran is in a new set: send it too.
    if (this.#queue !== queue && this.#queue.size > 0) this.#flush();
  }
}

/**
 * Makes an error without capturing a stack trace. An error made in the deadline timer's callback
 * has only the SDK's own frames on its stack (no caller is on it), and capturing them is most of
 * the cost of an `Error`: 80,000 calls expiring together spend 4x less. `stackTraceLimit` is
 * V8's; elsewhere it is absent and the error is made as usual.
 */
function withoutStack<E>(make: () => E): E {
  const host = Error as { stackTraceLimit?: number };
  const limit = host.stackTraceLimit;
  if (limit === undefined) return make();
  host.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    host.stackTraceLimit = limit;
  }
}

const PING: PreparedCall = { id: undefined, what: 'ping', frame: 'ping' };
