// The public surface of `@connmix/cli`: the commands as functions, for scripts and tests.
export { main, USAGE } from './main.ts';
export { CALL_USAGE, runCall } from './commands/call.ts';
export { DEV_USAGE, parseDevArgs, runDev } from './commands/dev.ts';
export { NODES_USAGE, runNodes } from './commands/nodes.ts';
export { PING_USAGE, runPing } from './commands/ping.ts';
export { POP_USAGE, runPop } from './commands/pop.ts';
export { PUBLISH_USAGE, runPublish } from './commands/publish.ts';
export { runSend, SEND_USAGE } from './commands/send.ts';
export { formatStatus } from './commands/status.ts';

export type { DevArgs, RunDevOptions } from './commands/dev.ts';
export type { CommandIo, Output } from './io.ts';
