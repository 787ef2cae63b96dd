import { describe, expect, it } from 'vitest';
import {
  MISSPELT_CALL_OPTION_ISSUE as ISSUE,
  MISSPELT_CALL_OPTIONS as misspelt,
  SOME_CLIENT_ID as CID,
  validationErrorOf,
} from '../errors/testing/misspeltCallOption.ts';
import { engineUrl, openCluster, startCluster } from './testing/clusterHarness.ts';

// Call options are strict on a cluster too: `{ node }` is the one key it adds, on the calls that
// route to one engine; anything else fails the call at once.

describe('cluster call options refuse keys they do not know', () => {
  const { cluster, fake } = startCluster();
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['connect', () => cluster.connect(misspelt)],
    ['ping', () => cluster.ping(misspelt)],
    ['pop', () => cluster.pop('foo', misspelt)],
    ['unpop', () => cluster.unpop(misspelt)],
    ['setContextValue', () => cluster.setContextValue(CID, 'uid', 1, misspelt)],
    ['setContext', () => cluster.setContext(CID, { uid: 1 }, misspelt)],
    ['subscribe', () => cluster.subscribe(CID, 'room1', misspelt)],
    ['unsubscribe', () => cluster.unsubscribe(CID, 'room1', misspelt)],
    ['call', () => cluster.call(CID, 'subscribe', ['room1'], misspelt)],
    ['send', () => cluster.send(CID, 'hi', misspelt)],
    ['publish', () => cluster.publish('room1', 'hi', misspelt)],
    ['request', () => cluster.request({ method: 'mesh.publish', channel: 'room1', data: 'hi' }, misspelt)],
  ];

  it.each(calls)('%s', async (_, run) => {
    expect((await validationErrorOf(run)).issues).toEqual([ISSUE]);
    // Refused before the cluster started: no discovery, no socket.
    expect(cluster.state).toBe('idle');
    expect(fake.sockets).toHaveLength(0);
  });

  it('keeps taking { node } where a call goes to one engine', async () => {
    const harness = await openCluster();
    const sent = harness.cluster.publish('room1', 'hi', { node: '2', timeoutMs: 1_000 });
    const socket = harness.socket(engineUrl(2));
    socket.reply(socket.lastRequest().i, { s: true, f: 0, t: 1 });
    await expect(sent).resolves.toEqual({ success: 1, fail: 0, total: 1 });
    expect(
      (
        await validationErrorOf(() =>
          harness.cluster.publish('room1', 'hi', { node: '2', timeoutMS: 5 } as never),
        )
      ).issues,
    ).toEqual([ISSUE]);
    await harness.cluster.close();
  });
});
