import type { AddressInfo } from 'node:net';

/** Tells the parent process which port the server got (every server listens on port 0), and more. */
export function announce(address: AddressInfo | string | null, extra: Record<string, unknown> = {}): void {
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP port');
  process.send?.({ ...extra, port: address.port });
}

/**
 * Answers the parent's commands (`ServerProcess.command`): each handler's result, or its error's
 * message, goes back under the command's id.
 */
export function answerCommands(handle: (command: Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (message) => {
    const { id, ...command } = message as { id: number } & Record<string, unknown>;
    handle(command).then(
      (result) => process.send?.({ reply: id, result }),
      (error: unknown) =>
        process.send?.({ reply: id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
