import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/kernel/errors';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

const fixtures = resolve(__dirname, '../fixtures');
const greeter = join(fixtures, 'greeter-plugin/index.ts');
const faulty = join(fixtures, 'faulty-plugin/index.ts');
const colliding = join(fixtures, 'colliding-plugin/index.ts');

/**
 * A plugin that cannot be used stops the start with one line (no newline, no stack) naming it.
 * The plugins are plain CommonJS modules written to a temp directory: no 'redix' import needed.
 */
describe('plugin load errors', () => {
  let dir: string;
  const file = (name: string, body: string) => {
    writeFileSync(join(dir, name), body);
    return join(dir, name);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redix-bad-plugins-'));
    file('a.cjs', "module.exports = { name: 'twin' };");
    file('b.cjs', "module.exports = { name: 'twin' };");
    file('strings-again.cjs', "module.exports = { name: 'strings' };");
    file('needs.cjs', "module.exports = { name: 'needy', dependencies: ['absent'] };");
    file('cycle-x.cjs', "module.exports = { name: 'x', dependencies: ['y'] };");
    file('cycle-y.cjs', "module.exports = { name: 'y', dependencies: ['x'] };");
    file('throws-on-import.cjs', "throw new Error('broken at import');");
    file('no-export.cjs', 'module.exports = 42;');
    file('bad-key.cjs', "module.exports = { name: 'typo', comands: [] };");
    file('setup-throws.cjs', "module.exports = { name: 'grumpy', setup() { throw new Error('kaboom\\nsecond line'); } };");
    file('nameless.cjs', 'module.exports = { commands: [] };');
    file('syntax-error.cjs', "module.exports = {\n  name: 'x',,\n};\n");
    file('syntax-error.mjs', "export default {\n  name: 'x',\n  setup() { return 1 +; },\n};\n");
    file('syntax-error.ts', "export default {\n  name: 'x' as,\n};\n");
    file('hash-again.cjs', "module.exports = { name: 'hash-again', dataTypes: [{ name: 'hash', rdbTypes: [] }] };");
    file('option-again.cjs', "module.exports = { name: 'option-again', configOptions: [{ name: 'greeter-greeting', kind: 'string', default: 'x' }] };");
    file('setup-hangs.cjs', "module.exports = { name: 'sleepy', setup() { return new Promise(() => {}); } };");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['./nope'], /^plugin "\.\/nope": no such file \(looked in .*nope\)$/],
    ['a missing package', ['redix-plugin-that-is-not-installed'], /^plugin "redix-plugin-that-is-not-installed" is neither a built-in \(strings, .*\) nor an installed package$/],
    ['a module that throws on import', ['./throws-on-import.cjs'], /^plugin "\.\/throws-on-import\.cjs" failed to load from .*throws-on-import\.cjs: broken at import$/],
    ['a module with no plugin export', ['./no-export.cjs'], /^plugin "\.\/no-export\.cjs": the module has no default export/],
    ['an unknown plugin property', ['./bad-key.cjs'], /^plugin "typo": unknown property "comands"/],
    ['two plugins of one name', ['./a.cjs', './b.cjs'], /^plugin "twin" \(from .*b\.cjs\) has the same name as the one from .*a\.cjs$/],
    ['a plugin named like a built-in', ['./strings-again.cjs'], /^plugin "strings" \(from .*strings-again\.cjs\) has the same name as the one from built-in$/],
    ['a missing dependency', ['./needs.cjs'], /^plugin "needy" depends on "absent", which is not loaded$/],
    ['a dependency cycle', ['./cycle-x.cjs', './cycle-y.cjs'], /^plugins depend on each other in a cycle: x -> y -> x$/],
    ['a setup that throws', ['./setup-throws.cjs'], /^plugin "grumpy": setup failed: kaboom/],
    ['a plugin without a name', ['./nameless.cjs'], /^plugin from .*nameless\.cjs has no "name" \(definePlugin/],
    ['a CommonJS syntax error', ['./syntax-error.cjs'], /^plugin "\.\/syntax-error\.cjs" has a syntax error at .*syntax-error\.cjs:2:13: /],
    ['an ES module syntax error', ['./syntax-error.mjs'], /^plugin "\.\/syntax-error\.mjs" has a syntax error at .*syntax-error\.mjs:3:23: Expression expected\.$/],
    ['a TypeScript syntax error', ['./syntax-error.ts'], /^plugin "\.\/syntax-error\.ts" has a syntax error at .*syntax-error\.ts:2:15: Type expected\.$/],
    ['a data type named like a built-in one', ['./hash-again.cjs'], /^data type "hash" is registered by both plugin "hashes" and plugin "hash-again"$/],
    ['a config option defined twice', [greeter, './option-again.cjs'], /^config option "greeter-greeting" is defined by both plugin "greeter" and plugin "option-again"$/],
    ['a command defined twice', [faulty, colliding], /^plugin "colliding": command "boom" is already defined by plugin "faulty"$/],
    ['a setup that never finishes', ['./setup-hangs.cjs'], /^plugin "sleepy": setup did not finish within 300 ms$/],
  ];
  for (const [what, plugins, message] of cases) {
    it(`refuses ${what}, naming the plugin`, async () => {
      const error = await startRedix({ plugins }, { baseDir: dir, pluginSetupTimeoutMs: 300 }).then(
        (s) => s.shutdown().then(() => null),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
    });
  }

  // The built CLI (as `npm test` builds it): each failure is one line on stderr and exit 1.
  const cli = resolve(__dirname, '../../dist/src/cli/main.js');
  const cliCases: [string, string[], RegExp][] = [
    ['a TypeScript syntax error', ['./syntax-error.ts'], /^redix: plugin "\.\/syntax-error\.ts" has a syntax error at .*syntax-error\.ts:2:15: Type expected\.\n$/],
    ['an ES module syntax error', ['./syntax-error.mjs'], /^redix: plugin "\.\/syntax-error\.mjs" has a syntax error at .*syntax-error\.mjs:3:23: Expression expected\.\n$/],
    ['a plugin without a name', ['./nameless.cjs'], /^redix: plugin from .*nameless\.cjs has no "name" .*\n$/],
    ['a setup that throws', ['./setup-throws.cjs'], /^redix: plugin "grumpy": setup failed: kaboom second line\n$/],
    ['a duplicate data type', ['./hash-again.cjs'], /^redix: data type "hash" is registered by both plugin "hashes" and plugin "hash-again"\n$/],
    ['two plugins of one name', ['./a.cjs', './b.cjs'], /^redix: plugin "twin" \(from .*b\.cjs\) has the same name as the one from .*a\.cjs\n$/],
  ];
  for (const [what, plugins, message] of cliCases) {
    it(`redix start refuses ${what} in one line, exit 1`, async () => {
      const config = file(`config-${plugins.join('-').replace(/[^a-z]/gi, '')}.json`, JSON.stringify({ plugins }));
      const run = await runProcess(process.execPath, [cli, 'start', '--port', '0', '--save', '', '--config', config], { cwd: dir, timeoutMs: 60_000 });
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(1);
    });
  }
});
