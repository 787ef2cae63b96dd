// A Rollup plugin that renames a package's internal property names in its build output, with
// esbuild's property mangling. Bundlers keep property names as written, so a long internal name
// costs every application that bundles the package; a local variable's name costs nothing.
import { transform } from 'esbuild';

/**
 * @param {Record<string, string>} names each internal property name and the name it gets. The
 *   mapping is fixed by the caller rather than chosen by esbuild, so that every chunk, both module
 *   formats and every build give a property the same name.
 */
export function shortenProperties(names) {
  const pattern = new RegExp(`^(?:${Object.keys(names).join('|')})$`);
  return {
    name: 'shorten-properties',
    async renderChunk(code, chunk) {
      // In CommonJS output a named import from a dependency is a property of its module object
      // (`zod.codec`), which would be renamed while the dependency keeps its name.
      for (const [source, bindings] of Object.entries(chunk.importedBindings)) {
        const external = !source.startsWith('.') && !source.startsWith('/');
        const renamed = bindings.filter((binding) => Object.hasOwn(names, binding));
        if (external && renamed.length > 0) {
          this.error(
            `${chunk.fileName} imports ${renamed.join(', ')} from ${source}, a name the build renames: take it out of the list of internal property names`,
          );
        }
      }
      const result = await transform(code, {
        loader: 'js',
        sourcemap: true,
        mangleProps: pattern,
        // Quoted keys (`obj['name']`, `'name' in obj`) would keep their names while the rest are
        // renamed: the package's tests refuse such code for a listed name.
        mangleQuoted: false,
        mangleCache: { ...names },
        // Keeps the output as Rollup wrote it otherwise: no minifying, the same syntax level.
        target: 'esnext',
        legalComments: 'inline',
      });
      return { code: result.code, map: result.map };
    },
  };
}
