import type { Dialect, OutgoingRequest } from '@connmix/core';
import {
  FIELDS,
  isMethod,
  isNatural,
  isPlainObject,
  isRoundedInteger,
  isSafeIntegerFrom,
  LAYOUTS,
  METHODS,
  methodInDialect,
  parseJsonExact,
  requestIssues,
  requestOf,
  type Method,
  type MethodGrammar,
} from '@connmix/core/internal';

/** What one frame from an API client means, in the neutral form of the SDK. */
export type ApiFrame =
  | { kind: 'ping' }
  | { kind: 'request'; id: number; request: OutgoingRequest }
  | { kind: 'invalid'; id: number | null; message: string };

/** The wire key of ids (a client id, or a channel in its place) that may be a bare 64-bit number. */
const ID_KEY = FIELDS.clientId.wire;
/** Where clients put such an id: in the params object, alone or wrapped in the v1.0.2 array. */
const EXACT_PATHS = [
  ['p', ID_KEY],
  ['p', '*', ID_KEY],
];
const REST_EXACT_PATHS = [[ID_KEY]];

/**
 * Reads a request of either dialect, tolerantly: `i` or `id` (the seed's own example),
 * params in either dialect's layout (the PHP client writes a bare object), client ids as strings
 * or numbers (read exactly even above 2^53). The layouts, fields and their rules are the SDK's
 * grammar table, the same the codec writes with. A frame that cannot mean a valid request is
 * `invalid`: the engine answers 101 and keeps the socket open.
 */
export function parseApiFrame(frame: string | Uint8Array, dialect: Dialect): ApiFrame {
  if (typeof frame !== 'string') {
    return { kind: 'invalid', id: null, message: 'binary frames are not requests; send JSON in text frames' };
  }
  if (frame === 'ping' && dialect === 'v1.0.3') return { kind: 'ping' };
  const value = parseJson(frame, EXACT_PATHS, (v) => isPlainObject(v) && hasRoundedId(v['p']));
  if (!value.ok) return { kind: 'invalid', id: idInText(frame), message: value.message };
  const doc = value.value;
  if (!isPlainObject(doc))
    return { kind: 'invalid', id: null, message: 'a request is a JSON object {m, p, i}' };
  const rawId = doc['i'] ?? doc['id'];
  if (!isNatural(rawId)) {
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
  const value = parseJson(body, REST_EXACT_PATHS, (v) => isPlainObject(v) && isRoundedInteger(v[ID_KEY]));
  if (!value.ok) return value.message;
  if (!isPlainObject(value.value)) return `the body of ${method} is a JSON object {c, d, t?}`;
  return shapeRequest(method, value.value, dialect);
}

/** The neutral request a method and its params mean, or why they mean none. */
function shapeRequest(method: unknown, params: unknown, dialect: Dialect): OutgoingRequest | string {
  if (!isMethod(method)) {
    return typeof method === 'string' ? `unknown method ${method}` : 'a request needs m, the method name';
  }
  if (!methodInDialect(method, dialect)) {
    return method === 'server.ping'
      ? `server.ping was removed in ${dialect}; send the text frame 'ping'`
      : `${method} does not exist in ${dialect}`;
  }
  const object = paramsObject(method, params);
  if (typeof object === 'string') return object;
  // An id the client wrote as a (safe) number means its digits.
  const id = object[ID_KEY];
  const wire = isSafeIntegerFrom(id, Number.MIN_SAFE_INTEGER) ? { ...object, [ID_KEY]: String(id) } : object;
  // v1.0.2 has no message type: an older engine ignores `t` and sends text.
  const request = requestOf(method, wire, dialect);
  if (request['type'] === 'binary' && !isBase64(request['data']))
    return `${method}: binary data must be base64`;
  const issue = requestIssues(request)[0];
  if (issue === undefined) return request as OutgoingRequest;
  const where = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  return `invalid params of ${method}${where}: ${issue.message}`;
}

/** The params object of a request in the layout of either dialect, or why there is none. */
function paramsObject(method: Method, params: unknown): Record<string, unknown> | string {
  const grammar: MethodGrammar = METHODS[method];
  if (grammar.fields.length === 0) return {};
  if (grammar.listParams !== undefined) {
    const key = FIELDS[grammar.listParams].wire;
    if (Array.isArray(params)) return { [key]: params };
    if (isPlainObject(params) && Array.isArray(params[key])) return params;
    return `${method} takes [...] or {"${key}": [...]}`;
  }
  const p = Array.isArray(params) && params.length === 1 ? params[0] : params;
  if (isPlainObject(p)) return p;
  const [, first] = LAYOUTS['v1.0.3'][method].pairs[0]!;
  return `${method} takes [{"${first}": ..., ...}] or {"${first}": ..., ...}`;
}

function parseJson(
  text: string,
  paths: string[][],
  rounded: (value: unknown) => boolean,
): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    const value: unknown = JSON.parse(text);
    // The exact parser is slower: only a frame whose id lost precision takes it.
    return { ok: true, value: rounded(value) ? parseJsonExact(text, paths) : value };
  } catch (error) {
    return { ok: false, message: `malformed JSON: ${(error as Error).message}` };
  }
}

function hasRoundedId(params: unknown): boolean {
  if (Array.isArray(params)) return params.some((p) => isPlainObject(p) && isRoundedInteger(p[ID_KEY]));
  return isPlainObject(params) && isRoundedInteger(params[ID_KEY]);
}

/** The request id of a frame too broken to parse, when it can still be read. */
function idInText(text: string): number | null {
  const match = /"id?"\s*:\s*(\d{1,15})\s*[,}]/.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function isBase64(value: unknown): boolean {
  return typeof value === 'string' && value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}
