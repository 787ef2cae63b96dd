import { ErrorCode, type Dialect, type OutgoingRequest } from '@connmix/core';
import { readDenied, writeDenied, type Principal } from './access.ts';
import { resultFor, type Delivery, type Outcome } from './apiReply.ts';
import type { EntryConnection } from './entry.ts';
import type { FaultState } from './faults.ts';
import type { QueueConsumer, QueueStore } from './queue.ts';

/** What the API methods need from their engine. */
export interface ApiBackend {
  readonly dialect: Dialect;
  readonly node: string;
  readonly faults: FaultState;
  readonly queue: QueueStore;
  /** An end-user connection held by this engine. */
  connection(clientId: string): EntryConnection | undefined;
  /** Sends to a connection anywhere in the mesh; false when it is gone or unreachable. */
  meshSend(clientId: string, payload: string | Buffer): boolean;
  /** Sends to every subscriber of a channel anywhere in the mesh. */
  meshPublish(channel: string, payload: string | Buffer): Delivery;
}

/** Who sent the request, and the queue consumer of its socket (none over REST). */
export interface ApiCaller {
  principal: Principal;
  consumer?: QueueConsumer | undefined;
}

/** The documented failure code of each method, for an error the engine did not foresee. */
const FAILURE_CODE: Record<OutgoingRequest['method'], number> = {
  'server.ping': ErrorCode.InvalidParams,
  'queue.pop': ErrorCode.ConsumeFailed,
  'queue.unpop': ErrorCode.UnpopFailed,
  'conn.call': ErrorCode.CallFailed,
  'mesh.send': ErrorCode.SendFailed,
  'mesh.publish': ErrorCode.SendFailed,
};

/** Runs one request against an engine, as the engine's API server would; never throws. */
export function runRequest(backend: ApiBackend, caller: ApiCaller, request: OutgoingRequest): Outcome {
  try {
    return run(backend, caller, request);
  } catch (error) {
    return { ok: false, code: FAILURE_CODE[request.method], message: `internal error: ${String(error)}` };
  }
}

function run(backend: ApiBackend, caller: ApiCaller, request: OutgoingRequest): Outcome {
  const injected = backend.faults.takeFailure(request.method);
  if (injected !== undefined) return { ok: false, ...injected };
  const ok = (delivery?: Delivery): Outcome => ({
    ok: true,
    result: resultFor(backend.dialect, request.method, delivery),
  });
  switch (request.method) {
    case 'server.ping':
      return ok();
    case 'queue.pop': {
      const denied = readDenied(caller.principal);
      if (denied !== undefined) return { ok: false, code: ErrorCode.ConsumeFailed, message: denied };
      if (caller.consumer === undefined) {
        return { ok: false, code: ErrorCode.InvalidParams, message: 'queue.pop needs a WebSocket' };
      }
      const outcome = backend.queue.pop(caller.consumer, request.topics);
      return outcome.ok ? ok() : { ok: false, code: outcome.code, message: outcome.message };
    }
    case 'queue.unpop':
      if (caller.consumer !== undefined) backend.queue.unpop(caller.consumer);
      return ok();
    case 'conn.call': {
      const denied = writeDenied(caller.principal);
      if (denied !== undefined) return { ok: false, code: ErrorCode.CallFailed, message: denied };
      return connCall(backend, request) ?? ok();
    }
    case 'mesh.send': {
      const denied = writeDenied(caller.principal);
      if (denied !== undefined) return { ok: false, code: ErrorCode.SendFailed, message: denied };
      if (!backend.meshSend(request.clientId, payloadOf(request))) {
        return {
          ok: false,
          code: ErrorCode.SendFailed,
          message: `send failed: client ${request.clientId} is gone`,
        };
      }
      return ok();
    }
    case 'mesh.publish': {
      const denied = writeDenied(caller.principal);
      if (denied !== undefined) return { ok: false, code: ErrorCode.SendFailed, message: denied };
      return ok(backend.meshPublish(request.channel, payloadOf(request)));
    }
  }
}

/** Runs a `conn.call` function on the local connection; undefined when it succeeded. */
function connCall(
  backend: ApiBackend,
  request: Extract<OutgoingRequest, { method: 'conn.call' }>,
): Outcome | undefined {
  const fail = (message: string): Outcome => ({ ok: false, code: ErrorCode.CallFailed, message });
  const conn = backend.connection(request.clientId);
  if (conn === undefined)
    return fail(`execution failed: client ${request.clientId} is not on node ${backend.node}`);
  const { args } = request;
  switch (request.func) {
    case 'set_context_value':
      conn.setContextValue(args[0] as string, args[1]);
      return undefined;
    case 'set_context':
      conn.setContext(args[0] as Record<string, unknown>);
      return undefined;
    case 'subscribe':
      conn.subscribe(...(args as string[]));
      return undefined;
    case 'unsubscribe':
      conn.unsubscribe(...(args as string[]));
      return undefined;
    default:
      return fail(`execution failed: unknown function ${request.func}`);
  }
}

/** Text as is; v1.0.3 binary data arrives as base64 and leaves as bytes. */
function payloadOf(request: { data: string; type?: 'text' | 'binary' | undefined }): string | Buffer {
  return request.type === 'binary' ? Buffer.from(request.data, 'base64') : request.data;
}
