// The release, short of publishing (`pnpm release:dry`; `--no-build` reuses the build output):
//   1. build every package;
//   2. pack each publishable package into a tarball, as `pnpm publish` would (workspace ranges
//      become versions);
//   3. publint and attw (node16 profile) on each tarball;
//   4. install the tarballs in a fresh project outside the workspace, then import every entry of
//      every package in Node ESM and Node CJS, bundle the browser-safe entries for a browser
//      (esbuild, platform browser), and import @connmix/browser and @connmix/core in Bun and Deno.
// Any failure is listed and the script exits with 1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { attwProblems, bin, loadEsbuild, publishablePackages, root, run } from './packageTools.mjs';

const failures = [];
const fail = (gate, message) => failures.push(`[${gate}] ${message}`);
const log = (message) => process.stdout.write(`${message}\n`);
const exec = (file, args, options = {}) =>
  run(file, args, {
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });

/** Packages a browser can load: their entries go through the browser bundle check. */
const BROWSER_PACKAGES = new Set(['@connmix/core', '@connmix/browser']);

const work = mkdtempSync(join(tmpdir(), 'connmix-release-'));
try {
  if (!process.argv.includes('--no-build')) {
    log('build');
    await exec('pnpm', ['run', 'build'], { cwd: root });
  }
  const packages = publishablePackages();

  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const pkg of packages) {
    const { stdout } = await exec('pnpm', ['pack', '--json', '--pack-destination', tarballs], {
      cwd: pkg.dir,
    });
    pkg.tarball = JSON.parse(stdout).filename;
    log(`\n${pkg.manifest.name}: ${pkg.tarball.slice(tarballs.length + 1)}`);
    await checkPublint(pkg);
    await checkAttw(pkg);
  }

  const project = join(work, 'project');
  mkdirSync(project);
  const dependencies = Object.fromEntries(packages.map((p) => [p.manifest.name, `file:${p.tarball}`]));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'connmix-release-check',
      private: true,
      type: 'module',
      dependencies,
      overrides: dependencies,
    }),
  );
  log('\ninstall the tarballs in a fresh project');
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });

  const entries = packages.flatMap(({ manifest }) =>
    Object.entries(manifest.exports ?? {})
      .filter(([subpath]) => subpath !== './package.json')
      .map(([subpath, target]) => ({
        pkg: manifest.name,
        specifier: subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
        kind: typeof target === 'string' ? (target.endsWith('.json') ? 'json' : 'file') : 'code',
      })),
  );
  await checkNode(project, entries);
  await checkBrowserBundle(
    project,
    entries.filter((e) => BROWSER_PACKAGES.has(e.pkg) && e.kind === 'code'),
  );
  await checkOtherRuntimes(project);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(
    `\n${failures.length} release check(s) failed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
log('\nrelease dry run passed');

async function checkPublint({ manifest, tarball }) {
  const { messages, pkg } = await publint({
    pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer },
    level: 'suggestion',
    strict: true,
  });
  for (const message of messages) {
    fail(`${manifest.name} publint`, `${message.type}: ${formatMessage(message, pkg, { color: false })}`);
  }
  log(`  publint (tarball): ${messages.length === 0 ? 'clean' : `${messages.length} message(s)`}`);
}

async function checkAttw({ manifest, tarball }) {
  let problems;
  try {
    problems = await attwProblems([tarball], manifest);
  } catch (error) {
    return fail(`${manifest.name} attw`, `attw did not run: ${error.message}`);
  }
  for (const problem of problems) fail(`${manifest.name} attw`, problem);
  log(
    `  attw (tarball, node16 profile): ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`,
  );
}

/** Every entry loads with `import` and with `require` from the installed tarballs. */
async function checkNode(project, entries) {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/package.json');
    const out = [];
    for (const { specifier, kind } of ${JSON.stringify(entries)}) {
      if (kind === 'file') { require.resolve(specifier); out.push([specifier, 'resolves', 'resolves']); continue; }
      const esm = kind === 'json'
        ? Object.keys((await import(specifier, { with: { type: 'json' } })).default).length
        : Object.keys(await import(specifier)).filter((k) => k !== 'default').length;
      const cjs = Object.keys(require(specifier)).filter((k) => k !== 'default' && k !== '__esModule').length;
      out.push([specifier, esm, cjs]);
    }
    process.stdout.write(JSON.stringify(out));`;
  let results;
  try {
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    results = JSON.parse(stdout);
  } catch (error) {
    return fail(
      'node',
      `an entry does not load from the installed tarballs: ${error.stderr || error.message}`,
    );
  }
  for (const [specifier, esm, cjs] of results) {
    if (esm !== cjs || esm === 0) fail('node', `${specifier}: ESM has ${esm} export(s), CJS ${cjs}`);
  }
  log(
    `  node: ${results.length} entries load with import and require (${results.map(([s]) => s).join(', ')})`,
  );
}

/** The browser-safe entries bundle for a browser with no Node built-in. */
async function checkBrowserBundle(project, entries) {
  const esbuild = await loadEsbuild();
  const contents = entries.map((e, i) => `export * as e${i} from ${JSON.stringify(e.specifier)};`).join('\n');
  try {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: project, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    log(
      `  browser bundle of ${entries.map((e) => e.specifier).join(', ')}: ${result.outputFiles[0].text.length} B minified`,
    );
  } catch (error) {
    fail('browser bundle', error.message);
  }
}

/** Bun and Deno load the installed packages through their exports maps, with no bundler. */
async function checkOtherRuntimes(project) {
  const script = join(project, 'runtime-check.mjs');
  writeFileSync(
    script,
    `import { connect, createRestClient, browserTransport } from '@connmix/browser';
     import { createCodec } from '@connmix/core';
     import { WireFrame } from '@connmix/core/schema';
     const ok = [connect, createRestClient, browserTransport, createCodec].every((f) => typeof f === 'function')
       && WireFrame.safeParse({ E: null, r: { s: true }, i: 1 }).success;
     console.log(ok ? 'ok' : 'missing exports');`,
  );
  for (const [name, args] of [
    ['bun', [bin('bun'), ['run', script]]],
    ['deno', [bin('deno'), ['run', '--allow-read', '--allow-env', script]]],
  ]) {
    try {
      const { stdout } = await exec(args[0], args[1], { cwd: project });
      if (stdout.trim() !== 'ok') fail(name, `imports gave: ${stdout.trim()}`);
      else
        log(`  ${name}: @connmix/browser, @connmix/core and @connmix/core/schema import from the tarballs`);
    } catch (error) {
      fail(name, `the installed packages do not load: ${error.stderr || error.message}`);
    }
  }
}
