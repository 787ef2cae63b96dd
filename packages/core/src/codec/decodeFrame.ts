import { ProtocolError, ValidationError } from '../errors/errors.ts';
import type { Incoming } from '../schema/incoming.ts';
import { exactIntegersAt, type ExactPath } from './exactJson.ts';
import { CLIENT_ID_PATTERN } from '../grammar/fields.ts';
import {
  isNatural,
  isNatural as isRequestId,
  isPlainObject,
  isRoundedInteger,
  isSafeIntegerFrom,
} from '../grammar/values.ts';

/** Where the engine may write a 64-bit id as a bare number: the queue event's client and node. */
const EXACT_ID_PATHS: readonly ExactPath[] = [
  ['p', 'c'],
  ['p', 'n'],
];

/**
 * Decodes one frame from the engine. Tolerant where the protocol is loose (`i` or `id`, numeric
 * node ids, `ctx` as `[]`), strict where it matters: anything that is not a valid frame is a
 * `ProtocolError`, and ids always come out as exact decimal strings.
 */
export function decodeFrame(frame: string | Uint8Array): Incoming {
  if (typeof frame !== 'string') {
    if (!(frame instanceof Uint8Array)) {
      throw new ValidationError('decode() arguments', [
        { path: ['frame'], message: 'decode takes a frame: a string, or a Uint8Array for a binary one' },
      ]);
    }
    throw new ProtocolError('received a binary frame; the connmix API sends JSON in text frames', frame);
  }
  if (frame === 'pong') return { kind: 'pong' };
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (cause) {
    throw new ProtocolError(`received malformed JSON (${(cause as Error).message})`, frame, { cause });
  }
  try {
    return decodeParsed(value, frame);
  } catch (error) {
    // Slow path, only when an id lost precision in JSON.parse: re-read it from the source text.
    if (error !== INEXACT_ID) throw error;
    // Only the ids JSON.parse rounded are re-read: any other id keeps the form the fast path
    // judged, so a frame is accepted or refused the same on both paths (a safe `n: -1` beside a
    // rounded `c` stays a number, and stays refused).
    const payload = (value as { p: Record<string, unknown> }).p;
    const rounded = EXACT_ID_PATHS.filter(([, key]) => isRoundedId(payload[key!]));
    return decodeValue(exactIntegersAt(frame, value, rounded), frame);
  }
}

/** Thrown by `exactId` (and caught here) when a queue event's id is a number JSON.parse rounded. */
const INEXACT_ID = Symbol('inexact id');

/**
 * Decodes an already parsed frame. These rules are mirrored by the `WireFrame` zod schema; a
 * property test proves the two accept, reject and produce exactly the same.
 */
export function decodeValue(value: unknown, frame: unknown = value): Incoming {
  try {
    return decodeParsed(value, frame);
  } catch (error) {
    if (error !== INEXACT_ID) throw error;
    throw new ProtocolError('a queue.pop event has an id beyond 2^53 that was already rounded', frame);
  }
}

function decodeParsed(value: unknown, frame: unknown): Incoming {
  if (!isPlainObject(value)) {
    throw new ProtocolError(`expected a JSON object, got ${describe(value)}`, frame);
  }
  if (typeof value['e'] === 'string') return decodeEvent(value['e'], value['p'], frame);
  const error = value['E'];
  if (error !== null && error !== undefined) {
    if (!isPlainObject(error) || !isSafeIntegerFrom(error['c'], Number.MIN_SAFE_INTEGER)) {
      throw new ProtocolError('an error response needs E.c, an integer code', frame);
    }
    const message = error['m'];
    if (message !== undefined && typeof message !== 'string') {
      throw new ProtocolError('an error response has a non-string E.m', frame);
    }
    const id = requestIdOf(value);
    if (id !== null && !isRequestId(id))
      throw new ProtocolError('an error response has an invalid id', frame);
    return { kind: 'error', id, code: error['c'], message: message ?? '' };
  }
  if (!('r' in value)) throw new ProtocolError('neither a response (E, r, i) nor an event (e)', frame);
  const id = requestIdOf(value);
  if (!isRequestId(id)) throw new ProtocolError('a response without a valid id (i)', frame);
  return { kind: 'response', id, result: value['r'] };
}

function decodeEvent(event: string, payload: unknown, frame: unknown): Incoming {
  if (event !== 'queue.pop') return { kind: 'event', event, payload: payload ?? null };
  if (!isPlainObject(payload)) throw new ProtocolError('a queue.pop event needs an object p', frame);
  const clientId = exactId(payload['c']);
  if (clientId === undefined || !CLIENT_ID_PATTERN.test(clientId)) {
    throw new ProtocolError('a queue.pop event needs p.c, a decimal client id', frame);
  }
  const topic = payload['t'];
  if (typeof topic !== 'string') throw new ProtocolError('a queue.pop event needs p.t, a topic name', frame);
  const rawNode = payload['n'] ?? undefined;
  const node = rawNode === undefined ? undefined : exactId(rawNode);
  if (node === undefined && rawNode !== undefined) {
    throw new ProtocolError('a queue.pop event has a p.n that is neither a string nor an integer', frame);
  }
  const data = payload['d'] ?? null;
  return {
    kind: 'event',
    event,
    message: node === undefined ? { clientId, topic, data } : { node, clientId, topic, data },
  };
}

/** Ids arrive as strings, as safe integers, or (slow path) as exact digit strings. */
function exactId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (isNatural(value)) return String(value);
    if (isRoundedId(value)) throw INEXACT_ID;
  }
  return undefined;
}

/** A non-negative integer too large for a double to hold exactly: its digits are in the text. */
function isRoundedId(value: unknown): boolean {
  return isRoundedInteger(value) && value > 0;
}

/** `i` is the documented key; `id` appears in the docs' own examples. */
function requestIdOf(value: Record<string, unknown>): unknown {
  const id = value['i'] ?? value['id'];
  return id === undefined ? null : id;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
