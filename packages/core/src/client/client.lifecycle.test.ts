import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ConnectionClosedError, TimeoutError } from '../errors/errors.ts';
import type { TransportFactory, TransportHandlers } from '../transport/transport.ts';
import { createClient } from './createClient.ts';
import { openClient, settle, startClient, TEST_URL } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

/** Pins `Math.random` for one test (the top of the jitter window is 1). */
function mockRandom(value: number) {
  const spy = vi.spyOn(Math, 'random').mockReturnValue(value);
  onTestFinished(() => spy.mockRestore());
}

const fastReconnect = { minDelayMs: 100, maxDelayMs: 100 };

describe('connect()', () => {
  it('is idempotent: two calls share one socket and both resolve when it opens', async () => {
    const { client, fake, states } = startClient();
    expect(client.state).toBe('idle');
    const first = client.connect();
    const second = client.connect();
    expect(fake.sockets).toHaveLength(1);
    expect(fake.last.url).toBe(TEST_URL);
    fake.last.open();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    await client.connect();
    expect(fake.sockets).toHaveLength(1);
    expect(states).toEqual(['idle→connecting', 'connecting→open']);
    await client.close();
  });

  it('is started by the first call when connect() was not called', async () => {
    const { client, fake } = startClient({ heartbeat: false });
    const sent = client.publish('room', 'x');
    expect(client.state).toBe('connecting');
    fake.last.open();
    fake.last.reply(1, { s: true, f: 0, t: 0 });
    await expect(sent).resolves.toEqual({ success: 0, fail: 0, total: 0 });
    await client.close();
  });

  it('keeps trying when the first attempt fails and resolves once a socket opens', async () => {
    const { client, fake, states } = startClient({ reconnect: fastReconnect });
    const connected = client.connect();
    fake.last.fail(new Error('ECONNREFUSED'));
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    fake.last.drop();
    vi.advanceTimersByTime(100);
    expect(fake.sockets).toHaveLength(3);
    fake.last.open();
    await expect(connected).resolves.toBeUndefined();
    expect(states).toEqual(['idle→connecting', 'connecting→reconnecting', 'reconnecting→open']);
    await client.close();
  });

  it('rejects when the first attempt fails and reconnect is disabled; the client is closed', async () => {
    const { client, fake, states, errors } = startClient({ reconnect: false });
    const connected = client.connect();
    fake.last.fail(new Error('ECONNREFUSED'));
    const error = await connected.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code: 1006, cause: new Error('ECONNREFUSED') });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"connect() failed: the socket did not open (code 1006) and reconnect is disabled"`,
    );
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([['transport', 'ECONNREFUSED']]);
    expect(states).toEqual(['idle→connecting', 'connecting→closed']);
    await expect(client.connect()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConnectionClosedError: cannot connect: the client is closed; create a new client]`,
    );
  });

  it('rejects a pending connect() when the client is closed', async () => {
    const { client } = startClient();
    const connected = client.connect();
    await client.close();
    await expect(connected).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConnectionClosedError: connect() failed: the client was closed]`,
    );
  });

  it('abandons a socket that does not open within connectTimeoutMs and tries again', async () => {
    const { client, fake, errors } = startClient({ connectTimeoutMs: 1_000, reconnect: fastReconnect });
    const connected = client.connect();
    vi.advanceTimersByTime(999);
    expect(errors).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fake.sockets[0]!.closedBy).toEqual({ code: 4001, reason: 'connect timeout' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBeInstanceOf(TimeoutError);
    expect(errors[0]!.error.message).toMatchInlineSnapshot(
      `"opening the socket got no answer within 1000 ms"`,
    );
    vi.advanceTimersByTime(100);
    fake.last.open();
    await connected;
    expect(fake.sockets).toHaveLength(2);
    await client.close();
  });

  it('ends the client when the transport factory throws: its settings cannot work', async () => {
    const { client, fake, errors, states } = startClient({ reconnect: fastReconnect });
    fake.factoryError = new TypeError('invalid URL');
    const connected = client.connect();
    await expect(connected).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(connected).rejects.toThrow(
      'connect() failed: the transport cannot work with these settings (invalid transport at transport: the transport factory threw (invalid URL); no socket was opened)',
    );
    expect(errors.map((e) => [e.kind, e.error.message])).toEqual([
      [
        'transport',
        'invalid transport at transport: the transport factory threw (invalid URL); no socket was opened',
      ],
    ]);
    expect(errors[0]!.error.cause).toEqual(new TypeError('invalid URL'));
    expect(states).toEqual(['idle→connecting', 'connecting→closed']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('state transitions', () => {
  it('goes idle → connecting → open → reconnecting → open → closed, each change once', async () => {
    const { client, fake, states } = await openClient({ reconnect: fastReconnect });
    fake.last.drop(1006, '');
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    expect(client.state).toBe('reconnecting');
    fake.last.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(client.state).toBe('open');
    await client.close();
    expect(client.state).toBe('closed');
    expect(states).toEqual([
      'idle→connecting',
      'connecting→open',
      'open→reconnecting',
      'reconnecting→open',
      'open→closed',
    ]);
  });

  it('goes open → closed when the socket is lost and reconnect is disabled', async () => {
    const { client, fake, states } = await openClient({ reconnect: false });
    fake.last.drop(1001, 'going away');
    expect(states).toEqual(['idle→connecting', 'connecting→open', 'open→closed']);
    expect(fake.sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    await expect(client.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('goes idle → closed on close(), and a second close() changes nothing', async () => {
    const { client, states } = startClient();
    await client.close();
    await client.close();
    expect(states).toEqual(['idle→closed']);
  });

  it('closes from reconnecting: the pending attempt never happens', async () => {
    const { client, fake, states } = await openClient({ reconnect: fastReconnect });
    fake.last.drop();
    await client.close();
    vi.advanceTimersByTime(10_000);
    expect(fake.sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('reconnecting→closed');
  });
});

describe('reconnect backoff', () => {
  function attemptTimes(random: number, drops: number, reconnect = { minDelayMs: 500, maxDelayMs: 4_000 }) {
    mockRandom(random);
    const harness = startClient({ reconnect, heartbeat: false });
    void harness.client.connect().catch(() => {});
    const times: number[] = [];
    for (let i = 0; i < drops; i++) {
      harness.fake.last.drop();
      const count = harness.fake.sockets.length;
      let waited = 0;
      while (harness.fake.sockets.length === count) {
        vi.advanceTimersByTime(1);
        waited += 1;
      }
      times.push(waited);
    }
    return { ...harness, times };
  }

  it('waits the ceiling of each attempt at most: doubling from minDelayMs to maxDelayMs', async () => {
    const { client, times } = attemptTimes(1, 6);
    expect(times).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    await client.close();
  });

  it('waits minDelayMs at least', async () => {
    const { client, times } = attemptTimes(0, 4);
    expect(times).toEqual([500, 500, 500, 500]);
    await client.close();
  });

  it('spreads attempts over the whole window (full jitter)', async () => {
    const { client, times } = attemptTimes(0.5, 4);
    expect(times).toEqual([750, 1_250, 2_250, 2_250]);
    await client.close();
  });

  it('starts over after a connection that stayed healthy for resetAfterMs', async () => {
    mockRandom(1);
    const { client, fake } = startClient({
      heartbeat: false,
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000, resetAfterMs: 5_000 },
    });
    void client.connect();
    const waitForNextSocket = () => {
      const count = fake.sockets.length;
      let waited = 0;
      while (fake.sockets.length === count) {
        vi.advanceTimersByTime(1);
        waited += 1;
      }
      return waited;
    };
    fake.last.drop();
    expect(waitForNextSocket()).toBe(1_000);
    fake.last.drop();
    expect(waitForNextSocket()).toBe(2_000);
    // Open, but dropped within 5 s: not healthy, the backoff keeps growing.
    fake.last.open();
    vi.advanceTimersByTime(4_999);
    fake.last.drop();
    expect(waitForNextSocket()).toBe(4_000);
    // Open for 5 s: healthy, the next wait starts over.
    fake.last.open();
    vi.advanceTimersByTime(5_000);
    fake.last.drop();
    expect(waitForNextSocket()).toBe(1_000);
    await client.close();
  });
});

describe('close()', () => {
  it('leaves no timer, socket or listener in any state', async () => {
    for (const phase of ['connecting', 'open', 'reconnecting'] as const) {
      const { client, fake } = startClient({ reconnect: fastReconnect });
      const connected = client.connect().catch((e: unknown) => e);
      if (phase !== 'connecting') fake.last.open();
      if (phase === 'reconnecting') fake.last.drop();
      const listeners = new Set<() => void>();
      const signal = {
        aborted: false,
        addEventListener: (_: 'abort', listener: () => void) => listeners.add(listener),
        removeEventListener: (_: 'abort', listener: () => void) => listeners.delete(listener),
      };
      const pending = client.publish('room', 'x', { signal }).catch((e: unknown) => e);
      const stream = client.messages();
      const message = client.on('message', () => {});
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      expect(listeners.size).toBe(1);

      await client.close();

      expect(client.state).toBe('closed');
      expect(vi.getTimerCount()).toBe(0);
      expect(listeners.size).toBe(0);
      expect(await pending).toBeInstanceOf(ConnectionClosedError);
      expect(await stream.next()).toEqual({ value: undefined, done: true });
      for (const socket of fake.sockets) expect(socket.state).toBe('closed');
      if (phase !== 'reconnecting')
        expect(fake.last.closedBy).toEqual({ code: 1000, reason: 'client closed' });
      // The adapter's late onClose (a microtask in the fake) changes nothing.
      await settle();
      expect(vi.getTimerCount()).toBe(0);
      message();
      void connected;
    }
  });

  it('drops every handler: nothing is called after close, and on() after close is inert', async () => {
    const { client } = await openClient();
    const state = vi.fn();
    client.on('state', state);
    await client.close();
    expect(state).toHaveBeenCalledExactlyOnceWith({ from: 'open', to: 'closed' });
    const late = vi.fn();
    const off = client.on('state', late);
    off();
    await client.close();
    expect(late).not.toHaveBeenCalled();
  });
});

describe('events', () => {
  it('returns an unsubscribe from on()', async () => {
    const { client, fake } = startClient();
    const handler = vi.fn();
    const off = client.on('state', handler);
    void client.connect();
    off();
    fake.last.open();
    expect(handler).toHaveBeenCalledExactlyOnceWith({ from: 'idle', to: 'connecting' });
    await client.close();
  });

  it('survives handlers that throw, reporting them on error', async () => {
    const { client, fake, errors, states } = startClient({ heartbeat: false });
    client.on('state', () => {
      throw new Error('boom');
    });
    client.on('error', () => {
      throw new Error('an error handler that throws is dropped');
    });
    const connected = client.connect();
    fake.last.open();
    await connected;
    expect(states).toEqual(['idle→connecting', 'connecting→open']);
    expect(errors.map((e) => e.kind)).toEqual(['handler', 'handler']);
    expect(errors[0]).toMatchObject({ event: 'state', error: { cause: new Error('boom') } });
    expect(errors[0]!.error.message).toMatchInlineSnapshot(`"a state handler threw; the client carried on"`);
    const sent = client.publish('room', 'x');
    fake.last.reply(1, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await client.close();
  });

  it('lets a state handler close the client while it connects', async () => {
    const { client, fake, states } = startClient();
    client.on('state', ({ to }) => {
      if (to === 'connecting') void client.close();
    });
    await expect(client.connect()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(fake.sockets).toHaveLength(0);
    expect(states).toEqual(['idle→connecting', 'connecting→closed']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('odd transports', () => {
  /** A transport that calls back during the factory call and reports its close twice. */
  function eagerFactory(): { factory: TransportFactory; handlers: () => TransportHandlers } {
    let latest: TransportHandlers | undefined;
    return {
      factory: (_url, handlers) => {
        latest = handlers;
        handlers.onOpen();
        return { send: () => {}, close: () => {} };
      },
      handlers: () => latest!,
    };
  }

  it('accepts an open reported during the factory call and ignores a second onClose', async () => {
    const eager = eagerFactory();
    const client = createClient({
      url: TEST_URL,
      transport: eager.factory,
      reconnect: false,
      heartbeat: false,
    });
    const states: string[] = [];
    client.on('state', ({ to }) => states.push(to));
    await client.connect();
    eager.handlers().onClose({ code: 1006, reason: '' });
    eager.handlers().onClose({ code: 1006, reason: '' });
    eager.handlers().onOpen();
    expect(states).toEqual(['connecting', 'open', 'closed']);
  });
});
