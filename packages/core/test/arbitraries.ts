// fast-check generators for the protocol: valid requests, server frames, and near-valid junk that
// exercises every branch of the decoder and validator.
import fc from 'fast-check';
import { METHOD_NAMES } from '../src/grammar/methods.ts';
import type { Dialect, Incoming, OutgoingRequest } from '../src/index.ts';

/** Every method of the grammar table, for tests that try each. */
export const methods = METHOD_NAMES;
export const dialects: readonly Dialect[] = ['v1.0.2', 'v1.0.3'];

const UINT64_MAX = 2n ** 64n - 1n;

/** 64-bit snowflakes, most above 2^53 with low bits set, as an engine makes under load. */
export const clientId = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: UINT64_MAX }).map(String),
  fc.nat().map(String),
);
export const topic = fc.string({ minLength: 1, maxLength: 12 });
export const channel = fc.stringMatching(/^\S{1,12}$/);
// Through JSON once, as data from the wire is (no -0).
const jsonData = fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

export function validRequest(dialect: Dialect): fc.Arbitrary<OutgoingRequest> {
  const type =
    dialect === 'v1.0.3' ? fc.constantFrom('text' as const, 'binary' as const) : fc.constant('text' as const);
  const withType = <T extends object>(request: T) =>
    fc.option(type, { nil: undefined }).map((t) => (t === undefined ? request : { ...request, type: t }));
  const requests: Array<fc.Arbitrary<OutgoingRequest>> = [
    fc.constant({ method: 'queue.unpop' as const }),
    fc
      .array(topic, { minLength: 1, maxLength: 4 })
      .map((topics) => ({ method: 'queue.pop' as const, topics })),
    fc
      .record({ clientId, key: fc.string({ minLength: 1 }), value: jsonData })
      .map(({ clientId, key, value }) => ({
        method: 'conn.call' as const,
        clientId,
        func: 'set_context_value',
        args: [key, value],
      })),
    fc
      .record({ clientId, ctx: fc.dictionary(fc.string(), jsonData, { maxKeys: 3 }) })
      .map(({ clientId, ctx }) => ({
        method: 'conn.call' as const,
        clientId,
        func: 'set_context',
        args: [ctx],
      })),
    fc
      .record({
        clientId,
        func: fc.constantFrom('subscribe', 'unsubscribe'),
        channels: fc.array(channel, { minLength: 1, maxLength: 3 }),
      })
      .map(({ clientId, func, channels }) => ({
        method: 'conn.call' as const,
        clientId,
        func,
        args: channels,
      })),
    fc
      .record({ clientId, data: fc.string() })
      .chain(({ clientId, data }) => withType({ method: 'mesh.send' as const, clientId, data })),
    fc
      .record({ channel, data: fc.string() })
      .chain(({ channel, data }) => withType({ method: 'mesh.publish' as const, channel, data })),
  ];
  if (dialect === 'v1.0.2') requests.push(fc.constant({ method: 'server.ping' as const }));
  return fc.oneof(...requests);
}

export const requestId = fc.nat();
/** Objects with Object.prototype, as JSON.parse makes them. */
const plain = { noNullPrototype: true } as const;

/** Frames the engine may send, in their neutral meaning. */
export const incoming: fc.Arbitrary<Incoming> = fc.oneof(
  fc.record({ kind: fc.constant('response' as const), id: requestId, result: jsonData }, plain),
  fc.record(
    {
      kind: fc.constant('error' as const),
      id: fc.option(requestId, { nil: null }),
      code: fc.integer({ min: -1000, max: 100_000 }),
      message: fc.string(),
    },
    plain,
  ),
  fc
    .record(
      {
        node: fc.option(fc.oneof(fc.nat().map(String), fc.stringMatching(/^[a-z0-9]{1,20}$/)), {
          nil: undefined,
        }),
        clientId,
        topic: fc.string(),
        data: jsonData,
      },
      plain,
    )
    .map(({ node, ...message }) => ({
      kind: 'event' as const,
      event: 'queue.pop' as const,
      message: node === undefined ? message : { node, ...message },
    })),
  fc.record(
    {
      kind: fc.constant('event' as const),
      event: fc.string().filter((event) => event !== 'queue.pop'),
      payload: jsonData,
    },
    plain,
  ),
  fc.constant({ kind: 'pong' as const }),
);

/** The integers a JSON number can spell: no leading zero. */
const JSON_INTEGER = /^(?:0|[1-9]\d*)$/;

/**
 * Writes `message` as the engine would: ids as strings, or as bare JSON numbers when `bareIds`
 * (64-bit ones included, which `JSON.stringify` cannot do), and `i` or the docs' `id` quirk.
 */
export function toWire(message: Incoming, options: { bareIds: boolean; idKey: 'i' | 'id' }): string {
  const { idKey } = options;
  switch (message.kind) {
    case 'pong':
      return 'pong';
    case 'response':
      return `{"E":null,"r":${JSON.stringify(message.result)},"${idKey}":${message.id}}`;
    case 'error':
      return `{"E":${JSON.stringify({ c: message.code, m: message.message })},"${idKey}":${message.id}}`;
    case 'event': {
      if (!('message' in message)) return JSON.stringify({ e: message.event, p: message.payload, id: null });
      const { node, clientId, topic, data } = message.message;
      // Only a canonical integer can be a bare JSON number: "00" or "012" stay strings.
      const id = (value: string) =>
        options.bareIds && JSON_INTEGER.test(value) ? value : JSON.stringify(value);
      const n = node === undefined ? '' : `"n":${id(node)},`;
      return `{"e":"queue.pop","p":{${n}"c":${id(clientId)},"t":${JSON.stringify(topic)},"d":${JSON.stringify(data)}},"id":null}`;
    }
  }
}

/** Values that sit on every boundary of the decoder's rules. */
const edgy = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    0,
    -1,
    1.5,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    '12',
    '0012',
    '1627581697287520263',
    '99999999999999999999999',
    'abc',
    'queue.pop',
    'server.pong',
    [],
    {},
  ),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.jsonValue({ maxDepth: 1 }),
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** Near-valid parsed frames: objects built from the protocol's keys with edgy values. */
export const frameLike: fc.Arbitrary<unknown> = fc.oneof(
  edgy,
  fc
    .record({
      e: maybe(fc.oneof(fc.constant('queue.pop'), edgy)),
      p: maybe(
        fc.oneof(
          edgy,
          fc.record({ c: maybe(edgy), t: maybe(edgy), n: maybe(edgy), d: maybe(edgy) }).map(dropUndefined),
        ),
      ),
      E: maybe(fc.oneof(edgy, fc.record({ c: maybe(edgy), m: maybe(edgy) }).map(dropUndefined))),
      r: maybe(edgy),
      i: maybe(edgy),
      id: maybe(edgy),
    })
    .map(dropUndefined),
);

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Near-valid requests for the validator. */
export const requestLike: fc.Arbitrary<unknown> = fc.oneof(
  edgy,
  fc
    .record({
      method: maybe(fc.oneof(fc.constantFrom(...methods), edgy)),
      topics: maybe(fc.oneof(edgy, fc.array(edgy, { maxLength: 3 }), fc.array(topic, { maxLength: 2 }))),
      clientId: maybe(fc.oneof(edgy, clientId)),
      func: maybe(
        fc.oneof(edgy, fc.constantFrom('set_context_value', 'set_context', 'subscribe', 'unsubscribe')),
      ),
      args: maybe(fc.oneof(edgy, fc.array(fc.oneof(edgy, channel), { maxLength: 3 }))),
      channel: maybe(fc.oneof(edgy, channel)),
      data: maybe(edgy),
      type: maybe(fc.oneof(edgy, fc.constantFrom('text', 'binary'))),
    })
    .map(dropUndefined),
);

/** Near-valid result objects for every method. */
export const resultLike: fc.Arbitrary<unknown> = fc.oneof(
  edgy,
  fc
    .record({
      s: maybe(fc.oneof(edgy, fc.boolean(), fc.nat(20), fc.constant('server.pong'))),
      f: maybe(fc.oneof(edgy, fc.nat(20))),
      t: maybe(fc.oneof(edgy, fc.nat(20))),
    })
    .map(dropUndefined),
);

/** Values a wire request's fields take near their rules: short strings, numbers, flags, null, []. */
const wireEdgy = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
);

/** Near-valid params objects: the wire keys of every method, each present or not. */
const wireParams = fc.record(
  {
    c: fc.oneof(wireEdgy, fc.constantFrom('1463786910324359168', 'room1', '')),
    d: wireEdgy,
    f: fc.oneof(wireEdgy, fc.constantFrom('set_context_value', 'set_context', 'subscribe', 'unsubscribe')),
    a: fc.oneof(
      wireEdgy,
      fc.array(fc.oneof(wireEdgy, fc.constantFrom('room1', 'uid', 'has space')), { maxLength: 3 }),
    ),
    t: fc.oneof(wireEdgy, fc.constantFrom('text', 'binary')),
  },
  { requiredKeys: [] },
);

/** Near-valid request frames `{m, p, i}`, in either dialect's layout, as parsed JSON. */
export const wireRequestLike: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    m: fc.oneof(wireEdgy, fc.constantFrom(...methods)),
    p: fc.oneof(
      wireEdgy,
      wireParams,
      fc.array(wireParams, { maxLength: 2 }),
      fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
    ),
    i: fc.oneof(wireEdgy, fc.nat()),
  },
  { requiredKeys: [] },
);
