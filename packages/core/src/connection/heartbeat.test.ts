import { describe, expect, it, vi } from 'vitest';
import { Heartbeat } from './heartbeat.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

function heartbeat(intervalMs = 20_000, timeoutMs = 10_000) {
  const probe = vi.fn<() => void>();
  const onDead = vi.fn<() => void>();
  const beat = new Heartbeat({ intervalMs, timeoutMs }, probe, onDead);
  beat.start();
  return { beat, probe, onDead };
}

describe('Heartbeat', () => {
  it('probes every intervalMs while each probe is answered', () => {
    const { beat, probe, onDead } = heartbeat();
    vi.advanceTimersByTime(19_999);
    expect(probe).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(probe).toHaveBeenCalledTimes(1);
    beat.heard();
    vi.advanceTimersByTime(20_000);
    expect(probe).toHaveBeenCalledTimes(2);
    beat.heard();
    vi.advanceTimersByTime(20_000);
    expect(probe).toHaveBeenCalledTimes(3);
    beat.heard();
    vi.advanceTimersByTime(19_999);
    expect(onDead).not.toHaveBeenCalled();
    beat.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('declares the socket dead timeoutMs after an unanswered probe, and stops', () => {
    const { probe, onDead } = heartbeat();
    vi.advanceTimersByTime(20_000);
    expect(probe).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(9_999);
    expect(onDead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onDead).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts anything heard after the probe as its answer', () => {
    const { beat, onDead } = heartbeat();
    vi.advanceTimersByTime(25_000);
    beat.heard();
    vi.advanceTimersByTime(10_000);
    expect(onDead).not.toHaveBeenCalled();
    beat.stop();
  });

  it('judges by the clock when a throttled timer wakes late', () => {
    const { probe, onDead } = heartbeat();
    vi.advanceTimersByTime(20_000);
    expect(probe).toHaveBeenCalledTimes(1);
    // A background tab: the wall clock runs on while no timer fires.
    vi.setSystemTime(Date.now() + 55_000);
    expect(onDead).not.toHaveBeenCalled();
    // The first late wake-up sees the probe is 55 s old: dead at once, no further probe sent.
    vi.advanceTimersByTime(10_000);
    expect(onDead).toHaveBeenCalledTimes(1);
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('sends a probe at the first wake-up after a long sleep, without waiting another interval', () => {
    const { probe } = heartbeat(20_000, 10_000);
    vi.setSystemTime(Date.now() + 90_000);
    vi.advanceTimersByTime(20_000);
    expect(probe).toHaveBeenCalledTimes(1);
  });

  describe.each([
    { intervalMs: 200, timeoutMs: 700 },
    { intervalMs: 20_000, timeoutMs: 65_000 },
  ])('with a timeout longer than the interval ($intervalMs / $timeoutMs)', ({ intervalMs, timeoutMs }) => {
    it('keeps probing every intervalMs while a probe is unanswered', () => {
      const { beat, probe, onDead } = heartbeat(intervalMs, timeoutMs);
      const startedAt = Date.now();
      const probedAt: number[] = [];
      probe.mockImplementation(() => probedAt.push(Date.now() - startedAt));
      // Answered only now and then: the cadence must not wait for the answer.
      for (let step = 1; step <= 12; step += 1) {
        vi.advanceTimersByTime(intervalMs);
        if (step % 3 === 0) beat.heard();
      }
      expect(probedAt).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * intervalMs));
      expect(onDead).not.toHaveBeenCalled();
      beat.stop();
    });

    it('declares death intervalMs + timeoutMs after the last thing heard, at the latest', () => {
      const { beat, probe, onDead } = heartbeat(intervalMs, timeoutMs);
      vi.advanceTimersByTime(intervalMs * 2);
      beat.heard();
      const heardAt = Date.now();
      let deadAt: number | undefined;
      onDead.mockImplementation(() => (deadAt = Date.now()));
      vi.advanceTimersByTime(intervalMs + timeoutMs);
      expect(deadAt).toBe(heardAt + intervalMs + timeoutMs);
      // Every probe until death went out on time.
      expect(probe).toHaveBeenCalledTimes(2 + Math.floor(timeoutMs / intervalMs) + 1);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
