import type { CommandIo } from '../io.ts';
import { CONNECTION_USAGE } from '../shared/commandLine.ts';
import { deliveryCommand } from '../shared/deliveryCommand.ts';
import { runCommand } from '../shared/runCommand.ts';

export const PUBLISH_USAGE = `Usage: connmix publish <channel> <data> (--url URL | --center URL) [options]

Sends data to every connection subscribed to the channel, on every engine
(mesh.publish), and prints the delivery counts: success, fail, total.

Options:
      --binary           data is base64, sent as a binary frame (v1.0.3 only)
      --rest             POST to the engine's REST endpoint (v1.0.3) on the port
                         of --url instead of opening a WebSocket
      --node <id>        publish through this engine of the cluster

${CONNECTION_USAGE}`;

const publish = deliveryCommand('publish', PUBLISH_USAGE);

/** `connmix publish <channel> <data>`: `mesh.publish`, printing `{ success, fail, total }`. Resolves with the exit code. */
export function runPublish(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(publish, argv, io);
}
