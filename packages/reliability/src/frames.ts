// Seeded frames for the fuzz scenarios: valid engine frames written as an engine writes them (ids
// as strings or bare 64-bit numbers, `i` or `id`, any JSON data, prototype keys included), with
// the meaning each must decode to, and mutations of them that may be anything at all.
import type { Incoming } from '@connmix/core';
import type { Random } from './seed.ts';

export interface GeneratedFrame {
  frame: string;
  /** What the frame means, in the SDK's neutral form. */
  expected: Incoming;
}

/** Keys that would reach a prototype if a decoder assigned them naively. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const SPECIAL_CHARS = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
  '\n',
  '0',
  '-',
  'e',
  'n',
  '\u0000',
  '\u2028',
  '\ud800',
  '😀',
];

function decimal(random: Random): string {
  switch (random.int(4)) {
    case 0:
      return String(random.int(1000));
    case 1:
      return String(random.int(2 ** 31));
    default: {
      // A snowflake above 2^53, most of its low bits set, as engines make them under load.
      const high = BigInt(random.int(2 ** 31) + 2 ** 21) << 32n;
      return String(high | BigInt(random.int(2 ** 32)));
    }
  }
}

function jsonString(random: Random): string {
  const length = random.int(12);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += random.chance(0.2) ? random.pick(SPECIAL_CHARS) : String.fromCharCode(97 + random.int(26));
  }
  return JSON.stringify(text);
}

/** JSON text of a random value, up to `depth` levels of arrays and objects. */
export function jsonText(random: Random, depth: number): string {
  const kind = random.int(depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return 'null';
    case 1:
      return random.chance(0.5) ? 'true' : 'false';
    case 2:
      return String(random.int(2_000_001) - 1_000_000);
    case 3:
      return String((random.next() - 0.5) * 10 ** random.int(30));
    case 4:
    case 5:
      return jsonString(random);
    case 6:
      return `[${Array.from({ length: random.int(4) }, () => jsonText(random, depth - 1)).join(',')}]`;
    default: {
      const keys = Array.from({ length: random.int(4) }, () =>
        random.chance(0.15) ? JSON.stringify(random.pick(PROTOTYPE_KEYS)) : jsonString(random),
      );
      return `{${keys.map((key) => `${key}:${jsonText(random, depth - 1)}`).join(',')}}`;
    }
  }
}

/** A valid frame an engine may send, and what it means. */
export function validFrame(random: Random): GeneratedFrame {
  const idKey = random.chance(0.8) ? 'i' : 'id';
  const kind = random.int(10);
  if (kind < 5) {
    const node = random.chance(0.5) ? undefined : decimal(random);
    const clientId = decimal(random);
    const topicText = jsonString(random);
    const dataText = jsonText(random, 4);
    const id = (value: string) => (random.chance(0.5) ? value : JSON.stringify(value));
    const n = node === undefined ? '' : `"n":${id(node)},`;
    const message = {
      ...(node === undefined ? {} : { node }),
      clientId,
      topic: JSON.parse(topicText) as string,
      data: JSON.parse(dataText) as unknown,
    };
    return {
      frame: `{"e":"queue.pop","p":{${n}"c":${id(clientId)},"t":${topicText},"d":${dataText}},"id":null}`,
      expected: { kind: 'event', event: 'queue.pop', message },
    };
  }
  if (kind < 7) {
    const id = random.int(2 ** 31);
    const resultText = jsonText(random, 3);
    return {
      frame: `{"E":null,"r":${resultText},"${idKey}":${id}}`,
      expected: { kind: 'response', id, result: JSON.parse(resultText) as unknown },
    };
  }
  if (kind < 9) {
    const id = random.chance(0.2) ? null : random.int(2 ** 31);
    const code = random.pick([101, 201, 202, 203, 301, 401, random.int(100_000)]);
    const messageText = jsonString(random);
    return {
      frame: `{"E":{"c":${code},"m":${messageText}},"${idKey}":${id}}`,
      expected: { kind: 'error', id, code, message: JSON.parse(messageText) as string },
    };
  }
  if (random.chance(0.5)) return { frame: 'pong', expected: { kind: 'pong' } };
  const event = `custom.${random.int(100)}`;
  const payloadText = jsonText(random, 3);
  return {
    frame: `{"e":"${event}","p":${payloadText},"id":null}`,
    expected: { kind: 'event', event, payload: JSON.parse(payloadText) as unknown },
  };
}

/** Positions just after a structural character outside strings: whitespace may go there. */
function structuralPositions(frame: string): number[] {
  const positions: number[] = [];
  let inString = false;
  for (let i = 0; i < frame.length; i++) {
    const char = frame[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if ('{}[],:'.includes(char as string)) positions.push(i + 1);
  }
  return positions;
}

/** The same frame with JSON whitespace between tokens: it means exactly the same. */
export function respace(random: Random, frame: string): string {
  const positions = structuralPositions(frame);
  if (positions.length === 0) return frame;
  let result = frame;
  for (const position of positions.filter(() => random.chance(0.3)).reverse()) {
    result = result.slice(0, position) + random.pick([' ', '\n', '\t', '\r\n ']) + result.slice(position);
  }
  return result;
}

/** A mutation of a frame: it may still be valid, be valid with another meaning, or be garbage. */
export function mutate(random: Random, frame: string): string {
  const at = random.int(frame.length + 1);
  switch (random.int(10)) {
    case 0:
      return frame.slice(0, at);
    case 1:
      return frame.slice(0, at) + random.pick(SPECIAL_CHARS) + frame.slice(at + 1);
    case 2:
      return frame.slice(0, at) + random.pick(SPECIAL_CHARS) + frame.slice(at);
    case 3:
      return frame.slice(0, at) + frame.slice(at + 1 + random.int(8));
    case 4: {
      // Another value where one was: a type confusion.
      const positions = structuralPositions(frame).filter((p) => frame[p - 1] === ':');
      if (positions.length === 0) return frame + frame;
      const start = random.pick(positions);
      return `${frame.slice(0, start)}${jsonText(random, 2)},"x":${frame.slice(start)}`;
    }
    case 5: {
      // Prototype keys inside some object of the frame.
      const positions = structuralPositions(frame).filter((p) => frame[p - 1] === '{');
      if (positions.length === 0) return `{"__proto__":${frame}}`;
      const start = random.pick(positions);
      const key = random.pick(PROTOTYPE_KEYS);
      const value = key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}';
      const rest = frame.slice(start);
      return `${frame.slice(0, start)}"${key}":${value}${rest.startsWith('}') ? '' : ','}${rest}`;
    }
    case 6:
      return random.chance(0.5) ? frame + frame : `[${frame}]`;
    case 7:
      return jsonText(random, 3);
    case 8:
      // A valid frame of another shape spliced in.
      return frame.slice(0, at) + validFrame(random).frame.slice(random.int(20));
    default:
      return frame.replace(
        /"(c|n|t|d|e|p|E|r|i|id|m)":/,
        () => `"${random.pick(['c', 'n', 't', 'd', 'e', 'p', 'E', 'r', 'i', 'x'])}":`,
      );
  }
}
