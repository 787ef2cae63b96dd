// How the client over nodeTransport treats a socket that cannot open, against real sockets:
// settings that cannot work end it at once, refused credentials are retried at the slowest pace
// and reported once, and a connect() that times out says what failed.
import { createServer } from 'node:net';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { rejection } from '@connmix/test-support/rejection';
import {
  ConnectionClosedError,
  connect,
  createClient,
  nodeTransport,
  TimeoutError,
  ValidationError,
  type Client,
  type ClientErrorEvent,
  type TransportFactory,
} from '../src/index.ts';
import { startProtocolServer } from '@connmix/test-support/protocolServer';

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** nodeTransport, noting when each attempt starts and when it ends. */
function timedTransport(): { factory: TransportFactory; attempts: number[]; closes: number[] } {
  const inner = nodeTransport();
  const attempts: number[] = [];
  const closes: number[] = [];
  const factory: TransportFactory = (url, handlers) => {
    attempts.push(performance.now());
    return inner(url, {
      ...handlers,
      onClose: (info) => {
        closes.push(performance.now());
        handlers.onClose(info);
      },
    });
  };
  return { factory, attempts, closes };
}

describe('a client whose socket cannot open', () => {
  it('ends at once on a URL that cannot work (port 99999), with the ValidationError as the cause', async () => {
    const error = await rejection(
      connect('ws://127.0.0.1:99999/ws/v1', {
        reconnect: { minDelayMs: 1, maxDelayMs: 5 },
        timeoutMs: 5_000,
      }),
    );
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.cause).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(
      /^connect\(\) failed: the transport cannot work with these settings \(invalid WebSocket URL/,
    );
  });

  it('retries refused credentials every maxDelayMs, reporting the refusal once', async () => {
    const engine = await startProtocolServer({ auth: { username: 'worker', password: 'right' } });
    onTestFinished(() => engine.close());
    const transport = timedTransport();
    const maxDelayMs = 300;
    const client = createClient({
      url: engine.url.replace('ws://', 'ws://worker:wrong@'),
      transport: transport.factory,
      heartbeat: false,
      reconnect: { minDelayMs: 1, maxDelayMs },
    });
    clients.push(client);
    const errors: ClientErrorEvent[] = [];
    client.on('error', (event) => errors.push(event));
    void client.connect().catch(() => {});
    await expect
      .poll(() => engine.refused.length, { timeout: 10_000, interval: 10 })
      .toBeGreaterThanOrEqual(3);
    // Each attempt waited the longest delay after the refusal before it, not 1-5 ms.
    for (let i = 1; i < 3; i += 1) {
      expect(transport.attempts[i]! - transport.closes[i - 1]!).toBeGreaterThanOrEqual(maxDelayMs - 1);
    }
    expect(errors.map((event) => event.kind)).toEqual(['transport']);
    expect(errors[0]!.error.message).toMatch(/refused the WebSocket upgrade with HTTP 401/);
  });

  it('times out connect() with the last failure as the cause and its message', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    const error = await rejection(
      connect(`ws://127.0.0.1:${port}/ws/v1`, {
        reconnect: { minDelayMs: 20, maxDelayMs: 50 },
        timeoutMs: 500,
      }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(
      /^connect\(\) \(failed attempts: \d+; the last: .*ECONNREFUSED.*\) got no answer within 500 ms$/,
    );
    expect((error.cause as Error).message).toMatch(/ECONNREFUSED/);
  });
});
