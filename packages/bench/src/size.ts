// Size: min+gzip of each client's minimal import, bundled by the same esbuild call (browser, ESM,
// minified, tree-shaken, gzip -9). The SDK is bundled from its sources.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));

export const ENTRIES: Record<string, string> = {
  "connmix: import { connect } from '@connmix/browser'": "export { connect } from '@connmix/browser';",
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
  /** Minified bytes of each source file in the bundle (the SDK's own files only). */
  parts: Map<string, number>;
}

export async function benchSize(): Promise<Map<string, BundleSize>> {
  const esbuild = await loadEsbuild();
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
    });
    const code = result.outputFiles[0]!.text;
    const parts = new Map<string, number>();
    for (const output of Object.values(result.metafile?.outputs ?? {})) {
      for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
        const own = /([a-z]+\/src\/.+)$/.exec(file);
        if (own && bytesInOutput > 0) parts.set(own[1]!, bytesInOutput);
      }
    }
    out.set(name, { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, parts });
  }
  return out;
}
