// `pnpm run test:built`: runs the test projects of vitest.workspace.ts that resolve the workspace
// packages to their build, after checking there is one (`pnpm build` first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const missing = ['core', 'node', 'browser', 'devmesh'].filter(
  (name) => !existsSync(`packages/${name}/dist/index.js`),
);
if (missing.length > 0) {
  process.stderr.write(
    `no build of ${missing.join(', ')}: run \`pnpm build\` before \`pnpm run test:built\`\n`,
  );
  process.exit(1);
}
const run = spawnSync('vitest', ['run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, CONNMIX_TEST_BUILD: '1' },
});
process.exit(run.status ?? 1);
