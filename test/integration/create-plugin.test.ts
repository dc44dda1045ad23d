import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/index';
import { createPlugin, moduleTypeNameFor } from '../../src/cli/create-plugin';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

/**
 * `redix create-plugin <name>` writes a plugin folder from templates/plugin. The folder is made
 * inside the repository (test/.tmp-*, git-ignored) so that its `redix-server` import resolves to
 * this package: the generated plugin is loaded here, type-checked, and its own tests are run.
 */
const repoRoot = resolve(__dirname, '../..');
const base = mkdtempSync(join(repoRoot, 'test/.tmp-create-plugin-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('redix create-plugin', () => {
  const dir = join(base, 'tally-counter');
  const text = (b: Buffer) => b.toString('latin1');

  it('writes a plugin folder: a command module, a module data type, an INFO section, tsconfig, tests', () => {
    expect(createPlugin(['tally-counter', '--dir', dir])).toBe(dir);
    for (const f of ['package.json', 'tsconfig.json', 'src/index.ts', 'test/plugin.test.ts', 'README.md', '.gitignore', 'redix.config.json']) expect(existsSync(join(dir, f))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; peerDependencies: Record<string, string> };
    expect(pkg.name).toBe('redix-plugin-tally-counter');
    expect(pkg.peerDependencies['redix-server']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions.experimentalDecorators).toBe(true);
    const source = readFileSync(join(dir, 'src/index.ts'), 'utf8');
    expect(source).not.toMatch(/__[A-Za-z]+__/);
    expect(source).toContain("moduleType: { name: 'tally-cou', encver: 1 }");
    expect(source).toContain('class TallyCounterCounter');
  });

  it('the generated plugin loads and works, and persists through DUMP/RESTORE', async () => {
    const server = await startRedix({ plugins: [join(dir, 'src/index.ts')] });
    const c = await RawConnection.connect(server.port);
    try {
      expect(text(await c.command(['TALLY-COUNTER.INCRBY', 'k', '5']))).toBe(':5\r\n');
      expect(text(await c.command(['TALLY-COUNTER.GET', 'k']))).toBe(':5\r\n');
      expect(text(await c.command(['INFO', 'tally-counter']))).toContain('tally_counter_incrby_calls:1\r\n');
      const dump = await c.command(['DUMP', 'k']);
      const payload = dump.subarray(dump.indexOf('\r\n') + 2, dump.length - 2);
      expect(payload[0]).toBe(7);
      expect(text(await c.command(['RESTORE', 'k2', '0', payload]))).toBe('+OK\r\n');
      expect(text(await c.command(['TALLY-COUNTER.GET', 'k2']))).toBe(':5\r\n');
    } finally {
      c.close();
      await server.shutdown();
    }
  });

  it('type-checks with its own tsconfig', async () => {
    const run = await runProcess(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { timeoutMs: 120_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('passes its own tests (vitest, embedded server)', async () => {
    expect(existsSync(join(repoRoot, 'dist/src/index.js'))).toBe(true);
    const run = await runProcess(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir], { cwd: dir, timeoutMs: 120_000 });
    expect(run.stdout).toMatch(/Tests\s+.*4 passed/);
    expect(run.code).toBe(0);
  });

  it('refuses bad names and a folder in use, in one line', () => {
    expect(() => createPlugin([])).toThrow(UserError);
    expect(() => createPlugin(['Bad Name', '--dir', join(base, 'x')])).toThrow(/^plugin name "Bad Name" must start with a letter/);
    expect(() => createPlugin(['tally-counter', '--dir', dir])).toThrow(/exists and is not empty$/);
    expect(moduleTypeNameFor('ab')).toBe('ab-type__');
  });
});
