import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../kernel/errors';
import { moduleTypeProblem } from '../kernel/module-types';
import { REDIX_VERSION } from '../kernel/version';

/** The template folder, shipped in the package beside dist/: from src/cli (tests) or dist/src/cli. */
const TEMPLATE_DIR = ['../..', '../../..'].map((up) => resolve(__dirname, up, 'templates/plugin')).find((d) => existsSync(d)) ?? resolve(__dirname, '../../templates/plugin');

/** Names of the placeholders in templates/plugin, for one plugin name. */
export function templateValues(name: string): Record<string, string> {
  const words = name.split(/[-_.]/).filter((w) => w !== '');
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return {
    __name__: name,
    __NAME__: name.toUpperCase(),
    __Pascal__: pascal,
    __camel__: pascal[0].toLowerCase() + pascal.slice(1),
    __snake__: words.join('_'),
    __modtype__: moduleTypeNameFor(name),
    __redixVersion__: REDIX_VERSION,
  };
}

/** A 9-character module type name from the plugin name (Redis requires exactly 9). */
export function moduleTypeNameFor(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '')}-type____`.slice(0, 9);
}

/**
 * `redix create-plugin <name> [--dir <folder>]`: writes a plugin folder (a command module, a data
 * type persisted as a module type, an INFO section, tsconfig, vitest tests on the embedded server)
 * from templates/plugin, replacing the placeholders. Returns the folder.
 */
export function createPlugin(argv: string[], cwd = process.cwd()): string {
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('-')) throw new UserError('usage: redix create-plugin <name> [--dir <folder>]');
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UserError(`plugin name "${name}" must start with a letter and hold only a-z, 0-9 and - (it names commands: ${name.toUpperCase()}.GET)`);
  let target = resolve(cwd, name);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--dir' && rest[i + 1] !== undefined) target = resolve(cwd, rest[++i]);
    else throw new UserError(`unexpected argument "${rest[i]}" (usage: redix create-plugin <name> [--dir <folder>])`);
  }
  const values = templateValues(name);
  const problem = moduleTypeProblem(values.__modtype__, 1);
  if (problem !== null) throw new UserError(problem);
  if (existsSync(target) && readdirSync(target).length > 0) throw new UserError(`${target} exists and is not empty`);
  for (const file of templateFiles(TEMPLATE_DIR)) {
    const out = join(target, outputName(relative(TEMPLATE_DIR, file)));
    mkdirSync(resolve(out, '..'), { recursive: true });
    let text = readFileSync(file, 'utf8');
    for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(value);
    writeFileSync(out, text);
  }
  return target;
}

/** "test/plugin.test.ts.tmpl" → "test/plugin.test.ts"; "gitignore.tmpl" → ".gitignore" (npm drops dotfiles named .gitignore). */
function outputName(path: string): string {
  const plain = path.replace(/\.tmpl$/, '');
  return plain === 'gitignore' ? '.gitignore' : plain;
}

function templateFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new UserError(`the plugin template is missing (looked in ${dir})`);
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [path];
  });
}
