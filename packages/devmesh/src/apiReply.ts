import type { Dialect, OutgoingRequest } from '@connmix/core';
import type { QueuedMessage } from './queue.ts';

/** What running a request came to: a result `r`, or an error code and text. */
export type Outcome = { ok: true; result: unknown } | { ok: false; code: number; message: string };

/** How many end users a `mesh.*` call reached. */
export interface Delivery {
  success: number;
  fail: number;
}

/** `{"E":null,"r":...,"i":N}` */
export function encodeResult(id: number, result: unknown): string {
  return JSON.stringify({ E: null, r: result, i: id });
}

/** `{"E":{"c":CODE,"m":TEXT},"i":N}`, with `i` null when the request id could not be read. */
export function encodeError(id: number | null, code: number, message: string): string {
  return JSON.stringify({ E: { c: code, m: message }, i: id });
}

/** A node id goes on the wire as a number when it is one (the docs show `"n":1`), else as a string. */
export function nodeIdJson(node: string): string {
  return /^(0|[1-9]\d{0,14})$/.test(node) ? node : JSON.stringify(node);
}

/** The `queue.pop` event; v1.0.3 adds the node (`n`). The data is spliced in as pushed. */
export function encodeQueueEvent(dialect: Dialect, node: string, message: QueuedMessage): string {
  const n = dialect === 'v1.0.3' ? `"n":${nodeIdJson(node)},` : '';
  const c = JSON.stringify(message.clientId);
  return `{"e":"queue.pop","p":{${n}"c":${c},"t":${JSON.stringify(message.topic)},"d":${message.json}},"id":null}`;
}

/** The `r` of a successful request, as each dialect writes it. */
export function resultFor(dialect: Dialect, method: OutgoingRequest['method'], delivery?: Delivery): unknown {
  switch (method) {
    case 'server.ping':
      return { s: 'server.pong' };
    case 'queue.pop':
    case 'queue.unpop':
    case 'conn.call':
      return { s: true };
    case 'mesh.send':
      return dialect === 'v1.0.3' ? { s: true } : { s: true, f: 0, t: 1 };
    case 'mesh.publish': {
      const { success, fail } = delivery ?? { success: 0, fail: 0 };
      return dialect === 'v1.0.3' ? { s: success, f: fail } : { s: true, f: fail, t: success + fail };
    }
  }
}
