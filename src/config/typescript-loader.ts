import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

type TypeScript = typeof import('typescript');

/**
 * The `typescript` package compiles TypeScript config files and plugins in memory (plain Node 20
 * cannot import them). Loaded on first need and let go once start-up is over: kept, its compiler
 * costs ~70 MB of RSS for the life of the server (measured: 142 MB vs 72 MB idle).
 */
let loaded: TypeScript | null = null;

export function typescript(): TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('typescript') as TypeScript;
  return loaded;
}

/** Drops every reference Node keeps to the compiler's modules, so the GC can take them. */
export function releaseTypeScript(): void {
  if (loaded === null) return;
  loaded = null;
  const root = dirname(require.resolve('typescript/package.json'));
  const cache = require.cache ?? {};
  for (const id of Object.keys(cache)) if (id.startsWith(root)) delete cache[id];
  // Under a test runner's module system there is no CommonJS `module` (nor a cache entry to drop).
  if (typeof module !== 'undefined' && Array.isArray(module.children)) {
    module.children = module.children.filter((child) => !child.id.startsWith(root));
  }
}

/** A syntax problem the compiler reports, as a callback that can place it ("file:line:column: …"). */
export type SyntaxLocator = (file: string, code: string) => string | null;

let hookInstalled = false;

/**
 * Lets `require` load .ts/.cts/.mts files: each is transpiled (never type-checked) to CommonJS with
 * decorator metadata, and refused with the place of its first syntax error.
 */
export function installTypeScriptHook(locate: SyntaxLocator): void {
  if (hookInstalled) return;
  hookInstalled = true;
  const extensions = (createRequire(__filename) as unknown as { extensions: Record<string, unknown> }).extensions;
  type CompilableModule = { _compile(code: string, filename: string): void };
  const compile = (module: CompilableModule, filename: string): void => {
    const ts = typescript();
    const code = readFileSync(filename, 'utf8');
    const output = ts.transpileModule(code, {
      fileName: filename,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
      },
    });
    // transpileModule emits code even for a file that does not parse: refuse it, with the place.
    if ((output.diagnostics ?? []).length > 0) {
      const where = locate(filename, code);
      if (where !== null) throw new SyntaxError(where);
    }
    module._compile(output.outputText, filename);
  };
  for (const ext of ['.ts', '.cts', '.mts']) if (extensions[ext] === undefined) extensions[ext] = compile;
}

/** cosmiconfig's loader for TypeScript config files, through the hook above (no temporary files). */
export function loadTypeScriptConfig(locate: SyntaxLocator): (filepath: string) => unknown {
  return (filepath) => {
    installTypeScriptHook(locate);
    const load = createRequire(filepath);
    try {
      return load(filepath);
    } finally {
      delete load.cache[filepath];
    }
  };
}
