import { describe, expect, it } from 'vitest';
import { neverReachedServer } from './refused.ts';

/** A failure shaped as a runtime reports it. */
function failure(message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new TypeError(message), extra);
}

describe('neverReachedServer', () => {
  it('knows a refused connection or an unknown host in each runtime', () => {
    const refusedCause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    // Node (undici): the code is on the cause, or on the errors of an AggregateError.
    expect(neverReachedServer(failure('fetch failed', { cause: refusedCause }))).toBe(true);
    const aggregate = new AggregateError([refusedCause, refusedCause], 'all addresses failed');
    expect(neverReachedServer(failure('fetch failed', { cause: aggregate }))).toBe(true);
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND engine.invalid'), {
      code: 'ENOTFOUND',
    });
    expect(neverReachedServer(failure('fetch failed', { cause: unknownHost }))).toBe(true);
    // Bun
    expect(neverReachedServer(failure('Unable to connect.', { code: 'ConnectionRefused' }))).toBe(true);
    // Deno
    expect(
      neverReachedServer(
        failure(
          'error sending request for url (http://127.0.0.1:1/v1/mesh/send): client error (Connect): tcp connect error: Connection refused (os error 111)',
        ),
      ),
    ).toBe(true);
  });

  it('takes nothing else for a refusal: the request may have reached the engine', () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(neverReachedServer(failure('fetch failed', { cause: reset }))).toBe(false);
    const econnreset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(neverReachedServer(failure('fetch failed', { cause: econnreset }))).toBe(false);
    // Browsers say the same for every network failure.
    expect(neverReachedServer(failure('Failed to fetch'))).toBe(false);
    expect(neverReachedServer('ECONNREFUSED')).toBe(false);
    expect(neverReachedServer(undefined)).toBe(false);
    const loop: Record<string, unknown> = { message: 'loop' };
    loop['cause'] = loop;
    expect(neverReachedServer(loop)).toBe(false);
  });
});
