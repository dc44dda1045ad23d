import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The module graph of src/ and plugins/ as it exists at run time (type-only imports left out, as
 * the compiler elides them): no cycles, the kernel never imports its own barrel, and the built-in
 * plugins reach the kernel only through the public exports, exactly as a third-party plugin does.
 */
const ROOT = resolve(__dirname, '..', '..');
const PUBLIC_ENTRIES: Record<string, string> = {
  'redix-server': 'src/index.ts',
  'redix-server/persistence': 'src/api/persistence.ts',
  'redix-server/numbers': 'src/api/numbers.ts',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(from: string, spec: string): string | null {
  if (spec in PUBLIC_ENTRIES) return PUBLIC_ENTRIES[spec];
  if (!spec.startsWith('.')) return null;
  const base = join(dirname(from), spec).replace(/\.js$/, '');
  for (const candidate of [base + '.ts', join(base, 'index.ts')]) if (existsSync(join(ROOT, candidate))) return candidate;
  throw new Error(`${from}: cannot resolve '${spec}'`);
}

/** The modules a file loads when it runs: value imports, re-exports and literal dynamic imports. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) &&
        node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs.map((s) => resolveSpecifier(file, s)).filter((s): s is string => s !== null);
}

const files = [...sourceFiles('src'), ...sourceFiles('plugins')];
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

describe('module graph', () => {
  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' > '));
        else if (state.get(next) === undefined) visit(next);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (state.get(f) === undefined) visit(f);
    expect(cycles).toEqual([]);
  });

  it('kernel files never import the public barrels', () => {
    const entries = new Set(Object.values(PUBLIC_ENTRIES));
    const offenders = files.filter((f) => f.startsWith('src/') && !entries.has(f)).filter((f) => graph.get(f)!.some((d) => entries.has(d)));
    expect(offenders).toEqual([]);
  });

  it('built-in plugins import the kernel only through the public exports', () => {
    const offenders: string[] = [];
    for (const f of files.filter((x) => x.startsWith('plugins/'))) {
      const source = readFileSync(join(ROOT, f), 'utf8');
      for (const m of source.matchAll(/from '([^']+)'/g)) {
        const spec = m[1];
        if (spec.startsWith('.') && relative(ROOT, join(ROOT, dirname(f), spec)).startsWith('src')) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds the imports it is meant to find (a check that the checks can fail)', () => {
    expect(graph.get('src/index.ts')).toContain('src/kernel/server.ts');
    expect(graph.get('plugins/hashes/index.ts')).toContain('src/index.ts');
    // Type-only imports are not edges: command-context.ts imports only types.
    expect(graph.get('src/commands/command-context.ts')).toEqual([]);
  });
});
