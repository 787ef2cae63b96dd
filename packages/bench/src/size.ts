// Size: min+gzip of each client's minimal import, bundled by the same esbuild call (browser, ESM,
// minified, tree-shaken, gzip -9). The SDK is bundled from its sources, with core's internal
// property names shortened as its build shortens them (packages/core/scripts/internalProperties.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));

const CONNMIX = "connmix: import { connect } from '@connmix/browser'";

export const ENTRIES: Record<string, string> = {
  [CONNMIX]: "export { connect } from '@connmix/browser';",
  'tRPC: createTRPCClient + createWSClient + wsLink':
    "export { createTRPCClient, createWSClient, wsLink } from '@trpc/client';",
  'phoenix: import { Socket }': "export { Socket } from 'phoenix';",
  'socket.io-client: import { io }': "export { io } from 'socket.io-client';",
  'centrifuge: import { Centrifuge }': "export { Centrifuge } from 'centrifuge';",
  'nats-core: import { wsconnect }': "export { wsconnect } from '@nats-io/nats-core';",
};

/** The part of esbuild's API used here. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{
    outputFiles: Array<{ text: string }>;
    metafile?: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  }>;
}

/** The esbuild that size-limit uses (it is not a direct dependency of the repository). */
async function loadEsbuild(): Promise<Esbuild> {
  const fromRoot = createRequire(new URL('../../../package.json', import.meta.url));
  const preset = createRequire(fromRoot.resolve('@size-limit/preset-small-lib'));
  const plugin = createRequire(preset.resolve('@size-limit/esbuild'));
  const esbuild = (await import(pathToFileURL(plugin.resolve('esbuild')).href)) as { default?: unknown };
  return (esbuild.default ?? esbuild) as Esbuild;
}

export interface BundleSize {
  minified: number;
  gzip: number;
  /**
   * Each of the SDK's own source files in the bundle: its minified bytes, and what it costs the
   * gzip figure (the bundle's gzip size less that of the bundle with its bytes cut out). gzip has
   * no per-file figure: text repeated elsewhere costs little, so the costs do not add up to the
   * total, and a file's cost is what leaving it out would save.
   */
  parts: Map<string, { minified: number; gzipCost: number }>;
}

/** esbuild's options for the renaming core's build does (`mangleCache` fixes each new name). */
async function coreRenaming(): Promise<Record<string, unknown>> {
  const list = new URL('../../core/scripts/internalProperties.mjs', import.meta.url).href;
  const { shortNames } = (await import(list)) as { shortNames(): Record<string, string> };
  const names = shortNames();
  return { mangleProps: new RegExp(`^(?:${Object.keys(names).join('|')})$`), mangleCache: names };
}

export async function benchSize(): Promise<Map<string, BundleSize>> {
  const esbuild = await loadEsbuild();
  const renaming = await coreRenaming();
  const out = new Map<string, BundleSize>();
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const result = await esbuild.build({
      metafile: true,
      stdin: { contents, resolveDir: here, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      treeShaking: true,
      write: false,
      logLevel: 'silent',
      conditions: ['@connmix/source'],
      ...(name === CONNMIX ? renaming : {}),
    });
    const code = result.outputFiles[0]!.text;
    const gzip = gzipSize(code);
    const parts = new Map<string, { minified: number; gzipCost: number }>();
    // The metafile lists an output's inputs in the order their code appears in it.
    let offset = 0;
    for (const output of Object.values(result.metafile?.outputs ?? {})) {
      for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
        const own = /([a-z]+\/src\/.+)$/.exec(file);
        if (own && bytesInOutput > 0) {
          const without = code.slice(0, offset) + code.slice(offset + bytesInOutput);
          parts.set(own[1]!, { minified: bytesInOutput, gzipCost: gzip - gzipSize(without) });
        }
        offset += bytesInOutput;
      }
    }
    out.set(name, { minified: code.length, gzip, parts });
  }
  return out;
}

function gzipSize(text: string): number {
  return gzipSync(text, { level: 9 }).length;
}
