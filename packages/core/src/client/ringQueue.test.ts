import { describe, expect, it } from 'vitest';
import { RingQueue } from './ringQueue.ts';

describe('RingQueue', () => {
  it('keeps first-in first-out order across wrap-arounds and growth', () => {
    const ring = new RingQueue<number>();
    const model: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so the head wraps before, during and after each growth.
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < (round % 7) + 3; i++) {
        ring.push(next);
        model.push(next++);
      }
      for (let i = 0; i < (round % 5) + 1; i++) expect(ring.shift()).toBe(model.shift());
      expect(ring.length).toBe(model.length);
    }
    expect(ring.drain()).toEqual(model);
    expect(ring.length).toBe(0);
    expect(ring.shift()).toBeUndefined();
  });
});
