import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Pids of every live process in a process group (Linux: field 5 of /proc/PID/stat). */
function processGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: count fields after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** Whether something accepts connections on a loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `npm start` in its own process group; resolves with its output once it printed its URLs. */
async function npmStart(): Promise<{
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}> {
  const child = spawn('npm', ['start', '--', '--bots', '1', '--port', '0'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      // The URLs come in several writes: wait for the line after the last of them.
      const printed = /^dashboard\s+http:\/\/\S+/m.test(output) && /^chat page\s+http:\/\/\S+/m.test(output);
      if (printed && output.includes('Ctrl-C stops.')) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) =>
      reject(new Error(`npm start exited with ${code} before printing its URLs:\n${output}`)),
    );
  });
  return { child, output: () => output, exited };
}

/** Every port in the URLs `npm start` printed (web server, center, engines). */
function printedPorts(output: string): number[] {
  return [
    ...new Set([...output.matchAll(/(?:http|ws):\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]))),
  ];
}

const STOPS = [
  { signal: 'SIGTERM', to: 'its npm process' },
  { signal: 'SIGINT', to: 'its npm process' },
  // What Ctrl-C in a terminal does: the whole foreground process group gets SIGINT.
  { signal: 'SIGINT', to: 'its process group' },
] as const;

describe.each(STOPS)('npm start, stopped with $signal to $to', ({ signal, to }) => {
  it(
    'prints its URLs, then stops leaving no process of its group and no port bound',
    { timeout: 120_000 },
    async () => {
      const { child, output, exited } = await npmStart();
      const pgid = child.pid!;
      const ports = printedPorts(output());
      // Web server, center, and two engines with two ports each.
      expect(ports).toHaveLength(6);
      for (const port of ports) expect(await listening(port)).toBe(true);
      expect(processGroup(pgid).length).toBeGreaterThan(1);

      process.kill(to === 'its npm process' ? pgid : -pgid, signal);
      expect(await exited).toBe(0);
      expect(output()).toMatch(new RegExp(`${signal}: stopping[\\s\\S]*\\nstopped\\n`));
      // npm exits after its child; anything the child left behind would still be in the group.
      await expect.poll(() => processGroup(pgid), { timeout: 10_000 }).toEqual([]);
      for (const port of ports) expect(await listening(port)).toBe(false);
    },
  );
});
