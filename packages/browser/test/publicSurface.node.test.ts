// `@connmix/browser` re-exports the core API by name: this holds that list equal to the core's,
// types and values alike, so that a name added to the core cannot be missing here. It runs in
// Node (project browser-node): the compiler reads the sources.
import * as core from '@connmix/core';
import { describeAdapterSurface } from '@connmix/test-support/publicSurface';
import * as browser from '../src/index.ts';

describeAdapterSurface(
  new URL('../', import.meta.url),
  ['BrowserTransportOptions', 'WebSocketConstructor', 'browserTransport', 'connect', 'connectCluster'],
  { core, adapter: browser },
);
