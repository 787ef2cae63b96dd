import { describe, expect, it } from 'vitest';
import {
  MISSPELT_CALL_OPTION_ISSUE,
  MISSPELT_CALL_OPTIONS as misspelt,
  SOME_CLIENT_ID as CID,
  validationErrorOf,
} from '../errors/testing/misspeltCallOption.ts';
import type { QueueMessage } from './queueMessage.ts';
import { openClient, startClient } from './testing/clientHarness.ts';

// Call options are strict like consumer options: a misspelt key fails the call at once instead of
// leaving it on the default deadline. Each public call of a client and of a queue message is here.

describe('call options refuse keys they do not know', () => {
  const { client, fake } = startClient();
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['connect', () => client.connect(misspelt)],
    ['ping', () => client.ping(misspelt)],
    ['pop', () => client.pop('foo', misspelt)],
    ['unpop', () => client.unpop(misspelt)],
    ['setContextValue', () => client.setContextValue(CID, 'uid', 1, misspelt)],
    ['setContext', () => client.setContext(CID, { uid: 1 }, misspelt)],
    ['subscribe', () => client.subscribe(CID, 'room1', misspelt)],
    ['unsubscribe', () => client.unsubscribe(CID, 'room1', misspelt)],
    ['call', () => client.call(CID, 'subscribe', ['room1'], misspelt)],
    ['send', () => client.send(CID, 'hi', misspelt)],
    ['publish', () => client.publish('room1', 'hi', misspelt)],
    ['request', () => client.request({ method: 'mesh.publish', channel: 'room1', data: 'hi' }, misspelt)],
  ];

  it.each(calls)('%s', async (_, run) => {
    const error = await validationErrorOf(run);
    expect(error.issues).toEqual([MISSPELT_CALL_OPTION_ISSUE]);
    // Refused before anything was queued or started.
    expect(fake.sockets).toHaveLength(0);
  });

  it('still takes signal and timeoutMs', async () => {
    const harness = await openClient();
    const sent = harness.client.publish('room1', 'hi', {
      timeoutMs: 1_000,
      signal: new AbortController().signal,
    });
    harness.socket.reply(harness.socket.lastRequest().i, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    await harness.client.close();
  });
});

describe("a queue message's helpers refuse unknown call options", () => {
  const helpers: Array<[string, (msg: QueueMessage) => Promise<unknown>]> = [
    ['reply', (msg) => msg.reply('hi', misspelt)],
    ['setContextValue', (msg) => msg.setContextValue('uid', 1, misspelt)],
    ['setContext', (msg) => msg.setContext({ uid: 1 }, misspelt)],
    ['subscribe', (msg) => msg.subscribe('room1', misspelt)],
    ['unsubscribe', (msg) => msg.unsubscribe('room1', misspelt)],
  ];

  it.each(helpers)('%s', async (_, run) => {
    const { client, socket } = await openClient();
    const received = new Promise<QueueMessage>((resolve) => client.on('message', resolve));
    socket.receive(JSON.stringify({ e: 'queue.pop', p: { c: CID, t: 'foo', d: 'x' }, id: null }));
    const msg = await received;
    const before = socket.sent.length;
    const error = await validationErrorOf(() => run(msg));
    expect(error.issues.map((issue) => issue.path)).toEqual([['timeoutMS']]);
    expect(socket.sent).toHaveLength(before);
    await client.close();
  });
});
