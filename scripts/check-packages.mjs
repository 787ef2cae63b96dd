// Package quality gates, run on the build output (`pnpm build` first; `pnpm run check:package`).
// For every publishable package under packages/:
//   1. manifest: ESM + CJS + types for every export, files present, "sideEffects": false;
//   2. publint (strict: warnings fail too);
//   3. attw (@arethetypeswrong/cli), node16 profile: node16 CJS, node16 ESM and bundler resolution;
//   4. runtime: every entry loads with `import` and with `require`, exporting the same names;
//   5. internal names: no property name that core's build shortens (its
//      scripts/internalProperties.mjs) is named in any package's declarations.
// Then, for the browser:
//   6. the minified browser bundle of `import { connect } from '@connmix/browser'` holds no `ws`,
//      no `isomorphic-ws`, no `node:` import and no Node built-in; zod is reported if it gets in;
//   7. size-limit (.size-limit.json): that bundle stays within its min+gzip budget.
// Any failure is listed and the script exits with 1.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { publint } from 'publint';
import ts from 'typescript';
import { formatMessage } from 'publint/utils';
import { attwProblems, bin, loadEsbuild, publishablePackages, root, run } from './packageTools.mjs';

const failures = [];
const fail = (gate, message) => failures.push(`[${gate}] ${message}`);
const log = (message) => process.stdout.write(`${message}\n`);

const packages = publishablePackages();

for (const pkg of packages) {
  const name = pkg.manifest.name;
  log(`\n${name}`);
  if (!existsSync(join(pkg.dir, 'dist'))) {
    fail(
      name,
      `no dist/ in ${relative(root, pkg.dir)}: run \`pnpm build\` before \`pnpm run check:package\``,
    );
    continue;
  }
  checkManifest(pkg);
  await checkPublint(pkg);
  await checkAttw(pkg);
  await checkRuntime(pkg);
}

log('\ninternal property names');
await checkInternalNames();

const browser = packages.find(({ manifest }) => manifest.name === '@connmix/browser');
if (browser && existsSync(join(browser.dir, 'dist'))) {
  log('\nbrowser bundle');
  await checkBrowserBundle(browser);
  await checkSizeLimit();
} else {
  fail('bundle', '@connmix/browser is missing or not built');
}

if (failures.length > 0) {
  process.stderr.write(
    `\n${failures.length} package check(s) failed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
log('\nall package checks passed');

/** ESM + CJS + types for every export, the files exist, and the package is side-effect free. */
function checkManifest({ dir, manifest }) {
  const gate = `${manifest.name} manifest`;
  if (manifest.sideEffects !== false)
    fail(gate, '"sideEffects" must be false (bundlers drop unused modules)');
  if (manifest.type !== 'module') fail(gate, '"type" must be "module"');
  if (!manifest.files?.includes('dist')) fail(gate, '"files" must include "dist"');
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === 'string') continue;
    for (const [condition, extension] of [
      ['import', '.js'],
      ['require', '.cjs'],
    ]) {
      const entry = target[condition];
      const typesExtension = condition === 'import' ? '.d.ts' : '.d.cts';
      if (!entry?.types?.endsWith(typesExtension) || !entry?.default?.endsWith(extension)) {
        fail(
          gate,
          `exports["${subpath}"].${condition} needs { types: *${typesExtension}, default: *${extension} }`,
        );
        continue;
      }
      for (const file of [entry.types, entry.default]) {
        if (!existsSync(join(dir, file)))
          fail(gate, `exports["${subpath}"].${condition} points at missing ${file}`);
      }
    }
  }
  log(
    `  manifest: ESM + CJS + types for ${Object.keys(manifest.exports ?? {}).length} export(s), sideEffects false`,
  );
}

async function checkPublint({ dir, manifest }) {
  const { messages, pkg } = await publint({ pkgDir: dir, level: 'suggestion', strict: true, pack: 'pnpm' });
  for (const message of messages) {
    fail(`${manifest.name} publint`, `${message.type}: ${formatMessage(message, pkg, { color: false })}`);
  }
  log(`  publint: ${messages.length === 0 ? 'clean' : `${messages.length} message(s)`}`);
}

async function checkAttw({ dir, manifest }) {
  let problems;
  try {
    problems = await attwProblems(['--pack', dir], manifest);
  } catch (error) {
    fail(`${manifest.name} attw`, `attw did not run: ${error.message}`);
    return;
  }
  for (const problem of problems) fail(`${manifest.name} attw`, problem);
  log(`  attw (node16 profile): ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`);
}

/** Every export loads in plain Node with `import` and `require`, with the same names. */
async function checkRuntime({ dir, manifest }) {
  const specifiers = Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target !== 'string')
    .map(([subpath]) => (subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`));
  // Runs inside the package, so its name resolves through its own exports map (self-reference).
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/package.json');
    const out = {};
    for (const specifier of ${JSON.stringify(specifiers)}) {
      const esm = Object.keys(await import(specifier)).filter((k) => k !== 'default').sort();
      const cjs = Object.keys(require(specifier)).filter((k) => k !== 'default' && k !== '__esModule').sort();
      out[specifier] = { esm, cjs };
    }
    process.stdout.write(JSON.stringify(out));`;
  let result;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    result = JSON.parse(stdout);
  } catch (error) {
    fail(`${manifest.name} runtime`, `an entry does not load in Node: ${error.stderr || error.message}`);
    return;
  }
  for (const [specifier, { esm, cjs }] of Object.entries(result)) {
    if (esm.join() !== cjs.join()) {
      fail(`${manifest.name} runtime`, `${specifier}: ESM exports [${esm}] differ from CJS exports [${cjs}]`);
    }
    if (esm.length === 0 && specifier !== manifest.name)
      fail(`${manifest.name} runtime`, `${specifier} exports nothing`);
  }
  log(`  runtime: ${Object.keys(result).length} entry(ies) load with import and require, same exports`);
}

/**
 * The build renames the properties a package lists as internal, so none may be part of what a
 * package declares: another package, or an application, would reach it by a name that is gone.
 */
async function checkInternalNames() {
  const gate = 'internal names';
  const lists = packages.filter(({ dir }) => existsSync(join(dir, 'scripts/internalProperties.mjs')));
  for (const { dir, manifest } of lists) {
    const listUrl = pathToFileURL(join(dir, 'scripts/internalProperties.mjs')).href;
    const listed = new Set((await import(listUrl)).INTERNAL_PROPERTIES);
    let files = 0;
    let named = 0;
    for (const pkg of packages) {
      const dist = join(pkg.dir, 'dist');
      if (!existsSync(dist)) continue;
      for (const file of readdirSync(dist).filter((name) => /\.d\.c?ts$/.test(name))) {
        files += 1;
        for (const name of identifiers(readFileSync(join(dist, file), 'utf8'))) {
          if (!listed.has(name)) continue;
          named += 1;
          fail(
            gate,
            `${relative(root, join(dist, file))} names ${name}, which ${manifest.name}'s build renames`,
          );
        }
      }
    }
    log(
      named === 0
        ? `  ${manifest.name}: none of its ${listed.size} renamed names is in the ${files} declaration files`
        : `  ${manifest.name}: ${named} use(s) of its renamed names in declaration files`,
    );
  }
}

/**
 * The names in a declaration file's code (its comments are not read), keywords included: a member
 * may be called `return` or `delete`.
 */
function identifiers(text) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const names = new Set();
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (ts.tokenIsIdentifierOrKeyword(kind)) names.add(scanner.getTokenText());
  }
  return names;
}

/** Bundles `import { connect } from '@connmix/browser'` for a browser, minified, from the build output. */
async function checkBrowserBundle({ dir, manifest }) {
  const gate = 'browser bundle';
  const esbuild = await loadEsbuild();
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const nodeImports = new Set();
  const entry = join(dir, manifest.exports['.'].import.default);
  let result;
  try {
    result = await esbuild.build({
      stdin: { contents: `export { connect } from ${JSON.stringify(entry)};`, resolveDir: dir, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      treeShaking: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-node-imports',
          setup(build) {
            build.onResolve({ filter: /.*/ }, ({ path, importer }) => {
              if (!path.startsWith('node:') && !builtins.has(path)) return undefined;
              nodeImports.add(`${path} (imported by ${relative(root, importer) || 'the entry'})`);
              return { path, external: true };
            });
          },
        },
      ],
    });
  } catch (error) {
    fail(gate, `the browser bundle does not build: ${error.message}`);
    return;
  }
  const code = result.outputFiles[0].text;
  // What is in the bundle is what contributes bytes: a module esbuild visited and then dropped
  // (a bare `import 'zod'` of a side-effect-free package) is not.
  const [output] = Object.values(result.metafile.outputs);
  const bundled = Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0);
  const packagesIn = new Set(bundled.map(([file]) => packageOf(file)).filter(Boolean));
  const visitedOnly = new Set(
    Object.keys(result.metafile.inputs)
      .map(packageOf)
      .filter((pkg) => pkg && !packagesIn.has(pkg)),
  );
  for (const forbidden of ['ws', 'isomorphic-ws']) {
    if (packagesIn.has(forbidden) || visitedOnly.has(forbidden)) {
      fail(gate, `the bundle reaches ${forbidden}: ${importChain(result.metafile, forbidden)}`);
    }
  }
  for (const nodeImport of nodeImports) fail(gate, `the bundle imports the Node built-in ${nodeImport}`);
  if (
    /\bfrom\s*["'](?:node:|ws["'])|\brequire\(\s*["'](?:node:|ws["'])|\bimport\(\s*["'](?:node:|ws["'])/.test(
      code,
    )
  ) {
    fail(gate, 'the bundle text imports `ws` or a `node:` module');
  }
  const gzip = gzipSync(code, { level: 9 }).length;
  log(`  import { connect } from '@connmix/browser': ${code.length} B minified, ${gzip} B min+gzip`);
  log(`  packages in it: ${[...packagesIn].sort().join(', ') || '(workspace code only)'}`);
  log(`  largest modules: ${largest(bundled, 5)}`);
  if (packagesIn.has('zod')) {
    // The hot path has its own decoder and validator: zod in this bundle is a regression.
    fail(gate, `zod reached the client bundle: ${importChain(result.metafile, 'zod')}`);
  } else if (visitedOnly.has('zod')) {
    log(
      `  zod: not in the bundle (imported, then dropped as side-effect free: ${importChain(result.metafile, 'zod')})`,
    );
  } else {
    log('  zod: not in the bundle');
  }
}

function largest(bundled, count) {
  return [...bundled]
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, count)
    .map(([file, { bytesInOutput }]) => `${relative(root, file)} ${bytesInOutput} B`)
    .join(', ');
}

/** The npm package a bundled file belongs to (workspace sources have none). */
function packageOf(file) {
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}

/** How the bundle's entry reaches a package, file by file: the lead when it must not be there. */
function importChain(metafile, pkg) {
  const parents = new Map();
  const queue = ['<stdin>'];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const { path } of metafile.inputs[file]?.imports ?? []) {
      if (parents.has(path) || !metafile.inputs[path]) continue;
      parents.set(path, file);
      if (packageOf(path) === pkg) {
        const chain = [path];
        for (let at = file; at && at !== '<stdin>'; at = parents.get(at)) chain.unshift(at);
        return chain.map((file) => relative(root, file) || file).join(' -> ');
      }
      queue.push(path);
    }
  }
  return '(import chain not found)';
}

/** size-limit, configured in .size-limit.json: min+gzip budgets of the browser entry points. */
async function checkSizeLimit() {
  let output;
  try {
    output = (await run(bin('size-limit'), ['--json'], { cwd: root })).stdout;
  } catch (error) {
    output = error.stdout;
    if (!output) {
      fail('size-limit', `size-limit did not run: ${error.stderr || error.message}`);
      return;
    }
  }
  for (const check of JSON.parse(output)) {
    const budget = check.sizeLimit === undefined ? '' : ` (budget ${check.sizeLimit} B)`;
    log(`  size-limit ${check.name}: ${check.size} B min+gzip${budget}`);
    if (!check.passed)
      fail('size-limit', `${check.name} is ${check.size} B, over its budget of ${check.sizeLimit} B`);
  }
}
