import { runDev, type Output } from './dev.ts';

export const USAGE = `Usage: connmix <command> [options]

Commands:
  dev      run a local connmix-compatible mesh (center + engines) for development

Run "connmix <command> --help" for a command's options.
`;

/** Runs one `connmix` command line (without the node and script arguments); resolves with the exit code. */
export async function main(
  argv: readonly string[],
  io: { stdout: Output; stderr: Output; signal: AbortSignal },
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev':
      return runDev(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(USAGE);
      return 0;
    default:
      io.stderr.write(`connmix: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}
