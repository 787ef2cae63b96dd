// How a socket that fails to open is classified: settings that cannot work end the client at
// once, refused credentials are retried at the slowest pace and reported once per episode, and a
// connect() that times out says what failed, with the last failure as its cause.
import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, TimeoutError, ValidationError } from '../errors/errors.ts';
import { openClient, startClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const reconnect = { minDelayMs: 1, maxDelayMs: 5_000 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('settings that cannot work', () => {
  it('a ValidationError thrown by the factory ends the client, and connect() rejects with it at once', async () => {
    const { client, fake, states } = startClient({ reconnect });
    const invalid = new ValidationError('WebSocket URL', [
      { path: ['url'], message: 'port 99999 is out of range' },
    ]);
    fake.factoryError = invalid;
    const queued = expect(client.publish('room', 'x')).rejects.toBeInstanceOf(ConnectionClosedError);
    const error = await rejection(client.connect());
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.message).toContain('port 99999 is out of range');
    expect(error.cause).toBeInstanceOf(ValidationError);
    expect((error.cause as Error).cause).toBe(invalid);
    await queued;
    expect(states).toEqual(['idle→connecting', 'connecting→closed']);
    expect(fake.sockets).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a ValidationError reported by the transport ends the client instead of a reconnect loop', async () => {
    const { client, fake, errors, states } = startClient({ reconnect });
    const connected = client.connect();
    const invalid = new ValidationError('WebSocket URL', [{ path: ['url'], message: 'Invalid URL' }]);
    fake.last.fail(invalid);
    const error = await rejection(connected);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.cause).toBe(invalid);
    expect(errors.map((event) => event.error)).toEqual([invalid]);
    expect(states).toEqual(['idle→connecting', 'connecting→closed']);
    vi.advanceTimersByTime(60_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('an ordinary failure is still retried with the usual backoff', async () => {
    const { client, fake } = startClient({ reconnect: { minDelayMs: 10, maxDelayMs: 10 } });
    const connected = client.connect();
    fake.last.fail(new Error('ECONNREFUSED'));
    vi.advanceTimersByTime(10);
    expect(fake.sockets).toHaveLength(2);
    fake.last.open();
    await connected;
    await client.close();
  });
});

describe('refused credentials (HTTP 401 / 403)', () => {
  it('are retried every maxDelayMs, not at full speed, and reported once per episode', async () => {
    const { client, fake, errors } = startClient({ reconnect });
    const connected = client.connect();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(fake.sockets).toHaveLength(attempt + 1);
      fake.last.refuse(attempt % 2 === 0 ? 401 : 403);
      vi.advanceTimersByTime(4_999);
      expect(fake.sockets).toHaveLength(attempt + 1);
      vi.advanceTimersByTime(1);
    }
    expect(errors.map((event) => event.error.message)).toEqual(['HTTP 401']);
    // The credentials were fixed: the episode ends, and a later refusal is news again.
    fake.last.open();
    await connected;
    fake.last.drop();
    vi.advanceTimersByTime(5_000);
    fake.last.refuse(401);
    expect(errors.map((event) => event.error.message)).toEqual(['HTTP 401', 'HTTP 401']);
    await client.close();
  });

  it('other HTTP statuses keep the usual backoff', async () => {
    const { client, fake } = startClient({ reconnect: { minDelayMs: 10, maxDelayMs: 5_000 } });
    void client.connect().catch(() => {});
    fake.last.refuse(502);
    vi.advanceTimersByTime(20);
    expect(fake.sockets).toHaveLength(2);
    await client.close();
  });
});

describe('connect() that times out', () => {
  it('says what failed and carries the last failure as its cause', async () => {
    const { client, fake } = startClient({ reconnect: { minDelayMs: 100, maxDelayMs: 100 } });
    const connected = rejection(client.connect({ timeoutMs: 250 }));
    fake.last.fail(new Error('connect ECONNREFUSED 127.0.0.1:6789'));
    vi.advanceTimersByTime(100);
    fake.last.fail(new Error('connect ECONNREFUSED 127.0.0.1:6789'));
    vi.advanceTimersByTime(150);
    const error = await connected;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatchInlineSnapshot(
      `"connect() (failed attempts: 2; the last: connect ECONNREFUSED 127.0.0.1:6789) got no answer within 250 ms"`,
    );
    expect(error.cause).toEqual(new Error('connect ECONNREFUSED 127.0.0.1:6789'));
    await client.close();
  });

  it('names a socket that closed before opening when the transport gave no error', async () => {
    const { client, fake } = startClient({ reconnect: { minDelayMs: 100, maxDelayMs: 100 } });
    const connected = rejection(client.connect({ timeoutMs: 50 }));
    fake.last.drop(1006, '');
    vi.advanceTimersByTime(50);
    const error = await connected;
    expect(error.message).toMatchInlineSnapshot(
      `"connect() (failed attempts: 1; the last: the socket closed before it opened (code 1006)) got no answer within 50 ms"`,
    );
    expect(error.cause).toBeInstanceOf(ConnectionClosedError);
  });

  it('without any failure yet, is the plain timeout', async () => {
    const { client } = startClient();
    const connected = rejection(client.connect({ timeoutMs: 50 }));
    vi.advanceTimersByTime(50);
    const error = await connected;
    expect(error.message).toBe('connect() got no answer within 50 ms');
    expect(error.cause).toBeUndefined();
  });
});

describe('an open socket', () => {
  it('still reports its transport errors as they happen', async () => {
    const { client, socket, errors } = await openClient({ reconnect });
    socket.fail(new Error('ECONNRESET'));
    expect(errors.map((event) => event.error.message)).toEqual(['ECONNRESET']);
    await client.close();
  });
});
