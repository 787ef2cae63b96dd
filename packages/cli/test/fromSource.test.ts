// `pnpm connmix <command>` at the repository root runs the CLI from its TypeScript source.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function pnpmConnmix(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('pnpm', ['--silent', 'connmix', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('pnpm connmix at the repository root', () => {
  test('with no command prints the usage on stderr and exits 2', { timeout: 30_000 }, async () => {
    const ran = await pnpmConnmix();
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toMatch(/^Usage: connmix <command> \[options\]\n/);
  });

  test('passes the command line on: nodes --help lists what nodes accepts', { timeout: 30_000 }, async () => {
    const ran = await pnpmConnmix('nodes', '--help');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: connmix nodes --center URL/);
    expect(ran.stdout).not.toContain('--url');
  });
});
