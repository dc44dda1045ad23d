import { readFileSync } from 'node:fs';
import { typescript } from '../config/typescript-loader';

/** Where a plugin file's first syntax error is: "file:line:column: message" (1-based), or null. */
export function locateSyntaxError(file: string, code = readSource(file)): string | null {
  if (code === null) return null;
  const ts = typescript();
  // The TypeScript parser reads JavaScript too; only syntax is checked (the loader never type-checks).
  const output = ts.transpileModule(code, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true, experimentalDecorators: true } });
  const first = output.diagnostics?.find((d) => d.start !== undefined && d.file !== undefined);
  if (first === undefined || first.file === undefined || first.start === undefined) return null;
  const { line, character } = first.file.getLineAndCharacterOfPosition(first.start);
  return `${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
}

/**
 * Node's own hint for a CommonJS syntax error: the stack starts "file:line" (no column), or null.
 * Used when the TypeScript parser accepts what V8 refuses.
 */
export function nodeSyntaxErrorLine(error: Error, file: string): string | null {
  const m = /^(.+):(\d+)\n/.exec(error.stack ?? '');
  return m !== null && m[1] === file ? `${file}:${m[2]}: ${error.message}` : null;
}

function readSource(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
