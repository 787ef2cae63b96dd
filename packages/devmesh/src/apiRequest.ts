import type { Dialect } from '@connmix/core';
import { OutgoingRequest } from '@connmix/core/schema';
import { isPlainObject, parseJsonExact } from '@connmix/core/internal';

/** What one frame from an API client means, in the neutral form of the SDK. */
export type ApiFrame =
  | { kind: 'ping' }
  | { kind: 'request'; id: number; request: OutgoingRequest }
  | { kind: 'invalid'; id: number | null; message: string };

/** Where clients put a client id (or channel) that may be a bare 64-bit number. */
const EXACT_PATHS = [
  ['p', 'c'],
  ['p', '*', 'c'],
];
const REST_EXACT_PATHS = [['c']];

/**
 * Reads a request of either dialect, tolerantly: `i` or `id` (the seed's own example),
 * params as an array or a bare object (the PHP client), client ids as strings or numbers (read
 * exactly even above 2^53). A frame that cannot mean a valid request is `invalid`: the engine
 * answers 101 and keeps the socket open.
 */
export function parseApiFrame(frame: string | Uint8Array, dialect: Dialect): ApiFrame {
  if (typeof frame !== 'string') {
    return { kind: 'invalid', id: null, message: 'binary frames are not requests; send JSON in text frames' };
  }
  if (frame === 'ping' && dialect === 'v1.0.3') return { kind: 'ping' };
  const value = parseJson(frame, EXACT_PATHS, (v) => isPlainObject(v) && hasInexactId(v['p']));
  if (!value.ok) return { kind: 'invalid', id: idInText(frame), message: value.message };
  const doc = value.value;
  if (!isPlainObject(doc))
    return { kind: 'invalid', id: null, message: 'a request is a JSON object {m, p, i}' };
  const rawId = doc['i'] ?? doc['id'];
  if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId) || rawId < 0) {
    return { kind: 'invalid', id: null, message: 'a request needs i, a non-negative integer id' };
  }
  const shaped = shapeRequest(doc['m'], doc['p'], dialect);
  if (typeof shaped === 'string') return { kind: 'invalid', id: rawId, message: shaped };
  return { kind: 'request', id: rawId, request: shaped };
}

/** Reads the JSON body of `POST /v1/mesh/send` or `/v1/mesh/publish` (v1.0.3 REST). */
export function parseRestBody(
  method: 'mesh.send' | 'mesh.publish',
  body: string,
  dialect: Dialect,
): OutgoingRequest | string {
  const value = parseJson(body, REST_EXACT_PATHS, (v) => isPlainObject(v) && isInexact(v['c']));
  if (!value.ok) return value.message;
  if (!isPlainObject(value.value)) return `the body of ${method} is a JSON object {c, d, t?}`;
  return shapeRequest(method, value.value, dialect);
}

/** The neutral request a method and its params mean, or why they mean none. */
function shapeRequest(method: unknown, params: unknown, dialect: Dialect): OutgoingRequest | string {
  let request: Record<string, unknown>;
  switch (method) {
    case 'server.ping':
      if (dialect === 'v1.0.3') return "server.ping was removed in v1.0.3; send the text frame 'ping'";
      request = { method };
      break;
    case 'queue.unpop':
      request = { method };
      break;
    case 'queue.pop': {
      const topics = Array.isArray(params) ? params : isPlainObject(params) ? params['t'] : undefined;
      if (!Array.isArray(topics)) return 'queue.pop takes ["topic", ...] or {"t": ["topic", ...]}';
      request = { method, topics };
      break;
    }
    case 'conn.call':
    case 'mesh.send':
    case 'mesh.publish': {
      const p = Array.isArray(params) && params.length === 1 ? params[0] : params;
      if (!isPlainObject(p)) return `${method} takes [{"c": ..., ...}] or {"c": ..., ...}`;
      const c = typeof p['c'] === 'number' && Number.isSafeInteger(p['c']) ? String(p['c']) : p['c'];
      if (method === 'conn.call') request = { method, clientId: c, func: p['f'], args: p['a'] };
      else if (method === 'mesh.send') request = { method, clientId: c, data: p['d'] };
      else request = { method, channel: c, data: p['d'] };
      // v1.0.2 has no message type: an older engine ignores `t` and sends text.
      if (method !== 'conn.call' && dialect === 'v1.0.3' && p['t'] !== undefined) request['type'] = p['t'];
      if (request['type'] === 'binary' && !isBase64(request['data']))
        return `${method}: binary data must be base64`;
      break;
    }
    default:
      return typeof method === 'string' ? `unknown method ${method}` : 'a request needs m, the method name';
  }
  const checked = OutgoingRequest.safeParse(request);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  return `invalid params of ${String(method)}${where}: ${issue?.message ?? 'rejected'}`;
}

function parseJson(
  text: string,
  paths: string[][],
  inexact: (value: unknown) => boolean,
): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    const value: unknown = JSON.parse(text);
    // The exact parser is slower: only a frame whose id lost precision takes it.
    return { ok: true, value: inexact(value) ? parseJsonExact(text, paths) : value };
  } catch (error) {
    return { ok: false, message: `malformed JSON: ${(error as Error).message}` };
  }
}

function hasInexactId(params: unknown): boolean {
  if (Array.isArray(params)) return params.some((p) => isPlainObject(p) && isInexact(p['c']));
  return isPlainObject(params) && isInexact(params['c']);
}

function isInexact(value: unknown): boolean {
  return typeof value === 'number' && !Number.isSafeInteger(value);
}

/** The request id of a frame too broken to parse, when it can still be read. */
function idInText(text: string): number | null {
  const match = /"id?"\s*:\s*(\d{1,15})\s*[,}]/.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function isBase64(value: unknown): boolean {
  return typeof value === 'string' && value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}
