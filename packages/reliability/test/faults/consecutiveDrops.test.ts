// Socket drops in a row: each time the client reconnects and pops its topics again, and when it is
// closed nothing it made is left: no timer, no abort listener, no socket, no heap that grew per drop.
import { getEventListeners } from 'node:events';
import { createClient, nodeTransport } from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { liveHeapBytes, mebibytes } from '../../src/heap.ts';
import { openSockets } from '../../src/resources.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { turnUntil } from '../../src/settlements.ts';
import { installTimerTracker, type TimerTracker } from '../../src/timerTracker.ts';

const DROPS = count(100, 1_000);
const WARM_UP_DROPS = 20;
/** Heap a thousand reconnections may leave behind: well under 1 KiB per drop. */
const HEAP_BOUND_BYTES = 1 * 2 ** 20;

let engine: ScriptedEngine | undefined;
let timers: TimerTracker | undefined;
afterEach(async () => {
  timers?.uninstall();
  await engine?.close();
  engine = undefined;
});

it(
  `${DROPS} consecutive drops: each re-popped, nothing left behind`,
  async () => {
    const socketsBefore = openSockets();
    timers = installTimerTracker();
    engine = await startScriptedEngine();
    const signal = new AbortController().signal;
    const client = createClient({
      url: engine.url,
      transport: nodeTransport(),
      heartbeat: { intervalMs: 60_000, timeoutMs: 10_000 },
      reconnect: { minDelayMs: 0, maxDelayMs: 0 },
    });
    await client.pop('foo', { signal });
    let heapAfterWarmUp = 0;
    for (let drop = 1; drop <= DROPS; drop++) {
      const consumer = await engine.consumer('foo');
      // A call that shares the long-lived signal on every connection: its listener must go with it.
      await client.publish('room', `before drop ${drop}`, { signal });
      consumer.terminate();
      if (drop === WARM_UP_DROPS) heapAfterWarmUp = liveHeapBytes();
    }
    await engine.consumer('foo');
    await expect(client.ping({ signal })).resolves.toMatchObject({ rttMs: expect.any(Number) });
    const heapGrowth = liveHeapBytes() - heapAfterWarmUp;
    const pops = engine.requests.filter((request) => request.method === 'queue.pop').length;
    expect(pops).toBe(DROPS + 1);

    await client.close();
    await engine.close();
    engine = undefined;
    await turnUntil('every socket closed', () => openSockets() <= socketsBefore);
    expect(timers.pending()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(heapGrowth).toBeLessThan(HEAP_BOUND_BYTES);
    recordFigures('consecutive-drops', {
      drops: DROPS,
      repops: pops - 1,
      timersStarted: timers.started(),
      timersLeft: timers.pending(),
      abortListenersLeft: 0,
      socketsLeft: openSockets() - socketsBefore,
      heapGrowthMiB: mebibytes(heapGrowth),
      heapBoundMiB: mebibytes(HEAP_BOUND_BYTES),
    });
  },
  timeoutFor(30_000, 300_000),
);
