import { ConnectionClosedError, ConnmixError, ValidationError } from '@connmix/core';
import { describe, expect, it } from 'vitest';
import { browserTransport } from '../src/index.ts';
import { recordTransport } from '@connmix/test-support/recordTransport';
import { testServer } from './support/testServer.ts';
// The matrix is the core's, so that every package searches for the same parts.
import { leaks, PASSWORDS, userinfo } from '../../core/src/errors/testing/credentialMatrix.ts';

/** Every text an error shows (no `util.inspect` in a browser): message, stack and fields, down its causes. */
function everything(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 10) return String(error);
  const fields = Object.entries(error).map(([key, value]) => `${key}=${String(value)}`);
  return [error.name, error.message, error.stack ?? '', ...fields, everything(error.cause, depth + 1)].join(
    '\n',
  );
}

/** Lets already queued socket events run, so a late handler call would be seen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const ping = (id: number) => JSON.stringify({ m: 'server.ping', p: [], i: id });

describe('browserTransport in Chromium', () => {
  it('runs on the platform WebSocket, which has no native ping', () => {
    expect(typeof WebSocket).toBe('function');
    const transport = browserTransport()(testServer('no-ping').url, {
      onOpen() {},
      onMessage() {},
      onError() {},
      onClose() {},
    });
    expect(transport.ping).toBeUndefined();
    transport.close();
  });

  it('sends text frames and passes text frames on as strings', async () => {
    const { url } = testServer('text');
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    recorded.transport.send(ping(3));
    expect(await recorded.nextMessage()).toBe('{"E":null,"r":{"s":"server.pong"},"i":3}');
    recorded.transport.close();
    expect(await recorded.closed).toEqual({ code: 1000, reason: '' });
  });

  it('passes a binary frame on as a Uint8Array with the exact bytes', async () => {
    const server = testServer('binary');
    const { url } = server;
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    await server.sendFrame({ bytes: [0, 1, 2, 250, 255] });
    const frame = await recorded.nextMessage();
    expect(frame).toBeInstanceOf(Uint8Array);
    expect([...(frame as Uint8Array)]).toEqual([0, 1, 2, 250, 255]);
    recorded.transport.close();
    await recorded.closed;
  });

  it('calls onClose once with the close frame of the server, then refuses to send', async () => {
    const server = testServer('server-close');
    const { url } = server;
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    expect(await server.drop({ mode: 'close', code: 4001, reason: 'bye' })).toEqual({ dropped: 1 });
    expect(await recorded.closed).toEqual({ code: 4001, reason: 'bye' });
    recorded.transport.close();
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['open', 'close']);
    expect(() => recorded.transport.send(ping(1))).toThrow(ConnectionClosedError);
  });

  it('reports 1006 when the server drops the socket without a close frame', async () => {
    const server = testServer('terminate');
    const { url } = server;
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    await server.drop({ mode: 'terminate' });
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.filter((event) => event.type === 'close')).toHaveLength(1);
  });

  it('throws ConnectionClosedError from send once close() was called, and closes once', async () => {
    const { url } = testServer('client-close');
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    recorded.transport.close(4000, 'done');
    recorded.transport.close(4000, 'twice');
    let thrown: unknown;
    try {
      recorded.transport.send(ping(1));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConnectionClosedError);
    expect(thrown).toMatchObject({ code: 4000, reason: 'done' });
    expect(await recorded.closed).toEqual({ code: 4000, reason: 'done' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['open', 'close']);
  });

  it('falls back to a plain close for a code browsers refuse', async () => {
    const { url } = testServer('bad-code');
    const recorded = recordTransport(browserTransport(), url);
    await recorded.opened;
    recorded.transport.close(1001, 'going away');
    expect((await recorded.closed).code).toBe(1005);
  });

  it('throws ConnectionClosedError from send before the socket is open', async () => {
    const recorded = recordTransport(browserTransport(), testServer('early-send').url);
    expect(() => recorded.transport.send(ping(1))).toThrow(ConnectionClosedError);
    await recorded.opened;
    recorded.transport.close();
    await recorded.closed;
  });

  it('closing while connecting ends with onClose only: no open, no error', async () => {
    const recorded = recordTransport(browserTransport(), testServer('abort').url);
    recorded.transport.close();
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['close']);
  });

  it('reports a refused upgrade as one error and one close with code 1006', async () => {
    const url = testServer('refused').url.replace('/ws/v1', '/not-the-api');
    const recorded = recordTransport(browserTransport(), url);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    await settle();
    expect(recorded.events.map((event) => event.type)).toEqual(['error', 'close']);
    expect(recorded.errors()[0]).toBeInstanceOf(ConnmixError);
    expect(recorded.errors()[0]?.message).toMatch(
      /^WebSocket error on ws:\/\/127\.0\.0\.1:\d+\/not-the-api\?tag=/,
    );
  });

  it('reports a URL the platform refuses through onError and onClose, without its credentials', async () => {
    const recorded = recordTransport(browserTransport(), 'ftp://admin:hunter2@127.0.0.1/ws/v1');
    expect(recorded.events).toEqual([]);
    expect(await recorded.closed).toEqual({ code: 1006, reason: '' });
    const [error] = recorded.errors();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.message).toMatch(
      /^invalid WebSocket URL at url: cannot connect to ftp:\/\/\*\*\*@127\.0\.0\.1\/ws\/v1: /,
    );
    expect(error?.message).not.toContain('hunter2');
    expect(String((error?.cause as Error).message)).not.toContain('hunter2');
    expect(() => recorded.transport.send('x')).toThrow(ConnectionClosedError);
  });

  it.each(PASSWORDS)(
    'never shows the password %s, raw or encoded, in a refused or failed URL',
    async (password) => {
      const shownErrors: Error[] = [];
      const urls = [
        // The platform refuses these (SyntaxError quoting the URL).
        `ftp://${userinfo(password, 'percent-encoded')}127.0.0.1/ws/v1`,
        `ftp://${userinfo(password, 'raw')}127.0.0.1/ws/v1`,
        // Port 1: nothing listens, the socket fails.
        `ws://${userinfo(password, 'percent-encoded')}127.0.0.1:1/ws/v1`,
      ];
      for (const url of urls) {
        const recorded = recordTransport(browserTransport(), url);
        await recorded.closed;
        shownErrors.push(...recorded.errors());
      }
      expect(shownErrors.length).toBeGreaterThanOrEqual(3);
      for (const error of shownErrors) expect(leaks(everything(error), password), error.message).toEqual([]);
    },
  );

  it('uses the WebSocket class it is given', async () => {
    const made: string[] = [];
    class Recording extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        made.push(url);
      }
    }
    const { url } = testServer('custom-class');
    const recorded = recordTransport(browserTransport({ WebSocket: Recording }), url);
    await recorded.opened;
    expect(made).toEqual([url]);
    recorded.transport.close();
    await recorded.closed;
  });
});
