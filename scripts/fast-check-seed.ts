// Every property test of a run uses one seed, chosen (or taken from FC_SEED) by the test
// configuration, which prints it: a failure reports it too, and FC_SEED=<seed> replays the run.
import fc from 'fast-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    fastCheckSeed: number;
  }
}

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: inject('fastCheckSeed') });
