// Builds every publishable package: ESM (.js), CommonJS (.cjs) and bundled types (.d.ts, .d.cts).
// Entry points come from each package's `exports` map, so a new subpath needs no change here.
import { readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { shortenProperties } from './scripts/rollup/shortenProperties.mjs';

const packagesDir = 'packages';
const only = process.env.PACKAGE; // build one package: PACKAGE=core pnpm build

function publishablePackages() {
  return readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, 'package.json')))
    .filter((name) => !only || name === only)
    .map((name) => {
      const dir = join(packagesDir, name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { dir, manifest };
    })
    .filter(({ manifest }) => !manifest.private);
}

/** `{ index: 'packages/x/src/index.ts', schema: ... }` from the source condition of each export. */
function entries({ dir, manifest }) {
  const input = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    input[name] = join(dir, target['@connmix/source']);
  }
  for (const [name, source] of Object.entries(manifest.connmixBin ?? {})) input[name] = join(dir, source);
  return input;
}

function externalFor(manifest) {
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const builtins = new Set(builtinModules);
  return (id) =>
    id.startsWith('node:') || builtins.has(id) || deps.some((dep) => id === dep || id.startsWith(`${dep}/`));
}

/**
 * The package's internal property names and their short names, when it lists them in
 * `scripts/internalProperties.mjs` (core does: see there why, and what a listed name must meet).
 */
async function internalProperties(dir) {
  const list = join(dir, 'scripts/internalProperties.mjs');
  if (!existsSync(list)) return undefined;
  const { shortNames } = await import(pathToFileURL(resolve(list)).href);
  return shortNames();
}

/**
 * Empties a package's dist/ as its build starts (its JS build runs before its types build). Chunk
 * names carry a content hash: without this, every build would leave the previous chunks behind
 * and `files: ["dist"]` would publish them.
 */
function cleanDist(dist) {
  return { name: 'clean-dist', buildStart: () => rmSync(dist, { recursive: true, force: true }) };
}

const packages = await Promise.all(
  publishablePackages().map(async (pkg) => ({ ...pkg, shortNames: await internalProperties(pkg.dir) })),
);

export default packages.flatMap((pkg) => {
  const input = entries(pkg);
  const external = externalFor(pkg.manifest);
  const dist = join(pkg.dir, 'dist');
  return [
    {
      input,
      external,
      plugins: [
        cleanDist(dist),
        typescript({
          tsconfig: join(pkg.dir, 'tsconfig.json'),
          include: [join(pkg.dir, 'src/**/*.ts')],
          exclude: ['**/*.test.ts', '**/*.test-d.ts'],
          compilerOptions: { noEmit: false, declaration: false, sourceMap: true, outDir: dist },
        }),
        pkg.shortNames && shortenProperties(pkg.shortNames),
      ],
      output: [
        {
          dir: dist,
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: '[name]-[hash].js',
          sourcemap: true,
        },
        {
          dir: dist,
          format: 'cjs',
          entryFileNames: '[name].cjs',
          chunkFileNames: '[name]-[hash].cjs',
          sourcemap: true,
          exports: 'named',
        },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: join(pkg.dir, 'tsconfig.json') })],
      output: [
        { dir: dist, format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' },
        { dir: dist, format: 'es', entryFileNames: '[name].d.cts', chunkFileNames: '[name]-[hash].d.cts' },
      ],
    },
  ];
});
