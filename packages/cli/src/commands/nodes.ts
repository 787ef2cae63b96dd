import type { CommandIo } from '../io.ts';
import { connectionUsage } from '../shared/commandLine.ts';
import { runCommand, UsageError, type Command } from '../shared/runCommand.ts';
import { settledNodes } from '../shared/target.ts';

export const NODES_USAGE = `Usage: connmix nodes --center URL [options]

Lists the engines the center knows: node id, API URL, and the state of a
connection to each (open, or reconnecting when it could not be reached).

${connectionUsage('cluster')}`;

const nodes: Command<Record<never, never>> = {
  name: 'nodes',
  usage: NODES_USAGE,
  flags: {},
  node: false,
  endpoint: 'cluster',
  positionals: { min: 0, max: 0, synopsis: 'no arguments' },
  async run({ open, connection, signal, print, json }) {
    const target = await open();
    if (target.kind !== 'cluster') throw new UsageError('give --center URL');
    const list = await settledNodes(target.cluster, connection.timeoutMs, signal);
    const idWidth = Math.max(2, ...list.map(({ id }) => id.length));
    const urlWidth = Math.max(3, ...list.map(({ url }) => url.length));
    const row = (id: string, url: string, state: string) =>
      `${id.padEnd(idWidth)}  ${url.padEnd(urlWidth)}  ${state}`;
    // The header is for people: with --json every line is a node.
    if (!json) print({}, row('id', 'url', 'state'));
    for (const { id, url, state } of list) print({ id, url, state }, row(id, url, state));
    return 0;
  },
};

/** `connmix nodes`: the center's engine list, each with its state once connected. Resolves with the exit code. */
export function runNodes(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(nodes, argv, io);
}
