import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from './errorCode.ts';
import {
  AbortError,
  ConnectionClosedError,
  ConnmixError,
  isConnmixError,
  ProtocolError,
  redactUrl,
  ServerError,
  TimeoutError,
  ValidationError,
} from './errors.ts';

describe('errors', () => {
  it('each has a literal name, a message that says what happened, and its fields', () => {
    const cause = new Error('socket hang up');
    const errors = [
      new ServerError(
        { code: ErrorCode.SendFailed, method: 'mesh.send', serverMessage: 'client gone' },
        { cause },
      ),
      new TimeoutError({ what: 'queue.pop', timeoutMs: 10_000 }),
      new ConnectionClosedError({ message: 'the connection closed', code: 1006, reason: '' }),
      new ValidationError('mesh.send request', [{ path: ['clientId'], message: 'not digits' }]),
      new ProtocolError('expected a JSON object, got an array', '[]'),
      new AbortError('conn.call'),
    ];
    expect(errors.map((error) => [error.name, error.message])).toMatchInlineSnapshot(`
      [
        [
          "ServerError",
          "mesh.send failed with code 401: client gone",
        ],
        [
          "TimeoutError",
          "queue.pop got no answer within 10000 ms",
        ],
        [
          "ConnectionClosedError",
          "the connection closed",
        ],
        [
          "ValidationError",
          "invalid mesh.send request at clientId: not digits",
        ],
        [
          "ProtocolError",
          "expected a JSON object, got an array; frame: []",
        ],
        [
          "AbortError",
          "conn.call was aborted",
        ],
      ]
    `);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnmixError);
      expect(isConnmixError(error)).toBe(true);
    }
    expect(errors[0]?.cause).toBe(cause);
    expect(errors[0]).toMatchObject({ code: 401, method: 'mesh.send', serverMessage: 'client gone' });
    expect(isConnmixError(new Error('x'))).toBe(false);
  });

  it('keeps an unknown server code as it came', () => {
    expect(new ServerError({ code: 999, method: 'queue.pop', serverMessage: '' }).code).toBe(999);
  });

  it('never shows credentials from a URL', () => {
    expect(redactUrl('wss://admin:s3cret@10.0.0.5:6789/ws/v1')).toBe('wss://***@10.0.0.5:6789/ws/v1');
    expect(redactUrl('ws://10.0.0.5:6789/ws/v1')).toBe('ws://10.0.0.5:6789/ws/v1');
    const error = new ConnectionClosedError({
      message: 'could not connect to ws://u:p@host/ws/v1',
      code: 1006,
      reason: '',
    });
    expect(error.message).not.toContain('u:p');
  });

  it('isConnmixError holds for errors of another copy of the package', async () => {
    vi.resetModules();
    const copy = await import('./errors.ts');
    expect(copy.TimeoutError).not.toBe(TimeoutError);
    const foreign = [
      new copy.TimeoutError({ what: 'queue.pop', timeoutMs: 1 }),
      new copy.ConnmixError('x'),
      new copy.ValidationError('y', []),
    ];
    for (const error of foreign) {
      expect(error).not.toBeInstanceOf(ConnmixError);
      expect(isConnmixError(error)).toBe(true);
      expect(copy.isConnmixError(error)).toBe(true);
    }
    expect(copy.isConnmixError(new AbortError('conn.call'))).toBe(true);
  });

  it('isConnmixError is false for errors that only share a name', () => {
    class TimeoutError extends Error {
      override name = 'TimeoutError';
    }
    const aborted = new AbortController();
    aborted.abort();
    const lookalikes: unknown[] = [
      new DOMException('aborted', 'AbortError'),
      new DOMException('timed out', 'TimeoutError'),
      aborted.signal.reason,
      new TimeoutError('mine'),
      Object.assign(new Error('x'), { name: 'ValidationError' }),
      Object.assign(new Error('x'), { name: 'ConnmixError' }),
      { name: 'ProtocolError', message: 'x' },
      Object.create(null),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
      'ConnmixError',
      null,
      undefined,
    ];
    expect(lookalikes.map((value) => isConnmixError(value))).toEqual(lookalikes.map(() => false));
  });

  it('AbortSignal.timeout() gives a reason that is not an SDK error', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    expect((signal.reason as Error).name).toBe('TimeoutError');
    expect(isConnmixError(signal.reason)).toBe(false);
  });
});
