// `pnpm test:reliability`: the reliability project at full counts, then the figures each scenario
// recorded, printed as one table (the figures RELIABILITY.md publishes). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const root = join(import.meta.dirname, '..', '..', '..');
const figuresDir = join(import.meta.dirname, '..', 'figures');
rmSync(figuresDir, { recursive: true, force: true });

const started = Date.now();
const run = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--project', 'reliability', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CONNMIX_RELIABILITY: 'full' },
  },
);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const out = (line = '') => process.stdout.write(`${line}\n`);
out();
out(
  `Reliability figures (full counts), ${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${minutes} min`,
);
if (existsSync(figuresDir)) {
  for (const file of readdirSync(figuresDir).sort()) {
    const { scenario, ...figures } = JSON.parse(readFileSync(join(figuresDir, file), 'utf8'));
    out(
      `- ${scenario}: ${Object.entries(figures)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ')}`,
    );
  }
}
process.exit(run.status ?? 1);
