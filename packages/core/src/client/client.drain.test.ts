// A slow consumer must drain a large backlog at full speed: each read is O(1) amortized. Speed
// is measured in the benchmarks; this test counts work instead of timing it, so it cannot flake.
import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from './testing/clientHarness.ts';
import type { FakeSocket } from './testing/fakeTransport.ts';

const BACKLOG = 50_000;
const CID = '1627581697287520263';

/**
 * Counts the elements that `Array.prototype.shift`, `splice` and `slice` move or copy, as the
 * language defines them: removing the head of an n-element array moves n - 1 elements. Draining a
 * backlog with `shift()` moves about n²/2 elements in all; a queue that compacts itself once half
 * read copies fewer than n.
 */
function countArrayMoves(): { readonly moved: number; restore(): void } {
  const { shift, splice, slice } = Array.prototype;
  const counter = { moved: 0, restore: () => {} };
  Array.prototype.shift = function (this: unknown[]) {
    counter.moved += Math.max(0, this.length - 1);
    return shift.call(this);
  };
  Array.prototype.splice = function (this: unknown[], ...args: [number, number, ...unknown[]]) {
    counter.moved += Math.max(0, this.length - args[0]);
    return splice.apply(this, args);
  } as typeof splice;
  Array.prototype.slice = function (this: unknown[], ...args: [number?, number?]) {
    const copy = slice.apply(this, args);
    counter.moved += copy.length;
    return copy;
  } as typeof slice;
  counter.restore = () => {
    Array.prototype.shift = shift;
    Array.prototype.splice = splice;
    Array.prototype.slice = slice;
  };
  return counter;
}

let restore = () => {};
afterEach(() => restore());

function backlog(socket: FakeSocket, topic: string): void {
  for (let i = 0; i < BACKLOG; i++) {
    socket.receive(`{"e":"queue.pop","p":{"c":"${CID}","t":"${topic}","d":${i}},"id":null}`);
  }
}

describe(`a consumer ${BACKLOG.toLocaleString('en')} messages behind`, () => {
  it('drains messages() and consume() with O(1) work per message, nothing dropped, slow reported once', async () => {
    const { client, socket, errors } = await openClient({ heartbeat: false });
    const stream = client.messages({ topic: 'foo' });
    const sub = client.consume('bar');
    socket.reply(1, { s: true });
    const counter = countArrayMoves();
    restore = counter.restore;
    backlog(socket, 'foo');
    backlog(socket, 'bar');
    expect([stream.buffered, sub.buffered]).toEqual([BACKLOG, BACKLOG]);
    for (const reader of [stream, sub]) {
      for (let i = 0; i < BACKLOG; i++) {
        const next = await reader.next();
        if (next.value?.data !== i) throw new Error(`read ${String(next.value?.data)} where ${i} was due`);
      }
    }
    counter.restore();
    // The quadratic drain moved about 2.5 * 10^9 elements here; allow a little per message.
    expect(counter.moved).toBeLessThan(4 * BACKLOG);
    expect(errors.map((e) => [e.kind, 'topic' in e ? e.topic : undefined])).toEqual([
      ['slow', 'foo'],
      ['slow', 'bar'],
    ]);
    expect([stream.buffered, sub.buffered]).toEqual([0, 0]);
    await client.close();
  });
});
