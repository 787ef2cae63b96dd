import { runCall } from './commands/call.ts';
import { runDev } from './commands/dev.ts';
import { runNodes } from './commands/nodes.ts';
import { runPing } from './commands/ping.ts';
import { runPop } from './commands/pop.ts';
import { runPublish } from './commands/publish.ts';
import { runSend } from './commands/send.ts';
import type { CommandIo } from './io.ts';

export const USAGE = `Usage: connmix <command> [options]

Commands:
  dev       run a local connmix-compatible mesh (center + engines) for development
  ping      measure the round trip to an engine, or to each engine of a cluster
  nodes     list the engines a center knows, with their state
  pop       consume topics and print each message (until Ctrl+C or --count N)
  send      send data to one end-user connection (mesh.send)
  publish   send data to every connection subscribed to a channel (mesh.publish)
  call      run a conn.call function (subscribe, set_context_value, ...) on a connection

Every command but dev connects with --url ws://HOST:6789/ws/v1 (one engine) or
--center http://HOST:6787 (a cluster).

Run "connmix <command> --help" for a command's options.
`;

const COMMANDS: Record<string, (argv: readonly string[], io: CommandIo) => Promise<number>> = {
  dev: runDev,
  ping: runPing,
  nodes: runNodes,
  pop: runPop,
  send: runSend,
  publish: runPublish,
  call: runCall,
};

/** Runs one `connmix` command line (without the node and script arguments); resolves with the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  const stderr = io.stderr ?? io.stdout;
  switch (command) {
    case undefined:
      // No command is a usage error (a script that forgot it must not pass), with the usage.
      stderr.write(USAGE);
      return 2;
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(USAGE);
      return 0;
    default: {
      const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
      if (run) return run(rest, io);
      stderr.write(`connmix: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
    }
  }
}
