// Socket drops in a row: each time the client reconnects and pops its topics again, and when it is
// closed nothing it made is left: no timer, no abort listener, no socket, no heap that grew per drop.
import { getEventListeners } from 'node:events';
import { createClient, nodeTransport } from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { liveHeapBytes, mebibytes } from '../../src/heap.ts';
import { openSockets } from '../../src/resources.ts';
import { startQuietEngine, type QuietEngine } from '../../src/quietEngine.ts';
import { turnUntil } from '../../src/settlements.ts';
import { installTimerTracker, type TimerTracker } from '../../src/timerTracker.ts';

const DROPS = count(100, 1_000);
/** Heap is compared between half way and the end: warm-up (JIT feedback, pools) is done by then. */
const HALF_WAY = DROPS / 2;
/** What the second half of the drops may add: a leak of 2 KiB per drop would pass it at 1,000. */
const HEAP_BOUND_BYTES = 2 ** 20;

let engine: QuietEngine | undefined;
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
    engine = await startQuietEngine();
    const signal = new AbortController().signal;
    const client = createClient({
      url: engine.url,
      transport: nodeTransport(),
      heartbeat: { intervalMs: 60_000, timeoutMs: 10_000 },
      reconnect: { minDelayMs: 0, maxDelayMs: 0 },
    });
    await client.pop('foo', { signal });
    let heapAtHalfWay = 0;
    for (let drop = 1; drop <= DROPS; drop++) {
      const consumer = await engine.nextConsumer();
      // A call that shares the long-lived signal on every connection: its listener must go with it.
      await client.publish('room', `before drop ${drop}`, { signal });
      consumer.terminate();
      if (drop === HALF_WAY) heapAtHalfWay = liveHeapBytes();
    }
    await engine.nextConsumer();
    await expect(client.ping({ signal })).resolves.toMatchObject({ rttMs: expect.any(Number) });
    const heapGrowth = liveHeapBytes() - heapAtHalfWay;
    const pops = engine.pops;
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
      heapGrowthOverSecondHalfMiB: mebibytes(heapGrowth),
      heapBoundMiB: mebibytes(HEAP_BOUND_BYTES),
    });
  },
  timeoutFor(30_000, 300_000),
);
