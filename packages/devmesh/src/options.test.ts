import { describe, expect, test } from 'vitest';
import { defaultEntry } from './entry.ts';
import { resolveOptions } from './options.ts';

describe('resolveOptions', () => {
  test('defaults: one engine, v1.0.2, loopback, OS ports, the engine limits', () => {
    const resolved = resolveOptions();
    expect(resolved).toEqual({
      dialect: 'v1.0.2',
      host: '127.0.0.1',
      centerPort: 0,
      engines: [{ node: '1', index: 0, apiPort: 0, protocolPort: 0 }],
      entry: defaultEntry,
      queue: { topicSize: 2000, maxTopics: 100, whenFull: 'block' },
      api: { idleTimeoutMs: 600_000, maxPayloadBytes: 16 * 1024 * 1024 },
      protocol: { idleTimeoutMs: 60_000, maxPayloadBytes: 1024 * 1024 },
      access: undefined,
    });
  });

  test("the API idle (read) timeout is the engine's: 600 s in v1.0.2, 60 s in v1.0.3, or as given", () => {
    expect(resolveOptions({ dialect: 'v1.0.2' }).api.idleTimeoutMs).toBe(600_000);
    expect(resolveOptions({ dialect: 'v1.0.3' }).api.idleTimeoutMs).toBe(60_000);
    expect(resolveOptions({ dialect: 'v1.0.2', api: { idleTimeoutMs: 5 } }).api.idleTimeoutMs).toBe(5);
  });

  test("'fixed' ports: center 6787, then API and protocol ports in pairs from 6789", () => {
    const { centerPort, engines } = resolveOptions({ engines: 3, ports: 'fixed' });
    expect(centerPort).toBe(6787);
    expect(engines.map((e) => [e.node, e.apiPort, e.protocolPort])).toEqual([
      ['1', 6789, 6790],
      ['2', 6791, 6792],
      ['3', 6793, 6794],
    ]);
  });

  test('explicit ports, the missing ones left to the OS', () => {
    const { centerPort, engines } = resolveOptions({
      engines: 2,
      ports: { center: 7000, engines: [{ api: 7001 }] },
    });
    expect([centerPort, engines[0]?.apiPort, engines[0]?.protocolPort, engines[1]?.apiPort]).toEqual([
      7000, 7001, 0, 0,
    ]);
  });

  test('every bad option is reported at once, by path', () => {
    let error: unknown;
    try {
      resolveOptions({
        engines: 0,
        dialect: 'v2' as 'v1.0.2',
        queue: { topicSize: -1, whenFull: 'drop' as 'block' },
        api: { idleTimeoutMs: 1.5 },
        ports: { center: 70000 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ValidationError' });
    const paths = (error as { issues: Array<{ path: Array<string | number> }> }).issues.map((i) =>
      i.path.join('.'),
    );
    expect(paths).toEqual([
      'engines',
      'dialect',
      'queue.topicSize',
      'queue.whenFull',
      'api.idleTimeoutMs',
      'ports.center',
    ]);
  });

  test('node ids must be one per engine and distinct', () => {
    expect(() => resolveOptions({ engines: 2, nodeIds: ['a'] })).toThrow(/one node id per engine/);
    expect(() => resolveOptions({ engines: 2, nodeIds: 'long' as 'short' })).toThrow(/nodeIds is a list/);
    expect(() => resolveOptions({ engines: 2, nodeIds: ['a', 'a'] })).toThrow(/distinct/);
  });
});
