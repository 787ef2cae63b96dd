import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnServer, type ServerProcess } from './spawnServer.ts';

/** Where `nats-server` is on PATH, or undefined (Debian: `apt-get install nats-server`). */
export function findNatsServer(): string | undefined {
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    const file = join(folder, 'nats-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Starts `nats-server` on a port the OS chooses (`-p -1`, read from its log) and a responder in
 * another process; `port` is the server's, and `stop` ends both.
 */
export async function startNats(binary: string): Promise<ServerProcess> {
  const server = spawn(binary, ['-a', '127.0.0.1', '-p', '-1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk: string) => {
      log += chunk;
      const found = /Listening for client connections on [^\s]+:(\d+)/.exec(log);
      if (!found) return;
      server.stderr.removeAllListeners('data');
      resolve(Number(found[1]));
    });
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`nats-server exited (code ${code}): ${log}`)));
  });
  server.stderr.resume();
  const stopServer = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill();
    });
  let responder: ServerProcess;
  try {
    responder = await spawnServer('natsResponder', [String(port)]);
  } catch (error) {
    await stopServer();
    throw error;
  }
  return {
    ...responder,
    port,
    stop: async () => {
      await responder.stop();
      await stopServer();
    },
  };
}
