import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.ts';

describe('Fifo', () => {
  it('keeps first-in first-out order across compactions', () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so compactions happen at every fill level.
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < (round % 7) + 3; i++) {
        fifo.push(next);
        model.push(next++);
      }
      for (let i = 0; i < (round % 5) + 1; i++) expect(fifo.shift()).toBe(model.shift());
      expect(fifo.length).toBe(model.length);
    }
    expect(fifo.drain()).toEqual(model);
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });
});
