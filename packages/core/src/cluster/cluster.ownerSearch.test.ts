// A cluster that does not know which engine holds a client (a worker that just restarted, a
// route forgotten or stale) finds it by asking every engine: a conn.call runs only where the
// connection lives, every other engine answers 301.
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, ServerError } from '../errors/errors.ts';
import { answer, engineUrl, openCluster, push, settle, startCluster } from './testing/clusterHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

const CID = '1627581697287520263';
const NOT_HERE = 'execution failed: client is not on this node';

describe('conn.call for a client whose engine is unknown', () => {
  it('asks every engine at once, resolves with the one that accepts, and remembers it', async () => {
    const { cluster, socket, errors } = await openCluster();
    const set = cluster.setContextValue(CID, 'uid', 7);
    const asked = { m: 'conn.call', p: [{ c: CID, f: 'set_context_value', a: ['uid', 7] }], i: 1 };
    expect(socket(engineUrl(1)).requests()).toEqual([asked]);
    expect(socket(engineUrl(2)).requests()).toEqual([asked]);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    await settle();
    answer(socket(engineUrl(2)), { s: true });
    await expect(set).resolves.toEqual({ success: true });
    // Remembered: the next call goes to engine 2 only.
    void cluster.subscribe(CID, 'room1').catch(() => {});
    expect(socket(engineUrl(1)).requests()).toHaveLength(1);
    expect(socket(engineUrl(2)).lastRequest().p).toEqual([{ c: CID, f: 'subscribe', a: ['room1'] }]);
    expect(errors).toEqual([]);
    await cluster.close();
  });

  it('drops the calls still waiting once an engine accepted: their late answers are not errors', async () => {
    const { cluster, socket, errors } = await openCluster();
    const set = cluster.setContextValue(CID, 'uid', 7);
    answer(socket(engineUrl(2)), { s: true });
    await expect(set).resolves.toEqual({ success: true });
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    await settle();
    expect(errors).toEqual([]);
    await cluster.close();
  });

  it('rejects with a ServerError 301 naming each answer when no engine accepts', async () => {
    const { cluster, socket } = await openCluster();
    const set = cluster.setContextValue(CID, 'uid', 7).catch((error: unknown) => error);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    socket(engineUrl(2)).replyError(1, 301, NOT_HERE);
    const error = await set;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 301, method: 'conn.call' });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"conn.call failed with code 301: no engine of the cluster accepted the call for client 1627581697287520263: it is not connected, or the engine that holds it refused (node 1: execution failed: client is not on this node; node 2: execution failed: client is not on this node)"`,
    );
    expect((error as Error).cause).toBeInstanceOf(ServerError);
    await cluster.close();
  });

  it('rejects with the error of an engine whose answer is unknown: it may be the owner', async () => {
    const { cluster, socket } = await openCluster();
    const set = cluster.setContextValue(CID, 'uid', 7).catch((error: unknown) => error);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    socket(engineUrl(2)).drop();
    expect(await set).toBeInstanceOf(ConnectionClosedError);
    await cluster.close();
  });

  it('asks an engine that is not open when it opens, within the deadline', async () => {
    const { cluster, fake, socket } = startCluster();
    const connected = cluster.connect();
    await settle();
    socket(engineUrl(1)).open();
    await connected;
    // The owner's engine is still connecting, as right after a worker restart.
    const set = cluster.setContextValue(CID, 'uid', 7);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    await settle();
    expect(socket(engineUrl(2)).requests()).toEqual([]);
    socket(engineUrl(2)).open();
    await settle();
    expect(socket(engineUrl(2)).lastRequest().p).toEqual([{ c: CID, f: 'set_context_value', a: ['uid', 7] }]);
    answer(socket(engineUrl(2)), { s: true });
    await expect(set).resolves.toEqual({ success: true });
    expect(fake.sockets).toHaveLength(2);
    await cluster.close();
  });

  it('waits for the first engines when none is known yet (discovery in flight)', async () => {
    const { cluster, socket } = startCluster({}, [{ id: 1, api_server: '10.0.0.1:6789' }]);
    const set = cluster.call(CID, 'subscribe', ['room1']);
    await settle();
    socket(engineUrl(1)).open();
    await settle();
    answer(socket(engineUrl(1)), { s: true });
    await expect(set).resolves.toEqual({ success: true });
    await cluster.close();
  });

  it('asks the other engines when the remembered one answers 301 (the user reconnected elsewhere)', async () => {
    const { cluster, socket } = await openCluster();
    push(socket(engineUrl(1)), 'foo', 'hi', CID);
    const moved = cluster.subscribe(CID, 'room1');
    expect(socket(engineUrl(2)).requests()).toEqual([]);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    await settle();
    expect(socket(engineUrl(2)).lastRequest().p).toEqual([{ c: CID, f: 'subscribe', a: ['room1'] }]);
    answer(socket(engineUrl(2)), { s: true });
    await expect(moved).resolves.toEqual({ success: true });
    void cluster.unsubscribe(CID, 'room1').catch(() => {});
    expect(socket(engineUrl(1)).requests()).toHaveLength(1);
    expect(socket(engineUrl(2)).requests()).toHaveLength(2);
    await cluster.close();
  });

  it('does not look further than an explicit { node }, nor past an error other than 301', async () => {
    const { cluster, socket } = await openCluster();
    const pinned = cluster.subscribe(CID, 'room1', { node: '1' }).catch((error: unknown) => error);
    socket(engineUrl(1)).replyError(1, 301, NOT_HERE);
    expect(await pinned).toMatchObject({ name: 'ServerError', code: 301 });
    push(socket(engineUrl(1)), 'foo', 'hi', CID);
    const invalid = cluster.subscribe(CID, 'room1').catch((error: unknown) => error);
    socket(engineUrl(1)).replyError(2, 101, 'invalid params');
    expect(await invalid).toMatchObject({ name: 'ServerError', code: 101 });
    expect(socket(engineUrl(2)).requests()).toEqual([]);
    await cluster.close();
  });

  it('routes a raw conn.call request() the same way', async () => {
    const { cluster, socket } = await openCluster();
    const called = cluster.request({ method: 'conn.call', clientId: CID, func: 'subscribe', args: ['r'] });
    socket(engineUrl(2)).replyError(1, 301, NOT_HERE);
    answer(socket(engineUrl(1)), { s: true });
    await expect(called).resolves.toEqual({ success: true });
    await cluster.close();
  });
});
