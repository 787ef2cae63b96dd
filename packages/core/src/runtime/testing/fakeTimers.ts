import { afterEach, beforeEach, vi } from 'vitest';

/** Runs every test of the calling file on vitest's fake clock, and gives the real one back after each. */
export function useFakeTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
