import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.ts';

/**
 * Test projects. Workspace packages resolve to their TypeScript source through the
 * `@connmix/source` export condition, so no test ever needs a build first.
 */
const sourceCondition = '@connmix/source';
const resolveToSource = {
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
};

/**
 * The seed of every fast-check property in this run: printed here, reported by any failing
 * property, and replayed with `FC_SEED=<seed> pnpm test`.
 */
const fastCheckSeed = seedFrom(process.env['FC_SEED']);
process.stdout.write(
  `fast-check seed ${fastCheckSeed} (FC_SEED=${fastCheckSeed} replays the property tests)\n`,
);

function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${text}`);
  return seed;
}

const nodeProject = (
  name: string,
  extra: TestProjectInlineConfiguration['test'] = {},
  root = `packages/${name}`,
) =>
  ({
    ...resolveToSource,
    test: {
      name,
      root,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // `*.built.test.ts` needs the build: only `pnpm run test:built` runs it (see below).
      exclude: ['test/**/*.browser.test.ts', 'test/**/*.built.test.ts'],
      environment: 'node',
      // Real sockets on a loaded machine can take seconds; a passing test never waits this long.
      testTimeout: 15_000,
      setupFiles: ['../../scripts/fail-on-console.ts', '../../scripts/fast-check-seed.ts'],
      provide: { fastCheckSeed },
      ...extra,
    },
  }) satisfies TestProjectInlineConfiguration;

const projects: TestProjectInlineConfiguration[] = [
  nodeProject('core', {
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: 'tsconfig.test.json',
    },
  }),
  nodeProject('node'),
  nodeProject('devmesh'),
  nodeProject('cli'),
  nodeProject('example', {}, 'examples/chat'),
  nodeProject('serverless-publish', {}, 'examples/serverless-publish'),
  // The heap figures of the soak and drop scenarios need a full collection on demand.
  nodeProject('reliability', { execArgv: ['--expose-gc'] }),
];

// The browser package's checks that need Node rather than Chromium (the compiler reads its sources).
projects.push(nodeProject('browser-node', { include: ['test/**/*.node.test.ts'] }, 'packages/browser'));

// Bun and Deno run the browser adapter (test/runtimes/clientSuite.ts) against a dev mesh in Node.
projects.push(
  nodeProject('runtimes', { include: ['test/runtimes/*.test.ts'], testTimeout: 90_000 }, 'packages/browser'),
);

if (existsSync('packages/browser/test')) {
  projects.push({
    ...resolveToSource,
    test: {
      name: 'browser',
      root: 'packages/browser',
      include: ['test/**/*.browser.test.ts'],
      globalSetup: ['test/global-setup.ts'],
      testTimeout: 15_000,
      setupFiles: ['../../scripts/fail-on-console.ts'],
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
        instances: [{ browser: 'chromium' }],
      },
    },
  });
}

/**
 * `pnpm run test:built`: the adapters' tests (the browser's in Chromium), the dev mesh's and the
 * reliability suites again, with the workspace packages resolved to their build (`dist/`)
 * instead of their source, and the tests that load the build itself (`*.built.test.ts`: the
 * CommonJS files). The build is not the source compiled as is: it shortens core's internal
 * property names (`packages/core/scripts/internalProperties.mjs`), and these runs are what shows
 * that it still behaves the same.
 */
const builtProjects: TestProjectInlineConfiguration[] = ['node', 'devmesh', 'reliability', 'browser']
  .map((name) => projects.find((project) => project.test?.name === name))
  .filter((project) => project !== undefined)
  .map(({ test }) => ({
    test: {
      ...test,
      name: `${test!.name} (build)`,
      exclude: (test!.exclude ?? []).filter((pattern) => !pattern.includes('.built.')),
    },
  }));

export default process.env['CONNMIX_TEST_BUILD'] === '1' ? builtProjects : projects;
