// What the package checks (check-packages.mjs) and the release dry run (release-dry.mjs) share.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const root = resolve(import.meta.dirname, '..');
export const run = promisify(execFile);
export const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Every package under packages/ that is published, with its manifest. */
export function publishablePackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

/** The esbuild that size-limit uses (it is not a direct dependency of the repository). */
export async function loadEsbuild() {
  const fromRoot = createRequire(join(root, 'package.json'));
  const preset = createRequire(fromRoot.resolve('@size-limit/preset-small-lib'));
  const plugin = createRequire(preset.resolve('@size-limit/esbuild'));
  const esbuild = await import(pathToFileURL(plugin.resolve('esbuild')).href);
  return esbuild.default ?? esbuild;
}

/**
 * attw (@arethetypeswrong/cli) on a package folder (`--pack`) or a tarball, node16 profile: node16
 * CJS, node16 ESM and bundler resolution (node10 cannot resolve subpath exports at all). Data files
 * such as asyncapi.yaml are exported to be read, not imported, so they are left out. Resolves with
 * the problems as strings, or rejects when attw does not run.
 */
export async function attwProblems(target, manifest) {
  const args = [...target, '--profile', 'node16', '--no-definitely-typed', '--format', 'json'];
  const dataFiles = Object.entries(manifest.exports ?? {})
    .filter(([, file]) => typeof file === 'string' && !/\.(?:[cm]?js|json)$/.test(file))
    .map(([subpath]) => subpath);
  if (dataFiles.length > 0) args.push('--exclude-entrypoints', ...dataFiles);
  let output;
  try {
    output = (await run(bin('attw'), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    // attw exits 1 when it finds problems, with its report on stdout.
    output = error.stdout;
    if (!output) throw error;
  }
  return (JSON.parse(output).analysis?.problems ?? [])
    .filter((problem) => problem.resolutionKind !== 'node10')
    .map(
      (problem) =>
        `${problem.kind}${problem.entrypoint ? ` at ${problem.entrypoint}` : ''}${problem.resolutionKind ? ` (${problem.resolutionKind})` : ''}`,
    );
}
