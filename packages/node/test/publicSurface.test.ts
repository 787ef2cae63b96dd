// `@connmix/node` re-exports the core API by name: this holds that list equal to the core's, types
// and values alike, so that a name added to the core cannot be missing here.
import * as core from '@connmix/core';
import { describeAdapterSurface } from '@connmix/test-support/publicSurface';
import * as node from '../src/index.ts';

describeAdapterSurface(
  new URL('../', import.meta.url),
  [
    'BasicAuth',
    'NODE_TRANSPORT_DEFAULTS',
    'NodeTransportOptions',
    'connect',
    'connectCluster',
    'nodeTransport',
  ],
  { core, adapter: node },
);
