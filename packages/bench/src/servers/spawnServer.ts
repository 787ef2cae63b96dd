import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  port: number;
  /** Everything the server announced besides its port (the dev mesh: its engines' URLs). */
  announced: Record<string, unknown>;
  /** Sends a command (answered by `answerCommands`) and resolves with the server's answer to it. */
  command<T = unknown>(command: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  reply: number;
  result?: unknown;
  error?: string;
}

/** Starts one of the servers beside this file in its own process and waits for its port. */
export async function spawnServer(name: string, args: readonly string[] = []): Promise<ServerProcess> {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const child: ChildProcess = fork(file, [...args], {
    execArgv: ['--conditions=@connmix/source', '--import', 'tsx'],
    stdio: 'inherit',
  });
  const announced = await new Promise<Record<string, unknown> & { port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Record<string, unknown> & { port: number }));
    child.once('exit', (code) => reject(new Error(`the ${name} server exited (code ${code})`)));
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  child.on('message', (message) => {
    const { reply, result, error } = message as Reply;
    const entry = waiting.get(reply);
    if (!entry) return;
    waiting.delete(reply);
    if (error === undefined) entry.resolve(result);
    else entry.reject(new Error(`the ${name} server: ${error}`));
  });
  child.once('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`the ${name} server exited (code ${code})`));
    waiting.clear();
  });
  return {
    port: announced.port,
    announced,
    command: <T>(command: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ ...command, id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
