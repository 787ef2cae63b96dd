import { ErrorCode } from '@connmix/core';
import type { RawData, WebSocket } from 'ws';
import { toBuffer } from './rawData.ts';
import type { Principal } from './access.ts';
import { runRequest, type ApiBackend } from './apiMethods.ts';
import { parseApiFrame } from './apiRequest.ts';
import { encodeError, encodeQueueEvent, encodeResult } from './apiReply.ts';
import { Outbox } from './faults.ts';
import { IdleTimer } from './idleTimer.ts';
import type { QueueConsumer, QueuedMessage } from './queue.ts';
import type { EngineCounters } from './stats.ts';

/** What a connection needs from its engine besides the API methods. */
export interface ApiConnectionHost extends ApiBackend {
  readonly counters: EngineCounters;
}

/** One worker's WebSocket on an engine's API server: requests in, answers and queue events out. */
export class ApiConnection implements QueueConsumer {
  /** Frozen with its engine: it reads nothing and answers nothing until it is dropped. */
  halfOpen = false;
  readonly closed: Promise<void>;
  readonly #outbox: Outbox;
  readonly #idle: IdleTimer;
  /** Events produced while a request runs wait for its answer: `{"s":true}` comes before the events. */
  #deferred: string[] | undefined;

  readonly #host: ApiConnectionHost;
  readonly #principal: Principal;

  constructor(
    readonly ws: WebSocket,
    host: ApiConnectionHost,
    principal: Principal,
    idleTimeoutMs: number,
  ) {
    this.#host = host;
    this.#principal = principal;
    this.#outbox = new Outbox(host.faults);
    this.#idle = new IdleTimer(idleTimeoutMs, () => {
      if (this.halfOpen) return;
      host.counters.idleTimeouts++;
      ws.terminate();
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    ws.on('ping', (data) => {
      this.#idle.touch();
      if (!this.halfOpen) this.#outbox.enqueue(() => ws.pong(data));
    });
    ws.on('pong', () => this.#idle.touch());
    ws.on('error', () => undefined); // a reset socket closes; 'close' does the cleanup
    ws.once('close', () => {
      this.#idle.stop();
      this.#outbox.dispose();
      host.queue.unpop(this);
    });
  }

  /** A queue message for this consumer: it goes out as a `queue.pop` event. */
  deliver(message: QueuedMessage): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    const event = encodeQueueEvent(this.#host.dialect, this.#host.node, message);
    if (this.#deferred !== undefined) this.#deferred.push(event);
    else this.send(event);
    return true;
  }

  /** Sends a frame as it is (fault injection: `engine.injectRaw`). */
  send(frame: string | Uint8Array, binary = typeof frame !== 'string'): void {
    this.#outbox.enqueue(() => {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.#host.counters.apiFramesOut++;
      this.ws.send(frame, { binary });
    });
  }

  /** Becomes a half-open socket: no reads, no writes, no idle timeout. */
  freeze(): void {
    this.halfOpen = true;
    this.#idle.stop();
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    this.#host.counters.apiFramesIn++;
    this.#idle.touch();
    if (this.halfOpen) return;
    const frame = isBinary ? new Uint8Array(toBuffer(data)) : toBuffer(data).toString('utf8');
    const parsed = parseApiFrame(frame, this.#host.dialect);
    switch (parsed.kind) {
      case 'ping':
        this.send('pong');
        return;
      case 'invalid':
        this.send(encodeError(parsed.id, ErrorCode.InvalidParams, `invalid params: ${parsed.message}`));
        return;
      case 'request': {
        const events: string[] = [];
        this.#deferred = events;
        try {
          const outcome = runRequest(
            this.#host,
            { principal: this.#principal, consumer: this },
            parsed.request,
          );
          this.send(
            outcome.ok
              ? encodeResult(parsed.id, outcome.result)
              : encodeError(parsed.id, outcome.code, outcome.message),
          );
        } finally {
          this.#deferred = undefined;
        }
        for (const event of events) this.send(event);
        return;
      }
    }
  }
}
