import type { Codec } from '../codec/codec.ts';
import { ProtocolError, ServerError } from '../errors/errors.ts';
import type { QueueMessageData } from '../schema/incoming.ts';
import type { ClientErrorEvent } from './events.ts';
import type { FrameSink } from '../connection/connection.ts';
import type { RequestManager } from './requestManager.ts';

export interface FrameTargets {
  codec: Codec;
  requests: RequestManager;
  /** Anything heard proves the socket alive: the heartbeat is told first. */
  heard(): void;
  deliver(message: QueueMessageData): void;
  report(event: ClientErrorEvent): void;
}

/**
 * Where the open connection hands every frame from the engine: an answer goes to its call, a
 * queue message to the consumers, anything unexpected to `error`. A bad frame is reported and
 * skipped; it never throws, so one bad frame cannot disturb the frames after it.
 */
export function createFrameRouter(targets: FrameTargets): FrameSink {
  return {
    frame(frame) {
      targets.heard();
      route(frame, targets);
    },
    // A native pong frame: it answers the heartbeat and nothing else.
    pong: () => targets.heard(),
  };
}

function route(frame: string | Uint8Array, targets: FrameTargets): void {
  const { codec, requests, report } = targets;
  let incoming;
  try {
    incoming = codec.decode(frame);
  } catch (error) {
    // decode throws nothing else: its property tests feed it random and mutated frames.
    report({ kind: 'protocol', error: error as ProtocolError });
    return;
  }
  // What an answer no call waits for was; it is reported once, below the switch, so no closure
  // is made for every frame.
  let unwaited: string;
  switch (incoming.kind) {
    case 'response':
      if (requests.answer(incoming.id, incoming.result)) return;
      unwaited = 'a response to';
      break;
    case 'error': {
      const { id, code, message } = incoming;
      if (id === null) {
        const method = '(a request the engine could not identify)';
        report({ kind: 'server', error: new ServerError({ code, method, serverMessage: message }) });
        return;
      }
      if (requests.serverError(id, code, message)) return;
      unwaited = `an error (code ${code}) for`;
      break;
    }
    case 'event':
      if ('message' in incoming) {
        targets.deliver(incoming.message);
      } else {
        const { event, payload } = incoming;
        const problem = `received the event ${JSON.stringify(event)}, which this SDK does not know; ignored`;
        report({ kind: 'unknown-event', error: new ProtocolError(problem, frame), event, payload });
      }
      return;
    case 'pong':
      if (!requests.pong()) {
        const error = new ProtocolError('received a pong, but no ping is waiting for one; ignored', frame);
        report({ kind: 'unknown-response', error, id: null });
      }
      return;
    default: {
      // A new kind of frame is a compile error here until it is routed.
      const unrouted: never = incoming;
      return unrouted;
    }
  }
  const id = incoming.id as number;
  report({
    kind: 'unknown-response',
    error: new ProtocolError(
      `received ${unwaited} request id ${id}, which no call is waiting for; ignored`,
      frame,
    ),
    id,
  });
}
