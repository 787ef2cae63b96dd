// One table of invalid arguments for every public method and option of the core: each must be
// refused with a ValidationError whose first issue names the argument (and the place inside it),
// and nothing may reach the wire.
import { describe, expect, it } from 'vitest';
import { openClient, TEST_URL } from '../src/client/testing/clientHarness.ts';
import { createFakeTransport } from '../src/client/testing/fakeTransport.ts';
import { openCluster } from '../src/cluster/testing/clusterHarness.ts';
import { createClient, createCluster, createCodec, ValidationError, type Client } from '../src/index.ts';

type Path = ReadonlyArray<string | number>;
interface Row {
  /** The call, as a user would write it. */
  call: string;
  run: (target: Client) => unknown;
  path: Path;
}

const circular: Record<string, unknown> = { name: 'loop' };
circular['self'] = circular;
const nestedCycle: unknown[] = [1];
nestedCycle.push({ back: nestedCycle });
const id = '1627581697287520263';
const fn = () => 1;
const sym = Symbol('s');

/** Values no JSON argument may hold, with where the first problem is inside each. */
const notJson: Array<[name: string, value: unknown, inside: Path]> = [
  ['a BigInt', 10n, []],
  ['a circular object', circular, ['self']],
  ['a cycle through an array', nestedCycle, [1, 'back']],
  ['a function', fn, []],
  ['a symbol', sym, []],
  ['undefined', undefined, []],
  ['NaN', Number.NaN, []],
  ['Infinity', Number.POSITIVE_INFINITY, []],
  ['a Map', new Map([['a', 1]]), []],
  ['a Set', new Set([1]), []],
  ['bytes', new Uint8Array([1]), []],
  ['a BigInt deep inside', { a: [{ b: 2n }] }, ['a', 0, 'b']],
  ['a function property', { f: fn }, ['f']],
  ['undefined in an array', [1, undefined], [1]],
  [
    'a throwing toJSON',
    {
      toJSON: () => {
        throw new Error('no');
      },
    },
    [],
  ],
];

const badCallOptions: Array<[name: string, value: unknown, path: Path]> = [
  ['a string', 'fast', []],
  ['null', null, []],
  ['a negative timeoutMs', { timeoutMs: -1 }, ['timeoutMs']],
  ['a zero timeoutMs', { timeoutMs: 0 }, ['timeoutMs']],
  ['a NaN timeoutMs', { timeoutMs: Number.NaN }, ['timeoutMs']],
  ['a BigInt timeoutMs', { timeoutMs: 10n }, ['timeoutMs']],
  ['a signal that is not one', { signal: { aborted: false } }, ['signal']],
];

const badClientIds: Array<[name: string, value: unknown]> = [
  ['a number', 1627581697287520263],
  ['a BigInt', 1627581697287520263n],
  ['letters', 'abc'],
  ['empty', ''],
  ['null', null],
  ['21 digits', '1'.repeat(21)],
];

const opts = (value: unknown) => value as never;

/** Methods of a client, and of a cluster (which has the same ones). */
const methodRows: Row[] = [
  ...badCallOptions.flatMap(([name, value, path]): Row[] => [
    { call: `connect(${name})`, run: (c) => c.connect(opts(value)), path },
    { call: `ping(${name})`, run: (c) => c.ping(opts(value)), path },
    { call: `unpop(${name})`, run: (c) => c.unpop(opts(value)), path },
    // A string in last place is one more topic, not options.
    ...(typeof value === 'string'
      ? []
      : [
          {
            call: `pop('foo', ${name})`,
            run: (c: Client) => c.pop('foo', opts(value)),
            path: isObject(value) ? path : ['topics', 1],
          },
        ]),
    { call: `send(id, 'x', ${name})`, run: (c) => c.send(id, 'x', opts(value)), path },
    { call: `publish('room', 'x', ${name})`, run: (c) => c.publish('room', 'x', opts(value)), path },
    {
      call: `setContextValue(id, 'k', 1, ${name})`,
      run: (c) => c.setContextValue(id, 'k', 1, opts(value)),
      path,
    },
    { call: `setContext(id, {}, ${name})`, run: (c) => c.setContext(id, {}, opts(value)), path },
    { call: `call(id, 'f', [], ${name})`, run: (c) => c.call(id, 'f', [], opts(value)), path },
    {
      call: `request(unpop, ${name})`,
      run: (c) => c.request({ method: 'queue.unpop' }, opts(value)),
      path,
    },
  ]),
  ...badClientIds.flatMap(([name, value]): Row[] => {
    const clientId = value as string;
    return [
      {
        call: `setContextValue(${name}, 'k', 1)`,
        run: (c) => c.setContextValue(clientId, 'k', 1),
        path: ['clientId'],
      },
      { call: `setContext(${name}, {})`, run: (c) => c.setContext(clientId, {}), path: ['clientId'] },
      { call: `subscribe(${name}, 'room')`, run: (c) => c.subscribe(clientId, 'room'), path: ['clientId'] },
      {
        call: `unsubscribe(${name}, 'room')`,
        run: (c) => c.unsubscribe(clientId, 'room'),
        path: ['clientId'],
      },
      { call: `call(${name}, 'f', [])`, run: (c) => c.call(clientId, 'f', []), path: ['clientId'] },
      { call: `send(${name}, 'x')`, run: (c) => c.send(clientId, 'x'), path: ['clientId'] },
    ];
  }),
  ...notJson.flatMap(([name, value, inside]): Row[] => [
    {
      call: `setContextValue(id, 'k', ${name})`,
      run: (c) => c.setContextValue(id, 'k', value),
      path: ['value', ...inside],
    },
    // A property set to undefined is left out, as in JSON: that one is valid (tested below).
    ...(name === 'undefined'
      ? []
      : [
          {
            call: `setContext(id, { k: ${name} })`,
            run: (c: Client) => c.setContext(id, { k: value }),
            path: ['context', 'k', ...inside],
          },
        ]),
    { call: `call(id, 'f', [${name}])`, run: (c) => c.call(id, 'f', [value]), path: ['args', 0, ...inside] },
    {
      call: `request({ conn.call with args [${name}] })`,
      run: (c) => c.request({ method: 'conn.call', clientId: id, func: 'f', args: [value] }),
      path: ['args', 0, ...inside],
    },
  ]),
  { call: "setContextValue(id, '', 1)", run: (c) => c.setContextValue(id, '', 1), path: ['key'] },
  { call: 'setContextValue(id, 5, 1)', run: (c) => c.setContextValue(id, opts(5), 1), path: ['key'] },
  { call: 'setContext(id, null)', run: (c) => c.setContext(id, opts(null)), path: ['context'] },
  { call: 'setContext(id, [])', run: (c) => c.setContext(id, opts([])), path: ['context'] },
  { call: "setContext(id, 'ctx')", run: (c) => c.setContext(id, opts('ctx')), path: ['context'] },
  { call: 'setContext(id, circular)', run: (c) => c.setContext(id, circular), path: ['context', 'self'] },
  { call: 'pop()', run: (c) => c.pop(), path: ['topics'] },
  { call: 'pop(5)', run: (c) => c.pop(opts(5)), path: ['topics', 0] },
  { call: "pop('')", run: (c) => c.pop(''), path: ['topics', 0] },
  { call: "pop('a', null)", run: (c) => c.pop('a', opts(null)), path: ['topics', 1] },
  { call: 'subscribe(id)', run: (c) => c.subscribe(id), path: ['channels'] },
  { call: "subscribe(id, 'a b')", run: (c) => c.subscribe(id, 'a b'), path: ['channels', 0] },
  { call: "subscribe(id, 'ok', '')", run: (c) => c.subscribe(id, 'ok', ''), path: ['channels', 1] },
  { call: 'subscribe(id, 7)', run: (c) => c.subscribe(id, opts(7)), path: ['channels', 0] },
  { call: 'unsubscribe(id)', run: (c) => c.unsubscribe(id), path: ['channels'] },
  { call: "unsubscribe(id, 'a b')", run: (c) => c.unsubscribe(id, 'a b'), path: ['channels', 0] },
  { call: "call(id, '', [])", run: (c) => c.call(id, '', []), path: ['func'] },
  { call: 'call(id, 5, [])', run: (c) => c.call(id, opts(5), []), path: ['func'] },
  { call: "call(id, 'f', 'args')", run: (c) => c.call(id, 'f', opts('args')), path: ['args'] },
  { call: "call(id, 'f', null)", run: (c) => c.call(id, 'f', opts(null)), path: ['args'] },
  {
    call: "call(id, 'set_context', ['not an object'])",
    run: (c) => c.call(id, 'set_context', ['not an object']),
    path: ['args'],
  },
  { call: 'send(id, 5)', run: (c) => c.send(id, opts(5)), path: ['data'] },
  { call: 'send(id, null)', run: (c) => c.send(id, opts(null)), path: ['data'] },
  { call: 'send(id, {})', run: (c) => c.send(id, opts({})), path: ['data'] },
  { call: 'send(id, 10n)', run: (c) => c.send(id, opts(10n)), path: ['data'] },
  { call: "publish('', 'x')", run: (c) => c.publish('', 'x'), path: ['channel'] },
  { call: "publish('a b', 'x')", run: (c) => c.publish('a b', 'x'), path: ['channel'] },
  { call: "publish(5, 'x')", run: (c) => c.publish(opts(5), 'x'), path: ['channel'] },
  { call: "publish('room', [])", run: (c) => c.publish('room', opts([])), path: ['data'] },
  { call: 'request(null)', run: (c) => c.request(opts(null)), path: [] },
  { call: 'request(undefined)', run: (c) => c.request(opts(undefined)), path: [] },
  { call: "request('queue.pop')", run: (c) => c.request(opts('queue.pop')), path: [] },
  { call: 'request([])', run: (c) => c.request(opts([])), path: [] },
  { call: 'request({})', run: (c) => c.request(opts({})), path: ['method'] },
  { call: "request({ method: 'nope' })", run: (c) => c.request(opts({ method: 'nope' })), path: ['method'] },
  {
    call: 'request({ queue.pop, topics: [] })',
    run: (c) => c.request({ method: 'queue.pop', topics: [] }),
    path: ['topics'],
  },
  {
    call: 'request({ mesh.send, data: 10n })',
    run: (c) => c.request(opts({ method: 'mesh.send', clientId: id, data: 10n })),
    path: ['data'],
  },
  {
    call: 'request({ mesh.publish, type: "json" })',
    run: (c) => c.request(opts({ method: 'mesh.publish', channel: 'room', data: 'x', type: 'json' })),
    path: ['type'],
  },
];

/** Bad options of the consumers, with where each problem is; `consume()` takes no `topic`. */
const badStreamOptions: Array<[name: string, value: unknown, path: Path]> = [
  ['highWaterMark 0', { highWaterMark: 0 }, ['highWaterMark']],
  ['highWaterMark -1', { highWaterMark: -1 }, ['highWaterMark']],
  ['highWaterMark NaN', { highWaterMark: Number.NaN }, ['highWaterMark']],
  ["highWaterMark '10'", { highWaterMark: '10' }, ['highWaterMark']],
  ['a signal that is not one', { signal: { aborted: false } }, ['signal']],
  [
    'a signal that cannot be unlistened',
    { signal: { aborted: false, addEventListener: () => undefined } },
    ['signal'],
  ],
  ['a misspelt option', { highWatermark: 10 }, ['highWatermark']],
];

/** Synchronous surfaces: consume() and messages() options, the factories and the codec. */
const syncRows: Array<{ call: string; run: (client: Client) => unknown; path: Path }> = [
  { call: 'consume()', run: (c) => c.consume(), path: ['topics'] },
  { call: "consume('')", run: (c) => c.consume(''), path: ['topics', 0] },
  { call: "consume('ok', '')", run: (c) => c.consume('ok', ''), path: ['topics', 1] },
  { call: 'consume(5)', run: (c) => c.consume(opts(5)), path: ['topics', 0] },
  { call: "consume('a', null)", run: (c) => c.consume('a', opts(null)), path: ['topics', 1] },
  { call: "consume(['a'])", run: (c) => c.consume(opts(['a'])), path: ['topics', 0] },
  { call: "consume('a', 10n)", run: (c) => c.consume('a', opts(10n)), path: ['topics', 1] },
  ...badStreamOptions.map(([name, value, path]) => ({
    call: `consume('foo', { ${name} })`,
    run: (c: Client) => c.consume('foo', opts(value)),
    path,
  })),
  // `topic` is an option of messages() alone: consume() names its topics before the options.
  {
    call: "consume('foo', { topic: 'bar' })",
    run: (c) => c.consume('foo', opts({ topic: 'bar' })),
    path: ['topic'],
  },
  ...badStreamOptions.map(([name, value, path]) => ({
    call: `messages({ ${name} })`,
    run: (c: Client) => c.messages(opts(value)),
    path,
  })),
  { call: "messages('foo')", run: (c) => c.messages(opts('foo')), path: [] },
  { call: "messages({ topic: '' })", run: (c) => c.messages({ topic: '' }), path: ['topic'] },
  { call: 'messages({ topic: 5 })', run: (c) => c.messages(opts({ topic: 5 })), path: ['topic'] },
  {
    call: 'messages({ highWaterMark: 0 })',
    run: (c) => c.messages({ highWaterMark: 0 }),
    path: ['highWaterMark'],
  },
  {
    call: 'messages({ highWaterMark: 1.5 })',
    run: (c) => c.messages({ highWaterMark: 1.5 }),
    path: ['highWaterMark'],
  },
  {
    call: 'messages({ highWaterMark: 10n })',
    run: (c) => c.messages(opts({ highWaterMark: 10n })),
    path: ['highWaterMark'],
  },
];

const transport = createFakeTransport().factory;
/** Options every factory shares, each with one bad field. */
const badClientOptions: Array<[name: string, options: Record<string, unknown>, path: Path]> = [
  ['dialect v9', { dialect: 'v9' }, ['dialect']],
  ['dialect toString', { dialect: 'toString' }, ['dialect']],
  ['a negative requestTimeoutMs', { requestTimeoutMs: -1 }, ['requestTimeoutMs']],
  ['a BigInt requestTimeoutMs', { requestTimeoutMs: 10n }, ['requestTimeoutMs']],
  ['a NaN connectTimeoutMs', { connectTimeoutMs: Number.NaN }, ['connectTimeoutMs']],
  ['heartbeat true', { heartbeat: true }, ['heartbeat']],
  ['heartbeat.intervalMs 0', { heartbeat: { intervalMs: 0 } }, ['heartbeat', 'intervalMs']],
  ['heartbeat.timeoutMs a string', { heartbeat: { timeoutMs: '5' } }, ['heartbeat', 'timeoutMs']],
  ['reconnect null', { reconnect: null }, ['reconnect']],
  ['reconnect.minDelayMs -1', { reconnect: { minDelayMs: -1 } }, ['reconnect', 'minDelayMs']],
  ['reconnect max below min', { reconnect: { minDelayMs: 10, maxDelayMs: 5 } }, ['reconnect', 'maxDelayMs']],
  ['highWaterMark 0', { highWaterMark: 0 }, ['highWaterMark']],
  ['highWaterMark Infinity', { highWaterMark: Number.POSITIVE_INFINITY }, ['highWaterMark']],
];
const factoryRows: Array<{ call: string; run: () => unknown; path: Path }> = [
  { call: 'createClient(null)', run: () => createClient(opts(null)), path: [] },
  { call: 'createClient(url)', run: () => createClient(opts(TEST_URL)), path: [] },
  { call: 'createClient({ url: 5 })', run: () => createClient(opts({ url: 5, transport })), path: ['url'] },
  {
    call: "createClient({ url: 'localhost' })",
    run: () => createClient({ url: 'localhost', transport }),
    path: ['url'],
  },
  {
    call: 'createClient({ no transport })',
    run: () => createClient(opts({ url: TEST_URL })),
    path: ['transport'],
  },
  {
    call: 'createClient({ transport: {} })',
    run: () => createClient(opts({ url: TEST_URL, transport: {} })),
    path: ['transport'],
  },
  ...badClientOptions.map(([name, options, path]) => ({
    call: `createClient({ ${name} })`,
    run: () => createClient(opts({ url: TEST_URL, transport, ...options })),
    path,
  })),
  { call: 'createCluster(null)', run: () => createCluster(opts(null)), path: [] },
  {
    call: 'createCluster({ url })',
    run: () => createCluster(opts({ url: TEST_URL, transport })),
    path: ['url'],
  },
  {
    call: 'createCluster({ center: 5 })',
    run: () => createCluster(opts({ center: 5, transport })),
    path: ['center'],
  },
  {
    call: "createCluster({ nodes: ['x'] })",
    run: () => createCluster(opts({ nodes: ['x'], transport })),
    path: ['nodes', 0],
  },
  {
    call: 'createCluster({ resyncIntervalMs: 0 })',
    run: () => createCluster(opts({ nodes: [TEST_URL], transport, resyncIntervalMs: 0 })),
    path: ['resyncIntervalMs'],
  },
  {
    call: 'createCluster({ routeCapacity: 1.5 })',
    run: () => createCluster(opts({ nodes: [TEST_URL], transport, routeCapacity: 1.5 })),
    path: ['routeCapacity'],
  },
  {
    call: 'createCluster({ fetch: 5 })',
    run: () => createCluster(opts({ center: 'http://c:6787', transport, fetch: 5 })),
    path: ['fetch'],
  },
  {
    call: 'createCluster({ nodeUrl: 5 })',
    run: () => createCluster(opts({ center: 'http://c:6787', transport, nodeUrl: 5 })),
    path: ['nodeUrl'],
  },
  ...badClientOptions.map(([name, options, path]) => ({
    call: `createCluster({ ${name} })`,
    run: () => createCluster(opts({ nodes: [TEST_URL], transport, ...options })),
    path,
  })),
  {
    call: "createCodec({ dialect: 'v9' })",
    run: () => createCodec(opts({ dialect: 'v9' })),
    path: ['dialect'],
  },
  { call: 'codec.encode(null)', run: () => createCodec().encode(opts(null)), path: [] },
  {
    call: 'codec.encode({ id: -1 })',
    run: () => createCodec().encode({ method: 'queue.unpop', id: -1 }),
    path: ['id'],
  },
  {
    call: 'codec.encode({ id: 10n })',
    run: () => createCodec().encode(opts({ method: 'queue.unpop', id: 10n })),
    path: ['id'],
  },
  {
    call: 'codec.encode({ conn.call, args: [10n] })',
    run: () => createCodec().encode({ method: 'conn.call', clientId: id, func: 'f', args: [10n], id: 1 }),
    path: ['args', 0],
  },
  {
    call: 'codec.encode({ conn.call, args nested too deep for JSON.stringify })',
    run: () =>
      createCodec().encode({
        method: 'conn.call',
        clientId: id,
        func: 'f',
        args: [deepArray(20_000)],
        id: 1,
      }),
    path: ['args'],
  },
  { call: 'codec.decode(5)', run: () => createCodec().decode(opts(5)), path: ['frame'] },
  { call: "codec.result('nope', {})", run: () => createCodec().result(opts('nope'), {}), path: ['method'] },
];

function deepArray(depth: number): unknown[] {
  const root: unknown[] = [];
  let level = root;
  for (let i = 1; i < depth; i++) level.push((level = []));
  return root;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** The error `outcome` holds, checked to be a ValidationError naming `path`. */
function expectNamed(error: unknown, path: Path): void {
  expect(error).toBeInstanceOf(ValidationError);
  const { issues, message } = error as ValidationError;
  expect(issues[0]?.path).toEqual(path);
  if (path.length > 0) expect(message).toContain(` at ${path.join('.')}: `);
}

async function rejection(run: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    throw new Error(`threw synchronously instead of rejecting: ${String(error)}`);
  }
  if (!(result instanceof Promise)) throw new Error('did not return a promise');
  return result.then(
    () => {
      throw new Error('resolved');
    },
    (error: unknown) => error,
  );
}

describe('bad input', () => {
  describe.each(['client', 'cluster'] as const)('%s methods', (kind) => {
    const open = async () => {
      if (kind === 'client') {
        const { client, fake } = await openClient({ heartbeat: false });
        return {
          target: client,
          sent: () => fake.sockets.map((s) => s.sent.length),
          sockets: () => fake.sockets.length,
        };
      }
      const { cluster, fake } = await openCluster();
      return {
        target: cluster as unknown as Client,
        sent: () => fake.sockets.map((s) => s.sent.length),
        sockets: () => fake.sockets.length,
      };
    };

    it.each(methodRows)(
      '$call rejects with a ValidationError naming its argument; nothing is sent',
      async ({ run, path }) => {
        const { target, sent, sockets } = await open();
        const before = { sent: sent(), sockets: sockets() };
        expectNamed(await rejection(() => run(target)), path);
        expect({ sent: sent(), sockets: sockets() }).toEqual(before);
        await target.close();
      },
    );

    it.each(syncRows)('$call throws a ValidationError naming its argument', async ({ run, path }) => {
      const { target, sent } = await open();
      const before = sent();
      let error: unknown;
      try {
        run(target);
      } catch (thrown) {
        error = thrown;
      }
      expectNamed(error, path);
      expect(sent()).toEqual(before);
      await target.close();
    });
  });

  it.each(factoryRows)('$call throws a ValidationError naming the option', ({ run, path }) => {
    let error: unknown;
    try {
      run();
    } catch (thrown) {
      error = thrown;
    }
    expectNamed(error, path);
  });

  it('a context property set to undefined is left out, as in JSON; null is sent as null', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const answered = client.setContext(id, { a: 1, gone: undefined, cleared: null });
    const valued = client.setContextValue(id, 'k', null);
    expect(socket.sent.map((frame) => (JSON.parse(frame) as { p: unknown }).p)).toEqual([
      [{ c: id, f: 'set_context', a: [{ a: 1, cleared: null }] }],
      [{ c: id, f: 'set_context_value', a: ['k', null] }],
    ]);
    await client.close();
    await expect(answered).rejects.toThrow();
    await expect(valued).rejects.toThrow();
  });

  it('a value shared twice (not a cycle) is JSON', async () => {
    const { client, socket } = await openClient({ heartbeat: false });
    const shared = { n: 1 };
    const answered = client.setContextValue(id, 'k', [shared, shared]);
    expect(JSON.parse(socket.sent[0]!)).toMatchObject({ p: [{ a: ['k', [{ n: 1 }, { n: 1 }]] }] });
    await client.close();
    await expect(answered).rejects.toThrow();
  });
});
