import type { CommandIo } from '../io.ts';
import { CONNECTION_USAGE } from '../shared/commandLine.ts';
import { deliveryCommand } from '../shared/deliveryCommand.ts';
import { runCommand } from '../shared/runCommand.ts';

export const SEND_USAGE = `Usage: connmix send <clientId> <data> (--url URL | --center URL) [options]

Sends data to one end-user connection (mesh.send; any engine forwards it) and
prints the delivery counts: success, fail, total.

Options:
      --binary           data is base64, sent as a binary frame (v1.0.3 only)
      --rest             POST to the engine's REST endpoint (v1.0.3) on the port
                         of --url instead of opening a WebSocket
      --node <id>        send through this engine of the cluster

${CONNECTION_USAGE}`;

const send = deliveryCommand('send', SEND_USAGE);

/** `connmix send <clientId> <data>`: `mesh.send`, printing `{ success, fail, total }`. Resolves with the exit code. */
export function runSend(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(send, argv, io);
}
