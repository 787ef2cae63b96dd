import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import type { TransportFactory } from '../transport/transport.ts';
import { createClient } from './createClient.ts';
import { CLIENT_DEFAULTS, type ClientOptions } from './options.ts';
import { resolveCallOptions, resolveClientOptions } from './resolveOptions.ts';

const transport: TransportFactory = () => ({ send: () => {}, close: () => {} });
const url = 'ws://127.0.0.1:6789/ws/v1';

describe('client options', () => {
  it('fills in the documented defaults', () => {
    expect(resolveClientOptions({ url, transport })).toEqual({
      url,
      transport,
      dialect: 'v1.0.2',
      requestTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      heartbeat: { intervalMs: 20_000, timeoutMs: 10_000 },
      reconnect: { minDelayMs: 500, maxDelayMs: 20_000, resetAfterMs: 5_000 },
      highWaterMark: 1_000,
    });
    expect(CLIENT_DEFAULTS.heartbeat.intervalMs + CLIENT_DEFAULTS.heartbeat.timeoutMs).toBeLessThan(60_000);
  });

  it('merges partial sections with their defaults and keeps false', () => {
    const resolved = resolveClientOptions({
      url,
      transport,
      heartbeat: { intervalMs: 5_000 },
      reconnect: false,
    });
    expect(resolved.heartbeat).toEqual({ intervalMs: 5_000, timeoutMs: 10_000 });
    expect(resolved.reconnect).toBe(false);
  });

  it('rejects a missing transport with ValidationError, in createClient too', () => {
    expect(() => createClient({ url } as ClientOptions)).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid client options at transport: transport is a TransportFactory: pass browserTransport() or nodeTransport()]`,
    );
  });

  it('lists every problem found', () => {
    let error: unknown;
    try {
      resolveClientOptions({
        url: 'localhost',
        transport,
        dialect: 'v2' as never,
        requestTimeoutMs: 0,
        heartbeat: { intervalMs: -1 },
        reconnect: { minDelayMs: 1_000, maxDelayMs: 10 },
        highWaterMark: 1.5,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"invalid client options at url: url is the WebSocket URL of an engine API, e.g. ws://127.0.0.1:6789/ws/v1 (and 5 more)"`,
    );
    expect((error as ValidationError).issues.map((issue) => issue.path.join('.'))).toEqual([
      'url',
      'dialect',
      'requestTimeoutMs',
      'heartbeat.intervalMs',
      'reconnect.maxDelayMs',
      'highWaterMark',
    ]);
  });

  it('rejects a non-object', () => {
    expect(() => resolveClientOptions(undefined as never)).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid client options: createClient takes an options object]`,
    );
  });
});

describe('call options', () => {
  it('uses the default deadline and accepts a signal', () => {
    const signal = new AbortController().signal;
    expect(resolveCallOptions(undefined, 10)).toEqual({ timeoutMs: 10, signal: undefined });
    expect(resolveCallOptions({ signal, timeoutMs: 5 }, 10)).toEqual({ timeoutMs: 5, signal });
  });

  it('rejects anything else', () => {
    expect(() => resolveCallOptions('fast', 10)).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: invalid call options: call options are an object { signal, timeoutMs }]`,
    );
    expect(() => resolveCallOptions({ timeoutMs: Infinity }, 10)).toThrow(ValidationError);
  });
});
