import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process';

const loader = resolve(__dirname, '../../dist/src/config/typescript-loader.js');

/**
 * The TypeScript compiler is needed only while config and plugins are compiled: once released,
 * nothing in the process may still reach its modules (it held ~50 MB of RSS for good). Run in a
 * plain Node process on the built code, where `require.cache` and `module.children` are real.
 */
describe('TypeScript loader', () => {
  it('compiles a .ts file, then lets every module of the compiler go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redix-ts-loader-'));
    try {
      writeFileSync(join(dir, 'conf.ts'), 'const port: number = 7777;\nexport default { port } satisfies { port: number };\n');
      const script = `
        const l = require(${JSON.stringify(loader)});
        const load = l.loadTypeScriptConfig(() => null);
        const loaded = load(${JSON.stringify(join(dir, 'conf.ts'))});
        const held = () => Object.keys(require.cache).filter((id) => id.includes('/node_modules/typescript/')).length;
        const before = held();
        l.releaseTypeScript();
        const children = require.cache[${JSON.stringify(loader)}].children.filter((c) => c.id.includes('/node_modules/typescript/')).length;
        console.log(JSON.stringify({ port: loaded.default.port, before, after: held(), children }));`;
      const result = await runProcess(process.execPath, ['-e', script], { timeoutMs: 30_000 });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({ port: 7777, before: 1, after: 0, children: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
