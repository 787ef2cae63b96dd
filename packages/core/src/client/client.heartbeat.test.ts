import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, TimeoutError } from '../errors/errors.ts';
import type { FakeSocket } from './testing/fakeTransport.ts';
import { openClient } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

/** Plays a healthy v1.0.2 engine: answers every server.ping not answered yet. */
function answerPings(socket: FakeSocket, answered: Set<number>) {
  for (const request of socket.requests()) {
    if (request.m === 'server.ping' && !answered.has(request.i)) {
      answered.add(request.i);
      socket.reply(request.i, { s: 'server.pong' });
    }
  }
}

describe('heartbeat, v1.0.2', () => {
  it('keeps a healthy socket alive with the defaults, writing well within the 60 s idle limit', async () => {
    const { client, socket, errors, states } = await openClient();
    const answered = new Set<number>();
    const writes: number[] = [];
    let seen = 0;
    for (let t = 0; t < 10 * 60_000; t += 1_000) {
      vi.advanceTimersByTime(1_000);
      if (socket.sent.length > seen) {
        seen = socket.sent.length;
        writes.push(Date.now());
      }
      answerPings(socket, answered);
    }
    expect(writes.length).toBe(30);
    const gaps = writes.slice(1).map((time, i) => time - writes[i]!);
    expect(Math.max(...gaps)).toBe(20_000);
    expect(socket.requests().every((r) => r.m === 'server.ping' && Array.isArray(r.p))).toBe(true);
    expect(errors).toEqual([]);
    expect(states).toEqual(['idle→connecting', 'connecting→open']);
    await client.close();
  });

  it('treats an unanswered probe as death after timeoutMs and replaces the socket', async () => {
    const { client, socket, fake, errors, states } = await openClient({
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const inFlight = client.send('1', 'x', { timeoutMs: 60_000 });
    vi.advanceTimersByTime(20_000);
    expect(socket.lastRequest().m).toBe('server.ping');
    vi.advanceTimersByTime(9_999);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(socket.closedBy).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    expect(client.state).toBe('reconnecting');
    expect(errors.map((e) => e.kind)).toEqual(['heartbeat']);
    expect(errors[0]!.error).toBeInstanceOf(TimeoutError);
    expect(errors[0]!.error.message).toMatchInlineSnapshot(`"the heartbeat got no answer within 10000 ms"`);
    const error = await inFlight.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ code: 4000, reason: 'heartbeat timeout', cause: errors[0]!.error });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"mesh.send was sent, but the connection closed (code 4000, heartbeat timeout) before its answer; not re-sent, as it may have taken effect"`,
    );
    vi.advanceTimersByTime(100);
    fake.last.open();
    expect(states.slice(-2)).toEqual(['open→reconnecting', 'reconnecting→open']);
    await client.close();
  });

  it('counts any frame as proof of life', async () => {
    const { client, socket, errors } = await openClient();
    vi.advanceTimersByTime(25_000);
    socket.receive('{"e":"queue.pop","p":{"c":"1","t":"foo","d":{}},"id":null}');
    vi.advanceTimersByTime(10_000);
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
    await client.close();
  });

  it('cannot be kept alive by a throttled timer: a late wake-up sees the deadline passed', async () => {
    const { client, socket } = await openClient();
    vi.advanceTimersByTime(20_000);
    expect(socket.requests()).toHaveLength(1);
    // A background tab: minutes pass on the clock, no timer fires.
    vi.setSystemTime(Date.now() + 120_000);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(10_000);
    expect(socket.closedBy).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    await client.close();
  });

  it('restarts on every new socket and stops with the old one', async () => {
    const { client, socket, fake } = await openClient({ reconnect: { minDelayMs: 100, maxDelayMs: 100 } });
    vi.advanceTimersByTime(15_000);
    socket.drop();
    vi.advanceTimersByTime(100);
    fake.last.open();
    vi.advanceTimersByTime(19_999);
    expect(fake.last.requests()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fake.last.requests().map((r) => r.m)).toEqual(['server.ping']);
    expect(socket.sent).toEqual([]);
    await client.close();
  });

  it('sets no timer at all with heartbeat: false', async () => {
    const { client } = await openClient({ heartbeat: false });
    expect(vi.getTimerCount()).toBe(0);
    await client.close();
  });
});

describe('heartbeat, v1.0.3', () => {
  it('sends the text frame ping, answered by pong', async () => {
    const { client, socket, errors } = await openClient({ dialect: 'v1.0.3' });
    vi.advanceTimersByTime(20_000);
    expect(socket.sent).toEqual(['ping']);
    socket.receive('pong');
    vi.advanceTimersByTime(20_000);
    expect(socket.sent).toEqual(['ping', 'ping']);
    socket.receive('pong');
    vi.advanceTimersByTime(15_000);
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
    await client.close();
  });

  it('keeps user pings and heartbeat pings in one FIFO', async () => {
    const { client, socket, errors } = await openClient({ dialect: 'v1.0.3' });
    vi.advanceTimersByTime(20_000); // heartbeat ping
    const mine = client.ping();
    expect(socket.sent).toEqual(['ping', 'ping']);
    vi.advanceTimersByTime(3);
    socket.receive('pong'); // answers the heartbeat's
    expect(errors).toEqual([]);
    vi.advanceTimersByTime(4);
    socket.receive('pong'); // answers mine
    await expect(mine).resolves.toEqual({ rttMs: 7 });
    await client.close();
  });

  it('treats a native ping that throws as an unanswered probe', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', nativePing: true });
    socket.ping = () => {
      throw new Error('WebSocket is not open');
    };
    vi.advanceTimersByTime(20_000);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(10_000);
    expect(socket.closedBy).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    await client.close();
  });

  it('uses native ping frames where the transport has them', async () => {
    const { client, socket } = await openClient({ dialect: 'v1.0.3', nativePing: true });
    vi.advanceTimersByTime(20_000);
    expect(socket.pings).toBe(1);
    expect(socket.sent).toEqual([]);
    socket.pong();
    vi.advanceTimersByTime(20_000);
    expect(socket.pings).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(socket.closedBy).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    await client.close();
  });
});
