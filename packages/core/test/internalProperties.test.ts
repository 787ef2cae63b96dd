// The build renames the properties listed in `scripts/internalProperties.mjs` (see there why).
// Renaming is safe only for a property whose every use is core's own: this test reads core's
// source with the compiler's type checker and refuses a listed name that is spelled as a string,
// that the platform calls by name, that something declared outside core (the ES library, a
// dependency, a shape core casts a foreign value to) reads or provides, or that is read where the
// checker cannot tell whose it is. It also refuses a short name that core already uses.
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

/**
 * Names the platform looks up on an object by itself: the iterator and thenable protocols,
 * `toJSON`, conversions, an event listener object. A class of core's that has one is called by
 * the runtime under that name, which no code of core spells.
 */
const PROTOCOL_NAMES = new Set([
  'next',
  'return',
  'throw',
  'then',
  'catch',
  'finally',
  'toJSON',
  'toString',
  'valueOf',
  'handleEvent',
  'constructor',
  'prototype',
  'name',
  'message',
  'cause',
  'stack',
  'length',
]);

function coreProgram(): ts.Program {
  const configPath = join(coreDir, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, coreDir);
  return ts.createProgram(parsed.fileNames, parsed.options);
}

const program = coreProgram();
const checker = program.getTypeChecker();
const isCoreSource = (file: ts.SourceFile): boolean => !relative(sourceDir, file.fileName).startsWith('..');
const coreFiles = program.getSourceFiles().filter(isCoreSource);

/** Each node of core's source, with its file. */
function* coreNodes(): Generator<[ts.Node, ts.SourceFile]> {
  for (const file of coreFiles) {
    const stack: ts.Node[] = [file];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      yield [node, file];
      node.forEachChild((child) => void stack.push(child));
    }
  }
}

const identifierName = (name: ts.Node | undefined): string | undefined =>
  name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) ? name.text : undefined;

/**
 * Property names that core's casts give foreign values (`globalThis as unknown as { … }`, a fetch
 * response): such a shape is declared in core's source, but what it describes is not core's.
 */
function castShapeNames(): Set<string> {
  const names = new Set<string>();
  for (const [node] of coreNodes()) {
    if (!ts.isAsExpression(node) && !ts.isTypeAssertionExpression(node)) continue;
    if (ts.isConstTypeReference(node.type)) continue; // `as const` narrows core's own literal
    const type = checker.getTypeFromTypeNode(node.type);
    for (const part of type.isUnion() ? type.types : [type]) {
      for (const property of part.getProperties()) names.add(property.name);
    }
  }
  return names;
}

/** Where a listed name is used in a way the renaming would break, as `file:line: what`. */
function unsafeUses(): string[] {
  const problems: string[] = [];
  const declaredInCore = (symbol: ts.Symbol | undefined): boolean => {
    const declarations = symbol?.declarations ?? [];
    return declarations.length > 0 && declarations.every((node) => isCoreSource(node.getSourceFile()));
  };
  /** What a type reads or provides under `name`: undefined when core declares it in every part. */
  const foreignIn = (type: ts.Type, name: string): string | undefined => {
    const parts = checker.getNonNullableType(type);
    for (const part of parts.isUnion() || parts.isIntersection() ? parts.types : [parts]) {
      if (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'a value of any type';
      if (checker.getIndexInfosOfType(part).length > 0) return 'an object keyed by any string';
      const property = part.getProperty(name);
      if (property && !declaredInCore(property)) return checker.typeToString(part);
    }
    return undefined;
  };
  const casts = castShapeNames();
  for (const name of listed) {
    if (PROTOCOL_NAMES.has(name)) problems.push(`${name}: the platform calls it by this name`);
    if (casts.has(name)) problems.push(`${name}: a cast gives it to a value core does not make`);
  }
  for (const [node, file] of coreNodes()) {
    const report = (at: ts.Node, what: string) => {
      const { line } = file.getLineAndCharacterOfPosition(at.getStart(file));
      problems.push(`${relative(coreDir, file.fileName)}:${line + 1}: ${what}`);
    };
    if (ts.isStringLiteralLike(node) && listed.has(node.text)) {
      report(node, `'${node.text}' is spelled as a string, which the renaming would not follow`);
    } else if (ts.isPropertyAccessExpression(node) && listed.has(node.name.text)) {
      if (!declaredInCore(checker.getSymbolAtLocation(node.name))) {
        report(node, `.${node.name.text} is not (only) a property that core declares`);
      }
    } else if (ts.isImportSpecifier(node) && listed.has((node.propertyName ?? node.name).text)) {
      // In CommonJS output a named import is a property of the module it comes from.
      const from = node.parent.parent.parent.moduleSpecifier;
      if (ts.isStringLiteral(from) && !from.text.startsWith('.')) {
        report(node, `${(node.propertyName ?? node.name).text} is imported from ${from.text}`);
      }
    } else if (ts.isObjectLiteralExpression(node)) {
      // A literal handed to something outside core must keep the names that something reads.
      const contextual = checker.getContextualType(node);
      for (const member of node.properties) {
        const name = identifierName(member.name);
        if (name === undefined || !listed.has(name) || !contextual) continue;
        const reader = foreignIn(contextual, name);
        if (reader) report(member, `${name} is read by ${reader}`);
      }
    } else if (ts.isObjectBindingPattern(node)) {
      const type = checker.getTypeAtLocation(node);
      for (const element of node.elements) {
        const key = identifierName(element.propertyName ?? element.name);
        if (key === undefined || !listed.has(key)) continue;
        const owner = foreignIn(type, key);
        if (owner) report(element, `{ ${key} } is taken from ${owner}`);
      }
    } else if (ts.isClassLike(node)) {
      // A member that fulfils a type from outside core (`implements AsyncIterator`) is called by it.
      const heritage = (node.heritageClauses ?? []).flatMap((clause) => clause.types);
      for (const member of node.members) {
        const name = identifierName(member.name);
        if (name === undefined || !listed.has(name)) continue;
        for (const base of heritage) {
          const reader = foreignIn(checker.getTypeAtLocation(base), name);
          if (reader) report(member, `${name} fulfils ${reader}`);
        }
      }
    }
  }
  return problems;
}

/** Every name core gives or reads a property by: members, keys, accesses and destructured names. */
function corePropertyNames(): Set<string> {
  const names = new Set<string>();
  for (const [node] of coreNodes()) {
    if (ts.isPropertyAccessExpression(node)) names.add(node.name.text);
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      names.add(node.argumentExpression.text);
    }
    if (
      ts.isPropertyAssignment(node) ||
      ts.isShorthandPropertyAssignment(node) ||
      ts.isPropertySignature(node) ||
      ts.isMethodSignature(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    ) {
      if (ts.isIdentifier(node.name) || ts.isStringLiteralLike(node.name)) names.add(node.name.text);
    }
    if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name;
      if (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) names.add(key.text);
    }
  }
  return names;
}

describe('the internal property names the build shortens', () => {
  it('are each used only as core declares them', () => {
    // Fails with the places to change, or the names to take out of the list.
    expect(unsafeUses()).toEqual([]);
  });

  it('are each in use, listed once, and get names that no property of core has', () => {
    expect(list.INTERNAL_PROPERTIES.length).toBe(listed.size);
    const propertyNames = corePropertyNames();
    expect(list.INTERNAL_PROPERTIES.filter((name) => !propertyNames.has(name))).toEqual([]);
    // esbuild takes the names it is given without looking: one that core already uses would
    // make two properties one. The list of short names skips those.
    const short = list.SHORT_NAMES;
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
