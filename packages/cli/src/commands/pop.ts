import type { CommandIo } from '../io.ts';
import { CONNECTION_USAGE } from '../shared/commandLine.ts';
import { runCommand, UsageError, type Command } from '../shared/runCommand.ts';

export const POP_USAGE = `Usage: connmix pop <topic...> (--url URL | --center URL) [options]

Consumes the topics (on every engine of a cluster) and prints each message as
"node clientId topic data" (data as JSON; node "-" when the engine names none),
or as one JSON document per line with --json. Runs until Ctrl+C. Popping takes
messages off the engine's queue: those printed here reach no other worker.

Options:
  -c, --count <N>        stop after N messages

${CONNECTION_USAGE}`;

const flags = { count: { type: 'string', short: 'c' } } as const;

const pop: Command<typeof flags> = {
  name: 'pop',
  usage: POP_USAGE,
  flags,
  node: false,
  positionals: { min: 1, max: Infinity, synopsis: 'one or more topics' },
  async run({ open, connection, flags, positionals: topics, signal, print }) {
    const count = flags.count === undefined ? Infinity : Number(flags.count);
    if (
      flags.count !== undefined &&
      !(/^\d+$/.test(flags.count) && Number.isSafeInteger(count) && count > 0)
    ) {
      throw new UsageError('--count takes a positive whole number');
    }
    const { client } = await open({ keepAlive: true });
    // Listening before popping, so that no message arrives before anyone reads.
    const messages = client.messages();
    const stop = () => void messages.return();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await client.pop(...topics, { signal, timeoutMs: connection.timeoutMs });
      let received = 0;
      for await (const { node, clientId, topic, data } of messages) {
        print(
          { node: node ?? null, clientId, topic, data },
          `${node ?? '-'} ${clientId} ${topic} ${JSON.stringify(data)}`,
        );
        received += 1;
        // Leaving closes the connection, which is what stops the engine delivering.
        if (received >= count) break;
      }
      return 0;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  },
};

/**
 * `connmix pop <topic...>`: consumes the topics and prints each message until `signal` aborts
 * (or `--count` messages). Resolves with the exit code.
 */
export function runPop(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(pop, argv, io);
}
