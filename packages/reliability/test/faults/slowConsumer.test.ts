// A consumer that reads nothing while a backlog of events arrives: nothing is dropped, `slow` is
// reported once per episode, the backlog costs what the README says (unbounded, per message), and
// the consumer then drains every message in order.
import { createClient, nodeTransport, type ClientErrorEvent, type QueueMessage } from '@connmix/node';
import { afterEach, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { liveHeapBytes } from '../../src/heap.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { turnUntil } from '../../src/settlements.ts';

const EVENTS = count(20_000, 200_000);
const HIGH_WATER_MARK = 1_000;
/** What one buffered message of this size may hold in memory (the decoded message and its helpers). */
const BYTES_PER_MESSAGE_BOUND = 2_048;

let engine: ScriptedEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

it(
  `a slow consumer of ${EVENTS} events loses none, is told once per episode, then drains them all`,
  async () => {
    engine = await startScriptedEngine();
    const client = createClient({ url: engine.url, transport: nodeTransport(), heartbeat: false });
    const slow: Array<Extract<ClientErrorEvent, { kind: 'slow' }>> = [];
    const otherErrors: ClientErrorEvent[] = [];
    client.on('error', (event) => (event.kind === 'slow' ? slow.push(event) : otherErrors.push(event)));
    // The taught form: the subscription buffers before its pop goes out.
    const stream = client.consume('foo', { highWaterMark: HIGH_WATER_MARK });
    const consumer = await engine.consumer('foo');
    const heapBefore = liveHeapBytes();
    for (let seq = 0; seq < EVENTS; seq++) consumer.push('foo', { seq });
    await turnUntil('every event buffered', () => stream.buffered === EVENTS, 10_000_000);
    const bytesPerMessage = (liveHeapBytes() - heapBefore) / EVENTS;
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({
      buffered: HIGH_WATER_MARK + 1,
      highWaterMark: HIGH_WATER_MARK,
      topic: 'foo',
    });

    const drainStarted = performance.now();
    let expected = 0;
    for (let i = 0; i < EVENTS; i++) {
      const { value, done } = (await stream.next()) as IteratorResult<QueueMessage, undefined>;
      expect(done).toBe(false);
      if ((value?.data as { seq: number }).seq !== expected) throw new Error(`message ${expected} missing`);
      expected++;
    }
    const drainMs = performance.now() - drainStarted;
    expect(stream.buffered).toBe(0);

    // A second episode is reported again, once.
    for (let seq = 0; seq <= HIGH_WATER_MARK * 2; seq++) consumer.push('foo', { seq: EVENTS + seq });
    await turnUntil('the second backlog buffered', () => stream.buffered === HIGH_WATER_MARK * 2 + 1);
    expect(slow).toHaveLength(2);
    expect(otherErrors).toEqual([]);
    await client.close();
    expect(bytesPerMessage).toBeLessThan(BYTES_PER_MESSAGE_BOUND);
    recordFigures('slow-consumer', {
      events: EVENTS,
      dropped: 0,
      slowEpisodes: slow.length,
      bytesPerBufferedMessage: Math.round(bytesPerMessage),
      drainMs: Math.round(drainMs),
      drainPerReadUs: Math.round((drainMs * 1000) / EVENTS),
    });
  },
  timeoutFor(30_000, 600_000),
);
