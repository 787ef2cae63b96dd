import { describe, expect, it } from 'vitest';
import { GuardedEmitter } from './guardedEmitter.ts';

type Events = { error: { event: string; cause: unknown }; tick: number };

const emitter = () => new GuardedEmitter<Events>((event, cause) => ({ event, cause }));

describe('GuardedEmitter', () => {
  it('calls the handlers there were when emit started, in the order they were added', () => {
    const bus = emitter();
    const seen: string[] = [];
    const late = () => seen.push('late');
    let offSecond = () => {};
    bus.on('tick', (n) => {
      seen.push(`first ${n}`);
      bus.on('tick', late);
      offSecond();
    });
    offSecond = bus.on('tick', (n) => seen.push(`second ${n}`));
    bus.emit('tick', 1);
    bus.emit('tick', 2);
    expect(seen).toEqual(['first 1', 'second 1', 'first 2', 'late']);
  });

  it('a handler added twice runs twice, and each unsubscribe removes one of them once', () => {
    const bus = emitter();
    let calls = 0;
    const handler = () => calls++;
    const offA = bus.on('tick', handler);
    bus.on('tick', handler);
    bus.emit('tick', 0);
    offA();
    offA();
    bus.emit('tick', 0);
    expect(calls).toBe(3);
  });

  it('reports a throwing handler on error and still calls the next one; a throwing error handler is dropped', () => {
    const bus = emitter();
    const reports: Array<Events['error']> = [];
    const boom = new Error('boom');
    bus.on('error', (report) => reports.push(report));
    bus.on('error', () => {
      throw new Error('dropped');
    });
    let after = 0;
    bus.on('tick', () => {
      throw boom;
    });
    bus.on('tick', () => after++);
    bus.emit('tick', 0);
    expect(reports).toEqual([{ event: 'tick', cause: boom }]);
    expect(after).toBe(1);
  });

  it('listens tells whether a handler of that event is registered now', () => {
    const bus = emitter();
    expect(bus.listens('tick')).toBe(false);
    const off = bus.on('tick', () => {});
    expect(bus.listens('tick')).toBe(true);
    off();
    expect(bus.listens('tick')).toBe(false);
  });

  it('close removes every handler and refuses new ones', () => {
    const bus = emitter();
    let calls = 0;
    bus.on('tick', () => calls++);
    bus.close();
    const off = bus.on('tick', () => calls++);
    bus.emit('tick', 0);
    off();
    expect(calls).toBe(0);
  });
});
