// `@connmix/browser` re-exports the core API by name: this holds that list equal to the core's,
// types and values alike, so that a name added to the core cannot be missing here. It runs in
// Node (project browser-node): the compiler reads the sources.
import * as core from '@connmix/core';
import { adapterSurface } from '@connmix/test-support/publicSurface';
import { expect, it } from 'vitest';
import * as browser from '../src/index.ts';

const OWN = [
  'BrowserTransportOptions',
  'WebSocketConstructor',
  'browserTransport',
  'connect',
  'connectCluster',
];

it('names every export of @connmix/core, types included, then its own', () => {
  const { core: coreNames, adapter } = adapterSurface(new URL('../', import.meta.url));
  expect(coreNames.length).toBeGreaterThan(80);
  expect(adapter).toEqual([...coreNames, ...OWN].sort());
});

it('re-exports the core values themselves, not types of the same name', () => {
  for (const [name, value] of Object.entries(core)) {
    expect(browser[name as keyof typeof browser], name).toBe(value);
  }
});
