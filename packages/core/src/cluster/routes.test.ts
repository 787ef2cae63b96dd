import { describe, expect, it } from 'vitest';
import { RouteTable } from './routes.ts';

describe('RouteTable', () => {
  it('never holds more than its capacity, forgetting the least recently seen first', () => {
    const routes = new RouteTable(3);
    for (let i = 0; i < 1_000; i++) routes.learn(`c${i}`, `n${i % 2}`);
    expect(routes.size).toBe(3);
    expect(['c996', 'c997', 'c998', 'c999'].map((id) => routes.nodeOf(id))).toEqual([
      undefined,
      'n1',
      'n0',
      'n1',
    ]);
  });

  it('counts a lookup and a new sighting as use, and moves a client to its newest node', () => {
    const routes = new RouteTable(2);
    routes.learn('a', 'n1');
    routes.learn('b', 'n1');
    expect(routes.nodeOf('a')).toBe('n1');
    routes.learn('c', 'n2');
    expect(routes.nodeOf('b')).toBeUndefined();
    routes.learn('a', 'n2');
    routes.learn('d', 'n1');
    expect([routes.nodeOf('a'), routes.nodeOf('c'), routes.nodeOf('d')]).toEqual(['n2', undefined, 'n1']);
  });

  it('forgets every client of a node that left', () => {
    const routes = new RouteTable(10);
    routes.learn('a', 'n1');
    routes.learn('b', 'n2');
    routes.learn('c', 'n1');
    routes.forgetNode('n1');
    expect([routes.nodeOf('a'), routes.nodeOf('b'), routes.nodeOf('c')]).toEqual([
      undefined,
      'n2',
      undefined,
    ]);
    routes.clear();
    expect(routes.size).toBe(0);
  });
});
