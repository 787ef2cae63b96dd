// `@connmix/browser` re-exports the core API by name: this holds that list equal to the core's, types
// and values alike (run in Node: the compiler reads the sources), so that a name added to the core cannot be missing here.
import * as core from '@connmix/core';
import { exportedNames } from '@connmix/test-support/publicSurface';
import { expect, it } from 'vitest';
import * as browser from '../src/index.ts';

const file = (path: string) => new URL(path, import.meta.url).pathname;
const OWN = [
  'BrowserTransportOptions',
  'WebSocketConstructor',
  'browserTransport',
  'connect',
  'connectCluster',
];

it('names every export of @connmix/core, types included, then its own', () => {
  const [coreNames = [], names] = exportedNames(file('../tsconfig.json'), [
    file('../../core/src/index.ts'),
    file('../src/index.ts'),
  ]);
  expect(coreNames.length).toBeGreaterThan(80);
  expect(names).toEqual([...coreNames, ...OWN].sort());
});

it('re-exports the core values themselves, not types of the same name', () => {
  for (const [name, value] of Object.entries(core)) {
    expect(browser[name as keyof typeof browser], name).toBe(value);
  }
});
