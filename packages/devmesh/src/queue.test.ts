import { describe, expect, test } from 'vitest';
import { QueueFullError, QueueStore, type QueueConsumer, type QueuedMessage } from './queue.ts';

const message = (topic: string, n: number): QueuedMessage => ({ clientId: '1', topic, json: String(n) });

function consumer(accepting = true): QueueConsumer & { got: string[]; accepting: boolean } {
  const c = {
    got: [] as string[],
    accepting,
    deliver(m: QueuedMessage) {
      if (!c.accepting) return false;
      c.got.push(`${m.topic}:${m.json}`);
      return true;
    },
  };
  return c;
}

describe('QueueStore', () => {
  test('messages wait while a topic has no consumer, then go out in order', async () => {
    const queue = new QueueStore({ topicSize: 10, maxTopics: 10, whenFull: 'error' });
    await queue.push(message('foo', 1));
    await queue.push(message('foo', 2));
    expect(queue.snapshot()).toEqual({ foo: { depth: 2, consumers: 0 } });
    const a = consumer();
    expect(queue.pop(a, ['foo'])).toEqual({ ok: true });
    expect(a.got).toEqual(['foo:1', 'foo:2']);
    expect(queue.snapshot()).toEqual({ foo: { depth: 0, consumers: 1 } });
  });

  test('competing consumers take turns; each message goes to exactly one', async () => {
    const queue = new QueueStore({ topicSize: 10, maxTopics: 10, whenFull: 'error' });
    const a = consumer();
    const b = consumer();
    queue.pop(a, ['foo']);
    queue.pop(b, ['foo']);
    for (let n = 1; n <= 4; n++) await queue.push(message('foo', n));
    expect(a.got).toEqual(['foo:1', 'foo:3']);
    expect(b.got).toEqual(['foo:2', 'foo:4']);
    expect(queue.delivered).toBe(4);
  });

  test('a consumer that cannot take a message is skipped', async () => {
    const queue = new QueueStore({ topicSize: 10, maxTopics: 10, whenFull: 'error' });
    const a = consumer(false);
    const b = consumer();
    queue.pop(a, ['foo']);
    queue.pop(b, ['foo']);
    await queue.push(message('foo', 1));
    await queue.push(message('foo', 2));
    expect(b.got).toEqual(['foo:1', 'foo:2']);
  });

  test('pop: 202 for a topic the consumer already pops (nothing changes), 201 past maxTopics', () => {
    const queue = new QueueStore({ topicSize: 10, maxTopics: 2, whenFull: 'error' });
    const a = consumer();
    expect(queue.pop(a, ['foo', 'foo'])).toEqual({ ok: true });
    expect(queue.pop(a, ['bar', 'foo'])).toMatchObject({ ok: false, code: 202 });
    expect(queue.topicsOf(a)).toEqual(['foo']);
    expect(queue.pop(consumer(), ['x', 'y'])).toMatchObject({ ok: false, code: 201 });
    expect(queue.pop(consumer(), ['x'])).toEqual({ ok: true });
  });

  test('unpop cancels every topic and frees idle topics', () => {
    const queue = new QueueStore({ topicSize: 10, maxTopics: 10, whenFull: 'error' });
    const a = consumer();
    queue.pop(a, ['foo', 'bar']);
    queue.unpop(a);
    expect(queue.topicsOf(a)).toEqual([]);
    expect(queue.snapshot()).toEqual({});
  });

  test("whenFull 'error': a push to a full topic rejects", async () => {
    const queue = new QueueStore({ topicSize: 2, maxTopics: 1, whenFull: 'error' });
    await queue.push(message('foo', 1));
    await queue.push(message('foo', 2));
    await expect(queue.push(message('foo', 3))).rejects.toThrow(QueueFullError);
    await expect(queue.push(message('bar', 1))).rejects.toThrow(/at most 1 topics/);
  });

  test("whenFull 'block': a push waits for room and keeps its order", async () => {
    const queue = new QueueStore({ topicSize: 1, maxTopics: 10, whenFull: 'block' });
    await queue.push(message('foo', 1));
    const order: number[] = [];
    const second = queue.push(message('foo', 2)).then(() => order.push(2));
    const third = queue.push(message('foo', 3)).then(() => order.push(3));
    await Promise.resolve();
    expect(queue.blockedPushes).toBe(2);
    const a = consumer();
    queue.pop(a, ['foo']);
    await Promise.all([second, third]);
    expect(a.got).toEqual(['foo:1', 'foo:2', 'foo:3']);
    expect(order).toEqual([2, 3]);
  });

  test("whenFull 'block': a push to a new topic waits for a free topic slot", async () => {
    const queue = new QueueStore({ topicSize: 5, maxTopics: 1, whenFull: 'block' });
    await queue.push(message('foo', 1));
    let placed = false;
    const pending = queue.push(message('bar', 1)).then(() => (placed = true));
    await Promise.resolve();
    expect(placed).toBe(false);
    const a = consumer();
    queue.pop(a, ['foo']); // drains foo
    queue.unpop(a); // foo is idle and goes away
    await pending;
    expect(queue.snapshot()).toEqual({ bar: { depth: 1, consumers: 0 } });
  });

  test('close rejects waiting and later pushes', async () => {
    const queue = new QueueStore({ topicSize: 1, maxTopics: 1, whenFull: 'block' });
    await queue.push(message('foo', 1));
    const waiting = queue.push(message('foo', 2));
    queue.close('engine stopped');
    await expect(waiting).rejects.toThrow('engine stopped');
    await expect(queue.push(message('foo', 3))).rejects.toThrow('engine stopped');
  });
});
