// The build renames the properties listed in `scripts/internalProperties.mjs` (see there why).
// Renaming is safe only for a property whose every use is core's own: this test reads core's
// source with the compiler's type checker and refuses a listed name that is spelled as a string,
// read from or written to something declared outside core (the ES library), or read where the
// checker cannot tell what it is.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(coreDir, 'src');

interface PropertyList {
  INTERNAL_PROPERTIES: string[];
  SHORT_NAMES: readonly string[];
  shortNames(names?: string[]): Record<string, string>;
}

// A computed specifier: the list is plain JavaScript, shared with the Rollup config.
const listUrl = pathToFileURL(join(coreDir, 'scripts/internalProperties.mjs')).href;
const list = (await import(listUrl)) as PropertyList;
const listed = new Set(list.INTERNAL_PROPERTIES);

function coreProgram(): ts.Program {
  const configPath = join(coreDir, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, coreDir);
  return ts.createProgram(parsed.fileNames, parsed.options);
}

const isCoreSource = (file: ts.SourceFile): boolean => !relative(sourceDir, file.fileName).startsWith('..');

/** Where a listed name is used in a way the renaming would break, as `file:line: what`. */
function unsafeUses(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  const declaredInCore = (symbol: ts.Symbol | undefined): boolean => {
    const declarations = symbol?.declarations ?? [];
    return declarations.length > 0 && declarations.every((node) => isCoreSource(node.getSourceFile()));
  };
  for (const file of program.getSourceFiles().filter(isCoreSource)) {
    const report = (node: ts.Node, what: string) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      problems.push(`${relative(coreDir, file.fileName)}:${line + 1}: ${what}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && listed.has(node.text)) {
        report(node, `'${node.text}' is spelled as a string, which the renaming would not follow`);
      } else if (ts.isPropertyAccessExpression(node) && listed.has(node.name.text)) {
        if (!declaredInCore(checker.getSymbolAtLocation(node.name))) {
          report(node, `.${node.name.text} is not (only) a property that core declares`);
        }
      } else if (ts.isObjectLiteralExpression(node)) {
        // A literal handed to something outside core must keep the names that something reads.
        const contextual = checker.getContextualType(node);
        for (const member of node.properties) {
          const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
          if (name === undefined || !listed.has(name) || !contextual) continue;
          const target = contextual.getProperty(name);
          if (target && !declaredInCore(target)) report(member, `${name} is read by code outside core`);
        }
      } else if (ts.isObjectBindingPattern(node)) {
        const type = checker.getTypeAtLocation(node);
        for (const element of node.elements) {
          const key = element.propertyName ?? element.name;
          if (!ts.isIdentifier(key) || !listed.has(key.text)) continue;
          if (!declaredInCore(type.getProperty(key.text))) {
            report(element, `{ ${key.text} } is taken from a value core does not declare`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return problems;
}

describe('the internal property names the build shortens', () => {
  it('are each used only as core declares them', () => {
    // Fails with the places to change, or the names to take out of the list.
    expect(unsafeUses(coreProgram())).toEqual([]);
  });

  it('are each in use, listed once, and get names that no property of core has', () => {
    expect(list.INTERNAL_PROPERTIES.length).toBe(listed.size);
    const program = coreProgram();
    const propertyNames = new Set<string>();
    for (const file of program.getSourceFiles().filter(isCoreSource)) {
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAccessExpression(node)) propertyNames.add(node.name.text);
        if (
          (ts.isPropertyAssignment(node) ||
            ts.isShorthandPropertyAssignment(node) ||
            ts.isPropertySignature(node)) &&
          ts.isIdentifier(node.name)
        ) {
          propertyNames.add(node.name.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    expect(list.INTERNAL_PROPERTIES.filter((name) => !propertyNames.has(name))).toEqual([]);
    const short = Object.values(list.shortNames());
    expect(new Set(short).size).toBe(short.length);
    expect(short.filter((name) => propertyNames.has(name))).toEqual([]);
  });

  it('refuses a list longer than the short names it can give', () => {
    const tooMany = Array.from({ length: list.SHORT_NAMES.length + 1 }, (_, index) => `name${index}`);
    expect(() => list.shortNames(tooMany)).toThrow(
      `at most ${list.SHORT_NAMES.length} internal property names`,
    );
  });
});
