// The public surface of `@connmix/cli`: the commands as functions, for scripts and tests.
export { main, USAGE } from './main.ts';
export { DEV_USAGE, parseDevArgs, runDev } from './dev.ts';
export { formatStatus } from './status.ts';

export type { DevArgs, Output, RunDevOptions } from './dev.ts';
