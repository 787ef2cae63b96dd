import { describe, expect, it, vi } from 'vitest';
import { MessageQueue } from './messageQueue.ts';

function queue(highWaterMark = 4) {
  const onSlow = vi.fn<(buffered: number) => void>();
  const onReturn = vi.fn<(unread: number[]) => void>();
  return { queue: new MessageQueue<number>([], { highWaterMark, onSlow, onReturn }), onSlow, onReturn };
}

describe('MessageQueue', () => {
  it('hands buffered items out in order, then waits for the next', async () => {
    const { queue: q } = queue();
    q.push(1);
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: 2, done: false });
    const waiting = q.next();
    q.push(3);
    expect(await waiting).toEqual({ value: 3, done: false });
    expect(q.buffered).toBe(0);
  });

  it('serves concurrent readers in the order they asked', async () => {
    const { queue: q } = queue();
    const first = q.next();
    const second = q.next();
    q.push(1);
    q.push(2);
    expect(await Promise.all([first, second])).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
    ]);
  });

  it('keeps buffering past the mark, signalling slow once per episode', async () => {
    const { queue: q, onSlow } = queue(4);
    for (let i = 1; i <= 4; i++) q.push(i);
    expect(onSlow).not.toHaveBeenCalled();
    q.push(5);
    expect(onSlow).toHaveBeenCalledExactlyOnceWith(5);
    for (let i = 6; i <= 20; i++) q.push(i);
    expect(onSlow).toHaveBeenCalledTimes(1);
    expect(q.buffered).toBe(20);
    // Nothing was dropped: every item comes out, in order.
    const read: number[] = [];
    for (let i = 0; i < 18; i++) read.push((await q.next()).value!);
    expect(read).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    // Drained to half the mark (2): the episode is over, the next overflow signals again.
    for (let i = 21; i <= 23; i++) q.push(i);
    expect(onSlow).toHaveBeenCalledTimes(2);
    expect(onSlow).toHaveBeenLastCalledWith(5);
  });

  it('does not end an episode while the buffer stays above half the mark', async () => {
    const { queue: q, onSlow } = queue(4);
    for (let i = 1; i <= 5; i++) q.push(i);
    await q.next(); // 4 left: still above 2
    q.push(6);
    expect(onSlow).toHaveBeenCalledTimes(1);
  });

  it('lets the reader drain what is buffered after end(), then reports done', async () => {
    const { queue: q, onReturn } = queue();
    q.push(1);
    q.end();
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(onReturn).not.toHaveBeenCalled();
  });

  it('releases waiting readers on end()', async () => {
    const { queue: q } = queue();
    const waiting = q.next();
    q.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('stops on return() (a break): hands what is unread to onReturn, once', async () => {
    const { queue: q, onReturn } = queue();
    q.push(1);
    q.push(2);
    for await (const item of q) {
      expect(item).toBe(1);
      break;
    }
    expect(onReturn).toHaveBeenCalledExactlyOnceWith([2]);
    expect(q.buffered).toBe(0);
    expect(await q.next()).toEqual({ value: undefined, done: true });
    await q.return();
    expect(onReturn).toHaveBeenCalledTimes(1);
  });

  it('reads its topics only, or every topic when it has none', () => {
    const some = new MessageQueue<number>(['a', 'b'], { highWaterMark: 1, onSlow() {}, onReturn() {} });
    expect([some.reads('a'), some.reads('b'), some.reads('c')]).toEqual([true, true, false]);
    expect(queue().queue.reads('anything')).toBe(true);
  });
});
