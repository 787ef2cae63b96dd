import type { Codec } from '../codec/codec.ts';
import { ConnectionClosedError, ServerError, TimeoutError } from '../errors/errors.ts';
import type { OutgoingRequest } from '../schema/requests.ts';
import type { TransportCloseInfo } from '../transport/transport.ts';
import { abortErrorFor, listenForAbort, type AbortSignalLike } from './abort.ts';
import { clearTimer, now, setTimer, type TimerHandle } from './timers.ts';

export interface DispatchOptions {
  timeoutMs: number;
  signal: AbortSignalLike | undefined;
  /** Goes out before everything already queued (the re-pop of a new connection). */
  front?: boolean | undefined;
}

/** Turns an answer into the call's value; `sentAt` is when the frame went out. */
export type ParseAnswer<T> = (result: unknown, sentAt: number) => T;

/** A request encoded with its id, ready to be tracked. */
export interface PreparedCall {
  /** Undefined for a text `ping`. */
  readonly id: number | undefined;
  readonly what: string;
  readonly frame: string;
}

interface Entry {
  /** Undefined for a text `ping`, which is answered by position (FIFO), not by id. */
  readonly id: number | undefined;
  /** The method (or `ping`): names the call in errors. */
  readonly what: string;
  readonly frame: string;
  sent: boolean;
  sentAt: number;
  settled: boolean;
  answer(result: unknown): void;
  fail(error: Error): void;
}

/** Ids of sent calls given up on (timeout, abort) remembered so their late answers pass quietly. */
const MAX_ABANDONED = 1024;

/**
 * Every call between its start and its settlement: its id, its deadline, its signal, whether its
 * frame went out. Each call settles exactly once, whichever of answer, error, timeout, abort or
 * connection loss comes first; the rest find it settled and do nothing.
 */
export class RequestManager {
  readonly #codec: Codec;
  readonly #onSendFailure: (error: unknown) => void;
  #nextId = 1;
  readonly #byId = new Map<number, Entry>();
  #queue: Entry[] = [];
  readonly #inFlight = new Set<Entry>();
  /** Sent text pings, oldest first: the engine answers them in order. */
  #pings: Entry[] = [];
  readonly #abandoned = new Set<number>();
  #send: ((frame: string) => void) | undefined;

  constructor(codec: Codec, onSendFailure: (error: unknown) => void) {
    this.#codec = codec;
    this.#onSendFailure = onSendFailure;
  }

  /** Encodes a request with a fresh id; throws `ValidationError` (and queues nothing) if it is invalid. */
  prepare(request: OutgoingRequest): PreparedCall {
    const id = this.#nextId++;
    return { id, what: request.method, frame: this.#codec.encode({ ...request, id }) };
  }

  /** The v1.0.3 text heartbeat: answered in order by the text frame `pong`, not by id. */
  preparePing(): PreparedCall {
    return { id: undefined, what: 'ping', frame: 'ping' };
  }

  /** Prepares and tracks in one step; an invalid request becomes a rejected promise. */
  request<T>(request: OutgoingRequest, options: DispatchOptions, parse: ParseAnswer<T>): Promise<T> {
    let call: PreparedCall;
    try {
      call = this.prepare(request);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(call, options, parse);
  }

  /** A connection is ready: queued frames go out in order, and later ones at once. */
  attach(send: (frame: string) => void): void {
    this.#send = send;
    this.#flush();
  }

  /** The connection is gone: every call already sent fails, queued ones wait for the next. */
  detach(info: TransportCloseInfo, cause?: unknown): void {
    this.#send = undefined;
    const lost = [...this.#inFlight];
    this.#pings = [];
    this.#abandoned.clear();
    const how = `the connection closed (code ${info.code}${info.reason ? `, ${info.reason}` : ''})`;
    for (const entry of lost) {
      entry.fail(
        new ConnectionClosedError(
          {
            message: `${entry.what} was sent, but ${how} before its answer; not re-sent, as it may have taken effect`,
            code: info.code,
            reason: info.reason,
          },
          cause === undefined ? {} : { cause },
        ),
      );
    }
  }

  /** The client is done: every call fails, queued or sent. */
  closeAll(info: TransportCloseInfo, why: string, cause?: unknown): void {
    this.#send = undefined;
    const entries = [...this.#queue, ...this.#inFlight];
    this.#pings = [];
    this.#abandoned.clear();
    for (const entry of entries) {
      const message = entry.sent
        ? `${entry.what} got no answer: ${why}`
        : `${entry.what} was not sent: ${why}`;
      entry.fail(
        new ConnectionClosedError(
          { message, code: info.code, reason: info.reason },
          cause === undefined ? {} : { cause },
        ),
      );
    }
  }

  /** Settles the call with this id; false if no call waits for it (the caller reports that). */
  answer(id: number, result: unknown): boolean {
    const entry = this.#sentEntry(id);
    if (!entry) return this.#abandoned.delete(id);
    entry.answer(result);
    return true;
  }

  /** Rejects the call with this id with a `ServerError`; false if no call waits for it. */
  serverError(id: number, code: number, serverMessage: string): boolean {
    const entry = this.#sentEntry(id);
    if (!entry) return this.#abandoned.delete(id);
    entry.fail(new ServerError({ code, method: entry.what, serverMessage }));
    return true;
  }

  /** Settles the oldest text ping; false if none was sent. */
  pong(): boolean {
    const entry = this.#pings.shift();
    if (!entry) return false;
    entry.answer(undefined);
    return true;
  }

  #sentEntry(id: number): Entry | undefined {
    const entry = this.#byId.get(id);
    return entry?.sent ? entry : undefined;
  }

  /** Queues a prepared call (sending it at once if a connection is attached) until it settles. */
  track<T>(call: PreparedCall, options: DispatchOptions, parse: ParseAnswer<T>): Promise<T> {
    const { id, what, frame } = call;
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(abortErrorFor(what, signal));
    return new Promise<T>((resolve, reject) => {
      // `timer` and `stopListening` are set below, before anything can settle the call.
      const settle = (): boolean => {
        if (entry.settled) return false;
        entry.settled = true;
        clearTimer(timer);
        stopListening();
        this.#forget(entry);
        return true;
      };
      // Given up on after it went out: its answer may still come and must not look unknown.
      const abandon = () => {
        if (!entry.sent || entry.id === undefined) return;
        this.#abandoned.add(entry.id);
        if (this.#abandoned.size > MAX_ABANDONED)
          this.#abandoned.delete(this.#abandoned.values().next().value!);
      };
      const entry: Entry = {
        id,
        what,
        frame,
        sent: false,
        sentAt: 0,
        settled: false,
        answer: (result) => {
          if (entry.settled) return;
          let value: T;
          try {
            value = parse(result, entry.sentAt);
          } catch (error) {
            if (settle()) reject(error);
            return;
          }
          if (settle()) resolve(value);
        },
        fail: (error) => {
          if (settle()) reject(error);
        },
      };
      const timer: TimerHandle = setTimer(() => {
        const what = entry.sent ? entry.what : `${entry.what} (never sent: no open connection)`;
        abandon();
        entry.fail(new TimeoutError({ what, timeoutMs }));
      }, timeoutMs);
      const stopListening = listenForAbort(signal, () => {
        abandon();
        entry.fail(abortErrorFor(what, signal!));
      });
      if (id !== undefined) this.#byId.set(id, entry);
      if (options.front) this.#queue.unshift(entry);
      else this.#queue.push(entry);
      this.#flush();
    });
  }

  #forget(entry: Entry): void {
    if (entry.id !== undefined) this.#byId.delete(entry.id);
    this.#inFlight.delete(entry);
    if (!entry.sent) {
      const index = this.#queue.indexOf(entry);
      if (index >= 0) this.#queue.splice(index, 1);
    }
    // A settled text ping keeps its place in `#pings`: the pong that answers it is still due.
  }

  #flush(): void {
    const send = this.#send;
    while (send && this.#send === send && this.#queue.length > 0) {
      const entry = this.#queue.shift()!;
      entry.sent = true;
      entry.sentAt = now();
      this.#inFlight.add(entry);
      if (entry.id === undefined) this.#pings.push(entry);
      try {
        send(entry.frame);
      } catch (error) {
        // Nothing went out: the call stays first in line for the next connection.
        entry.sent = false;
        this.#inFlight.delete(entry);
        const ping = this.#pings.lastIndexOf(entry);
        if (ping >= 0) this.#pings.splice(ping, 1);
        this.#queue.unshift(entry);
        this.#send = undefined;
        this.#onSendFailure(error);
        return;
      }
    }
  }
}
