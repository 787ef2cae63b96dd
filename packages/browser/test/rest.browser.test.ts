// The REST publisher of @connmix/core on Chromium's fetch, against a v1.0.3 dev mesh (behind a
// CORS proxy, see global-setup.ts).
import { describe, expect, inject, it } from 'vitest';
import { rejection } from '@connmix/test-support/rejection';
import {
  AbortError,
  ConnmixError,
  createRestClient,
  ErrorCode,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../src/index.ts';

const rest = inject('rest');
const auth = { username: rest.username, password: rest.password };

describe('createRestClient in Chromium', () => {
  it('sends and publishes text and bytes', async () => {
    const client = createRestClient({ url: rest.live, auth });
    expect(await client.send(rest.clientId, 'from the page')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await client.publish(rest.room, 'to the room')).toEqual({ success: 1, fail: 0, total: 1 });
    expect(await client.publish(rest.room, new Uint8Array([0, 255, 7]))).toEqual({
      success: 1,
      fail: 0,
      total: 1,
    });
  });

  it('takes the credentials from the URL', async () => {
    const inUrl = rest.live.replace('http://', `http://${auth.username}:${auth.password}@`);
    const client = createRestClient({ url: inUrl });
    expect(client.urls).toEqual([rest.live]);
    expect(await client.publish(rest.room, 'x')).toMatchObject({ success: 1 });
  });

  it('rejects a refused login with HTTP 401, without the password in the message', async () => {
    const client = createRestClient({
      url: rest.live,
      auth: { username: auth.username, password: 'wrong-pw-42' },
    });
    const error = await rejection(client.publish(rest.room, 'x'));
    expect(error).toBeInstanceOf(ConnmixError);
    expect(error.message).toMatch(/HTTP 401/);
    expect(`${error.message} ${String(error.stack)}`).not.toMatch(/wrong-pw-42/);
  });

  it('rejects bad input with ValidationError and an E answer with ServerError', async () => {
    const client = createRestClient({ url: rest.live, auth });
    expect(await rejection(client.publish('two words', 'x'))).toBeInstanceOf(ValidationError);
    const error = await rejection(client.send('1463786910324359168', 'to nobody'));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: ErrorCode.SendFailed });
  });

  it('rejects with TimeoutError or AbortError when the engine never answers', async () => {
    const client = createRestClient({ url: rest.frozen, auth, timeoutMs: 300 });
    expect(await rejection(client.publish(rest.room, 'x'))).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const pending = client.publish(rest.room, 'x', { signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(AbortError);
  });
});
