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
      exclude: ['test/**/*.browser.test.ts'],
      environment: 'node',
      // Real sockets on a loaded machine can take seconds; a passing test never waits this long.
      testTimeout: 15_000,
      setupFiles: ['../../scripts/fail-on-console.ts'],
      ...extra,
    },
  }) satisfies TestProjectInlineConfiguration;

const projects: TestProjectInlineConfiguration[] = [
  nodeProject('core', {
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: 'tsconfig.test.json' },
  }),
  nodeProject('node'),
  nodeProject('devmesh'),
  nodeProject('cli'),
  nodeProject('example', {}, 'examples/chat'),
];

if (existsSync('packages/browser/test')) {
  projects.push({
    ...resolveToSource,
    // Pre-bundled up front: discovered mid-run, Vite would reload the page under a running test.
    optimizeDeps: { include: ['@connmix/core > mitt'] },
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

export default projects;
