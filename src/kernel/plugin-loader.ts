import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import type { PluginReference, RedixConfig } from '../config/redix-config';
import type { Logger } from '../logging/logger';
import { BUILTIN_PLUGIN_NAMES, importBuiltinPlugin, KERNEL_PLUGIN } from './builtin-plugins';
import { UserError } from './errors';
import { locateSyntaxError, nodeSyntaxErrorLine } from './plugin-syntax';
import { installTypeScriptHook } from '../config/typescript-loader';
import type { RedixPlugin } from './plugin-api';
import type { ServerContext } from './server-context';
import { TOKENS } from './tokens';

/** How long a plugin's setup() may take before the server gives up on it. */
const SETUP_TIMEOUT_MS = 10_000;

export interface LoadedPlugin {
  name: string;
  plugin: RedixPlugin;
  /** Where it came from ("built-in", a file path or a package name). */
  source: string;
  options: Record<string, unknown>;
  /** The plugin's own child container (its logger and options). */
  container: DependencyContainer;
  runSetup(server: ServerContext): Promise<void>;
}

interface LoaderContext {
  baseDir: string;
  logger: Logger;
  container: DependencyContainer;
  /** How long setup() may take (default SETUP_TIMEOUT_MS). */
  setupTimeoutMs?: number;
}

/**
 * Loads the kernel's own commands, the built-in plugins (minus `disablePlugins`) and those the
 * config lists, checks each one's shape, names and dependencies, and orders them so that every
 * plugin comes after those it depends on.
 */
export async function loadPlugins(config: RedixConfig, ctx: LoaderContext): Promise<LoadedPlugin[]> {
  const disabled = new Set(config.disablePlugins ?? []);
  for (const name of disabled) {
    if (!BUILTIN_PLUGIN_NAMES.includes(name)) throw new UserError(`config: disablePlugins names "${name}", which is not a built-in plugin (built-ins: ${BUILTIN_PLUGIN_NAMES.join(', ')})`);
  }
  const references: { ref: string; options: Record<string, unknown> }[] = [];
  const optionsFor = new Map<string, Record<string, unknown>>();
  for (const entry of (config.plugins ?? []) as PluginReference[]) {
    const [ref, options] = normalizeReference(entry);
    if (BUILTIN_PLUGIN_NAMES.includes(ref)) optionsFor.set(ref, options);
    else references.push({ ref, options });
  }
  const loaded: LoadedPlugin[] = [];
  const byName = new Map<string, LoadedPlugin>();
  const add = (plugin: RedixPlugin, source: string, options: Record<string, unknown>) => {
    checkPluginShape(plugin, source);
    const existing = byName.get(plugin.name);
    if (existing !== undefined) {
      throw new UserError(`plugin "${plugin.name}" (from ${source}) has the same name as the one from ${existing.source}`);
    }
    const entry = makeLoaded(plugin, source, options, ctx);
    byName.set(plugin.name, entry);
    loaded.push(entry);
  };

  add(KERNEL_PLUGIN, 'built-in', {});
  for (const name of BUILTIN_PLUGIN_NAMES) {
    if (disabled.has(name)) continue;
    add(pluginExportOf(await importBuiltinPlugin(name), name), 'built-in', optionsFor.get(name) ?? {});
  }
  for (const { ref, options } of references) {
    const file = resolveReference(ref, ctx.baseDir);
    let mod: unknown;
    try {
      mod = await importModule(file);
    } catch (e) {
      // Whatever the loader's wording (Node, a test runner's transformer), a file that does not
      // parse is reported with its place: parsed again only now that it failed.
      const where = locateSyntaxError(file) ?? (e instanceof SyntaxError ? (nodeSyntaxErrorLine(e, file) ?? `${file}: ${e.message}`) : null);
      if (where !== null) throw new UserError(`plugin "${ref}" has a syntax error at ${where}`);
      throw new UserError(`plugin "${ref}" failed to load from ${file}: ${(e as Error)?.message ?? String(e)}`);
    }
    add(pluginExportOf(mod, ref), file, options);
  }
  return orderByDependencies(loaded);
}

function normalizeReference(entry: PluginReference): [string, Record<string, unknown>] {
  if (typeof entry === 'string') return [entry, {}];
  if (Array.isArray(entry) && typeof entry[0] === 'string' && (entry[1] === undefined || typeof entry[1] === 'object')) {
    return [entry[0], entry[1] ?? {}];
  }
  throw new UserError(`config: plugins entries must be "name" or ["name", { options }] (got ${JSON.stringify(entry)})`);
}

function makeLoaded(plugin: RedixPlugin, source: string, options: Record<string, unknown>, ctx: LoaderContext): LoadedPlugin {
  const container = ctx.container.createChildContainer();
  const logger = ctx.logger.child({ plugin: plugin.name });
  container.register(TOKENS.Logger, { useValue: logger });
  container.register(TOKENS.PluginOptions, { useValue: options });
  return {
    name: plugin.name,
    plugin,
    source,
    options,
    container,
    async runSetup(server: ServerContext) {
      if (plugin.setup === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const limit = ctx.setupTimeoutMs ?? SETUP_TIMEOUT_MS;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new UserError(`plugin "${plugin.name}": setup did not finish within ${limit} ms`)), limit);
      });
      try {
        await Promise.race([Promise.resolve(plugin.setup({ server, options })), timeout]);
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`plugin "${plugin.name}": setup failed: ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const PLUGIN_KEYS = new Set(['name', 'version', 'dependencies', 'commands', 'providers', 'dataTypes', 'configOptions', 'setup', 'stop']);

function checkPluginShape(plugin: RedixPlugin, source: string): void {
  const where = `plugin from ${source}`;
  if (typeof plugin !== 'object' || plugin === null) throw new UserError(`${where}: does not export a plugin object (use definePlugin)`);
  if (plugin.name === undefined) throw new UserError(`${where} has no "name" (definePlugin({ name: 'my-plugin', ... }))`);
  if (typeof plugin.name !== 'string' || !/^[a-z0-9@][a-z0-9@/._-]*$/i.test(plugin.name)) {
    throw new UserError(`${where}: "name" must be a non-empty string of letters, digits, @ / . _ -`);
  }
  for (const key of Object.keys(plugin)) {
    if (!PLUGIN_KEYS.has(key)) throw new UserError(`plugin "${plugin.name}": unknown property "${key}" (expected one of ${[...PLUGIN_KEYS].join(', ')})`);
  }
  for (const key of ['dependencies', 'commands', 'providers', 'dataTypes', 'configOptions'] as const) {
    const value = plugin[key];
    if (value !== undefined && !Array.isArray(value)) throw new UserError(`plugin "${plugin.name}": "${key}" must be an array`);
  }
  for (const dep of plugin.dependencies ?? []) {
    if (typeof dep !== 'string') throw new UserError(`plugin "${plugin.name}": "dependencies" must hold plugin names`);
  }
  for (const c of [...(plugin.commands ?? []), ...(plugin.providers ?? [])]) {
    if (typeof c !== 'function') throw new UserError(`plugin "${plugin.name}": "commands" and "providers" must hold classes`);
  }
  if (plugin.setup !== undefined && typeof plugin.setup !== 'function') throw new UserError(`plugin "${plugin.name}": "setup" must be a function`);
  if (plugin.stop !== undefined && typeof plugin.stop !== 'function') throw new UserError(`plugin "${plugin.name}": "stop" must be a function`);
}

/** Stable topological order: a plugin moves after its dependencies, otherwise keeps its place. */
function orderByDependencies(plugins: LoadedPlugin[]): LoadedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const ordered: LoadedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: LoadedPlugin, chain: string[]) => {
    const s = state.get(p.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new UserError(`plugins depend on each other in a cycle: ${[...chain, p.name].join(' -> ')}`);
    state.set(p.name, 'visiting');
    for (const dep of p.plugin.dependencies ?? []) {
      const d = byName.get(dep);
      if (d === undefined) throw new UserError(`plugin "${p.name}" depends on "${dep}", which is not loaded`);
      visit(d, [...chain, p.name]);
    }
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}

function pluginExportOf(mod: unknown, ref: string): RedixPlugin {
  const isPlugin = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string';
  let candidate = mod as Record<string, unknown> | undefined;
  // ESM default, CJS `exports.default` seen through import(), or a named `plugin` export. A
  // namespace is looked through even when it has a `name` of its own: import() of a CommonJS
  // module (`module.exports = { name, ... }`) re-exports its properties beside `default`.
  let nameless: Record<string, unknown> | undefined;
  for (let i = 0; i < 2 && candidate !== undefined; i++) {
    const inner = candidate.default ?? candidate.plugin;
    if (isPlugin(inner)) candidate = inner;
    else if (typeof candidate.name !== 'string') {
      // A plugin object that forgot its name: let the shape check say so, rather than "no export".
      if (typeof candidate === 'object' && candidate !== null && Object.keys(candidate).some((k) => PLUGIN_KEYS.has(k))) nameless = candidate;
      candidate = inner as Record<string, unknown> | undefined;
    } else break;
  }
  if ((candidate === undefined || typeof candidate !== 'object') && nameless !== undefined) return nameless as unknown as RedixPlugin;
  if (candidate === undefined || typeof candidate !== 'object') {
    throw new UserError(`plugin "${ref}": the module has no default export (export default definePlugin({...}))`);
  }
  return candidate as unknown as RedixPlugin;
}

const EXTENSIONS = ['', '.ts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

function resolveReference(ref: string, baseDir: string): string {
  if (ref.startsWith('.') || isAbsolute(ref)) {
    const base = resolve(baseDir, ref);
    for (const ext of EXTENSIONS) {
      const candidate = base + ext;
      if (existsSync(candidate) && (ext !== '' || !isDirectory(candidate))) return candidate;
    }
    throw new UserError(`plugin "${ref}": no such file (looked in ${base})`);
  }
  try {
    return createRequire(resolve(baseDir, 'noop.js')).resolve(ref);
  } catch {
    throw new UserError(`plugin "${ref}" is neither a built-in (${BUILTIN_PLUGIN_NAMES.join(', ')}) nor an installed package`);
  }
}

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

/**
 * Imports a plugin module. TypeScript files work without a build step: where the runtime cannot
 * import them itself (plain Node 20), they are compiled in memory with the `typescript` package.
 */
async function importModule(file: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?ts$/.test(file)) throw e;
    installTypeScriptHook(locateSyntaxError);
    return createRequire(file)(file);
  }
}

