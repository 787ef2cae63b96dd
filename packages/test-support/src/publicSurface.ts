// The names entry points export, types and values alike, as the TypeScript compiler sees them:
// how the adapters' tests hold their re-export lists equal to the core's.
import ts from 'typescript';
import { expect, it } from 'vitest';

/** Every name each of `entries` exports (sorted), compiled in one program with the options of `tsconfig`. */
export function exportedNames(tsconfig: string, entries: readonly string[]): string[][] {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: entries, options: config.options });
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry} is not a module of the program`);
    const errors = ts.getPreEmitDiagnostics(program, source);
    if (errors.length > 0) {
      throw new Error(ts.flattenDiagnosticMessageText(errors[0]?.messageText, '\n'));
    }
    return checker
      .getExportsOfModule(module)
      .map((symbol) => symbol.name)
      .sort();
  });
}

/** The names `@connmix/core` exports and the names of the adapter whose package folder is `adapter`. */
export function adapterSurface(adapter: URL): { core: string[]; adapter: string[] } {
  const file = (path: string) => new URL(path, adapter).pathname;
  const [core = [], own = []] = exportedNames(file('tsconfig.json'), [
    file('../core/src/index.ts'),
    file('src/index.ts'),
  ]);
  return { core, adapter: own };
}

/**
 * Declares the two tests every adapter runs on its surface: it names every export of the core
 * (types included) and then `own`, and its values are the core's own objects.
 */
export function describeAdapterSurface(
  adapter: URL,
  own: readonly string[],
  modules: { core: Record<string, unknown>; adapter: Record<string, unknown> },
): void {
  it('names every export of @connmix/core, types included, then its own', () => {
    const names = adapterSurface(adapter);
    expect(names.core.length).toBeGreaterThan(80);
    expect(names.adapter).toEqual([...names.core, ...own].sort());
  });

  it('re-exports the core values themselves, not types of the same name', () => {
    for (const [name, value] of Object.entries(modules.core)) {
      expect(modules.adapter[name], name).toBe(value);
    }
  });
}
