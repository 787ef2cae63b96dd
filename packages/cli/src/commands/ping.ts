import { ConnmixError } from '@connmix/node';
import type { CommandIo } from '../io.ts';
import { CONNECTION_USAGE } from '../shared/commandLine.ts';
import { runCommand, type Command } from '../shared/runCommand.ts';
import { settledNodes } from '../shared/target.ts';

export const PING_USAGE = `Usage: connmix ping (--url URL | --center URL) [options]

Measures a round trip to the engine, or to each engine of a cluster.
Exits with 1 if an engine does not answer.

Options:
      --node <id>        only this engine of the cluster

${CONNECTION_USAGE}`;

const ping: Command<Record<never, never>> = {
  name: 'ping',
  usage: PING_USAGE,
  flags: {},
  node: true,
  positionals: { min: 0, max: 0, synopsis: 'no arguments' },
  async run({ open, connection, signal, print, warn }) {
    const target = await open();
    const { timeoutMs } = connection;
    if (target.kind === 'engine') {
      const { rttMs } = await target.client.ping({ signal, timeoutMs });
      print({ url: target.url, rttMs }, `pong from ${target.url} in ${rttMs} ms`);
      return 0;
    }
    const { cluster } = target;
    if (connection.node !== undefined) {
      const { rttMs, node } = await cluster.ping({ signal, timeoutMs, node: connection.node });
      const url = cluster.nodes.find(({ id }) => id === node)?.url;
      print({ node, url, rttMs }, `pong from node ${node} (${url}) in ${rttMs} ms`);
      return 0;
    }
    let failed = 0;
    for (const { id, url, state } of await settledNodes(cluster, timeoutMs, signal)) {
      const prefix = `node ${id} (${url}): `;
      if (state !== 'open') {
        warn(new ConnmixError(`not connected (${state})`), prefix);
        failed += 1;
        continue;
      }
      try {
        const { rttMs } = await cluster.ping({ signal, timeoutMs, node: id });
        print({ node: id, url, rttMs }, `pong from node ${id} (${url}) in ${rttMs} ms`);
      } catch (error) {
        if (signal.aborted || !(error instanceof Error)) throw error;
        warn(error, prefix);
        failed += 1;
      }
    }
    return failed > 0 ? 1 : 0;
  },
};

/**
 * `connmix ping`: prints the round trip to the engine (`--url`) or to each engine of a cluster
 * (`--center`). Resolves with the exit code.
 */
export function runPing(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(ping, argv, io);
}
