// One client through a long run: a million queue events consumed and a hundred thousand calls
// answered on one socket, with the live heap measured after warm-up and at the end, and no timer
// left behind per call or per message.
import { createClient, nodeTransport, type QueueMessage } from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { liveHeapBytes, mebibytes } from '../../src/heap.ts';
import { startQuietEngine, type QuietEngine } from '../../src/quietEngine.ts';
import { turnUntil } from '../../src/settlements.ts';
import { installTimerTracker, type TimerTracker } from '../../src/timerTracker.ts';

const EVENTS = count(20_000, 1_000_000);
const CALLS = count(2_000, 100_000);
const ROUNDS = 50;
const CONCURRENT_CALLS = 100;
const WARM_UP_ROUNDS = 5;
/** Live heap the run may add after warm-up, whatever its length: growth per message would show. */
const HEAP_GROWTH_BOUND_BYTES = 4 * 2 ** 20;

let engine: QuietEngine | undefined;
let timers: TimerTracker | undefined;
afterEach(async () => {
  timers?.uninstall();
  await engine?.close();
  engine = undefined;
});

it(
  `soak: ${EVENTS} events and ${CALLS} calls through one client`,
  async () => {
    timers = installTimerTracker();
    engine = await startQuietEngine();
    const client = createClient({ url: engine.url, transport: nodeTransport() });
    const errors: unknown[] = [];
    client.on('error', (event) => errors.push(event));
    const stream = client.consume('foo', { highWaterMark: EVENTS });
    const socket = await engine.nextConsumer();
    const started = performance.now();
    let heapAfterWarmUp = 0;
    let timersAfterWarmUp = 0;
    let nextSeq = 0;
    let calls = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const from = Math.floor((EVENTS * round) / ROUNDS);
      const to = Math.floor((EVENTS * (round + 1)) / ROUNDS);
      const pushed = socket.push(from, to);
      const callsThisRound = Math.floor((CALLS * (round + 1)) / ROUNDS) - calls;
      for (let done = 0; done < callsThisRound; done += CONCURRENT_CALLS) {
        const batch = Math.min(CONCURRENT_CALLS, callsThisRound - done);
        const results = await Promise.all(
          Array.from({ length: batch }, () => client.publish('room', 'soak')),
        );
        for (const result of results)
          if (result.success !== 1) expect(result).toEqual({ success: 1, fail: 0, total: 1 });
      }
      calls += callsThisRound;
      while (nextSeq < to) {
        const { value } = (await stream.next()) as IteratorResult<QueueMessage, undefined>;
        const seq = (value?.data as { seq: number } | undefined)?.seq;
        if (seq !== nextSeq) expect.fail(`expected message ${nextSeq}, got ${String(seq)}`);
        nextSeq++;
      }
      await pushed;
      if (round === WARM_UP_ROUNDS - 1) {
        heapAfterWarmUp = liveHeapBytes();
        timersAfterWarmUp = timers.pending();
      }
    }
    const elapsedMs = performance.now() - started;
    const heapGrowth = liveHeapBytes() - heapAfterWarmUp;
    // Only the heartbeat runs between calls: no timer per call or per message survives it.
    const timersAtEnd = timers.pending();
    expect(timersAtEnd).toBeLessThanOrEqual(timersAfterWarmUp);
    expect(nextSeq).toBe(EVENTS);
    expect(calls).toBe(CALLS);
    expect(errors).toEqual([]);
    await client.close();
    // The close handshake's own timer (in ws) goes when the engine's close frame arrives.
    await turnUntil('no timer left', () => timers?.pending() === 0);
    expect(heapGrowth).toBeLessThan(HEAP_GROWTH_BOUND_BYTES);
    recordFigures('soak', {
      events: EVENTS,
      calls: CALLS,
      lost: 0,
      elapsedMs: Math.round(elapsedMs),
      heapAfterWarmUpMiB: mebibytes(heapAfterWarmUp),
      heapGrowthMiB: mebibytes(heapGrowth),
      heapGrowthBoundMiB: mebibytes(HEAP_GROWTH_BOUND_BYTES),
      timersPendingDuringRun: timersAtEnd,
      timersLeftAfterClose: 0,
    });
  },
  timeoutFor(30_000, 900_000),
);
