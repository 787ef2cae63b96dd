import { afterEach, describe, expect, it, vi } from 'vitest';
import { quiescence } from './quiescence.ts';

/** A chain of `length` promise callbacks; the flag is set by the last one. */
function chain(length: number): { done: boolean } {
  const state = { done: false };
  let promise = Promise.resolve();
  for (let i = 0; i < length; i++) promise = promise.then(() => undefined);
  void promise.then(() => (state.done = true));
  return state;
}

describe('quiescence', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for a chain of promise callbacks of any length', async () => {
    const long = chain(500);
    await quiescence();
    expect(long.done).toBe(true);
  });

  it('does not depend on fake time, and does not move it', async () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setTimeout(fired, 1);
    const long = chain(100);
    await quiescence();
    expect(long.done).toBe(true);
    expect(fired).not.toHaveBeenCalled();
  });
});
