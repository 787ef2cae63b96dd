// `pnpm run test:built`: runs the test projects of vitest.workspace.ts that resolve the workspace
// packages to their build, after checking there is one and that it is not older than the source
// (`pnpm build` first): a stale build would pass or fail for code that is no longer there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['core', 'node', 'browser', 'devmesh'];
/** Besides each package's src/: what else the build is made from. */
const BUILD_INPUTS = ['packages/core/scripts/internalProperties.mjs', 'scripts/rollup', 'rollup.config.mjs'];

/** The newest modification time of a file or of any file below a folder; tests are not built. */
function newest(path) {
  if (/\.test(-d)?\.ts$/.test(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const problems = [];
for (const name of PACKAGES) {
  const built = `packages/${name}/dist/index.js`;
  if (!existsSync(built)) {
    problems.push(`no build of ${name}`);
    continue;
  }
  const inputs = [`packages/${name}/src`, ...BUILD_INPUTS];
  if (Math.max(...inputs.map(newest)) > statSync(built).mtimeMs)
    problems.push(`the build of ${name} is older than its source`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('; ')}: run \`pnpm build\` before \`pnpm run test:built\`\n`);
  process.exit(1);
}
const vitest = join('node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest');
const run = spawnSync(vitest, ['run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, CONNMIX_TEST_BUILD: '1' },
});
if (run.error) process.stderr.write(`vitest did not start: ${run.error.message}\n`);
process.exit(run.status ?? 1);
