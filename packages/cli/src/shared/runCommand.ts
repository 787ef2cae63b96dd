import { AbortError } from '@connmix/node';
import type { CommandIo } from '../io.ts';
import {
  parseCommandLine,
  type CommandSyntax,
  type ConnectionSettings,
  type FlagSpecs,
  type FlagValues,
} from './commandLine.ts';
import { createPrint, errorLine, reportError, type Print } from './report.ts';
import { closeTarget, openTarget, type Target } from './target.ts';

/** A command line that parses but asks for something the command cannot do: exit code 2, with the usage. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** What a command's body gets once its command line is read. */
export interface CommandContext<F extends FlagSpecs> {
  connection: ConnectionSettings;
  flags: FlagValues<F>;
  positionals: string[];
  signal: AbortSignal;
  /** Writes one result (a JSON line with `--json`). */
  print: Print;
  /** `--json`: machine output. */
  json: boolean;
  /** Reports an error that does not end the command (one engine of several failed), on stderr. */
  warn(error: Error, prefix?: string): void;
  /** Connects; whatever is opened is closed when the command ends. */
  open(options?: { keepAlive?: boolean }): Promise<Target>;
}

/** One `connmix` command that connects to an engine or a cluster. */
export interface Command<F extends FlagSpecs> extends CommandSyntax<F> {
  name: string;
  usage: string;
  /** Resolves with the exit code; SDK errors it throws are reported by `runCommand`. */
  run(context: CommandContext<F>): Promise<number>;
}

/**
 * Runs a command: `--help` prints the usage (0); a bad command line prints the reason and the
 * usage on stderr (2); an SDK error prints `error: <name>: <message>` on stderr (1, or 130 when
 * aborted). Every connection the command opened is closed before it resolves.
 */
export async function runCommand<F extends FlagSpecs>(
  command: Command<F>,
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  const { stdout, signal } = io;
  const stderr = io.stderr ?? stdout;
  const usageError = (message: string) => {
    stderr.write(`connmix ${command.name}: ${message}\n\n${command.usage}`);
    return 2;
  };
  const line = parseCommandLine(argv, command, io.env);
  if (line.kind === 'help') {
    stdout.write(command.usage);
    return 0;
  }
  if (line.kind === 'error') return usageError(line.message);

  // Shorter strings would mask ordinary words and digits; no SDK message holds a password anyway.
  const password = line.connection.auth?.password ?? '';
  const secrets = password.length >= 4 ? [password] : [];
  const opened: Target[] = [];
  const context: CommandContext<F> = {
    connection: line.connection,
    flags: line.flags,
    positionals: line.positionals,
    signal,
    print: createPrint(stdout, line.json),
    json: line.json,
    warn: (error, prefix) => stderr.write(errorLine(error, secrets, prefix)),
    open: async (options = {}) => {
      const target = await openTarget(line.connection, { signal, keepAlive: options.keepAlive ?? false });
      opened.push(target);
      return target;
    },
  };
  try {
    if (signal.aborted) throw new AbortError(`connmix ${command.name}`);
    return await command.run(context);
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    return reportError(error, stderr, secrets);
  } finally {
    await Promise.all(opened.map(closeTarget));
  }
}
