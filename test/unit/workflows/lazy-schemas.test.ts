import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(__dirname, '../../../src');

/**
 * The modules `entry` evaluates when it is evaluated: its imports that bring a value (not
 * `import type`, not an import of types only), followed to the project's own files. A `require`
 * inside a function is not followed, since it runs only when called.
 */
function evaluatedModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const typesOnly =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined &&
              clause.namedBindings !== undefined &&
              ts.isNamedImports(clause.namedBindings) &&
              clause.namedBindings.elements.length > 0 &&
              clause.namedBindings.elements.every((e) => e.isTypeOnly)));
        if (!typesOnly) specifier = statement.moduleSpecifier;
      } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        specifier = statement.moduleSpecifier;
      }
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const name = specifier.text;
      if (!name.startsWith('.')) {
        seen.add(name);
        continue;
      }
      const base = resolve(dirname(file), name);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
      if (target) visit(target);
    }
  };
  visit(entry);
  return seen;
}

const relative = (files: Set<string>) =>
  [...files].map((f) => (f.startsWith(SRC) ? f.slice(SRC.length + 1) : f)).sort();

describe('what a new workflow evaluates', () => {
  // Every new workflow evaluates the bundle's modules afresh; the request schemas are most of
  // that cost, so they load only when a correction needs them (src/workflows/registration/schemas.ts).
  const SCHEMA_MODULES = [
    'domain/registration.ts',
    'domain/standard-registration.ts',
    'domain/index.ts',
    'zod',
  ];

  test('the registration workflows do not build the request schemas when they start', () => {
    const modules = relative(evaluatedModules(join(SRC, 'workflows/index.ts')));
    expect(modules).toContain('workflows/registration/remediation.ts');
    expect(modules).toContain('domain/requests.ts');
    expect(modules.filter((m) => SCHEMA_MODULES.includes(m))).toEqual([]);
  });

  test("the brand-usage worker's bundle holds only the brand-usage workflow and what it needs", () => {
    const modules = relative(evaluatedModules(join(SRC, 'workflows/brand-usage.ts')));
    expect(modules.filter((m) => m.startsWith('workflows/'))).toEqual(['workflows/brand-usage.ts']);
    expect(modules.filter((m) => SCHEMA_MODULES.includes(m))).toEqual([]);
  });

  test('the walk follows value imports: from a schema module it reaches the others and zod', () => {
    expect(relative(evaluatedModules(join(SRC, 'domain/standard-registration.ts')))).toEqual(
      expect.arrayContaining(['domain/registration.ts', 'zod']),
    );
  });
});
