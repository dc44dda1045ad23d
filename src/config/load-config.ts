import { cosmiconfig } from 'cosmiconfig';
import { resolve } from 'node:path';
import { UserError } from '../kernel/errors';
import { locateSyntaxError } from '../kernel/plugin-syntax';
import type { RedixConfig } from './redix-config';
import { loadTypeScriptConfig } from './typescript-loader';

export interface LoadedConfigFile {
  config: RedixConfig;
  /** Absolute path, or null when no file was found. */
  file: string | null;
}

/**
 * Finds the config file with cosmiconfig (redix.config.ts/.js/.mjs/.cjs/.json, .redixrc*,
 * package.json#redix) in `cwd`, or loads `explicitPath`. Any failure becomes one clear line.
 */
export async function loadConfigFile(cwd: string, explicitPath?: string): Promise<LoadedConfigFile> {
  const explorer = cosmiconfig('redix', {
    searchPlaces: [
      'package.json', '.redixrc', '.redixrc.json', '.redixrc.yaml', '.redixrc.yml', '.redixrc.js', '.redixrc.ts',
      '.redixrc.mjs', '.redixrc.cjs', 'redix.config.ts', 'redix.config.js', 'redix.config.mjs', 'redix.config.cjs',
      'redix.config.json',
    ],
    // Our own loader: cosmiconfig's keeps the TypeScript compiler loaded for good (~70 MB of RSS).
    loaders: { '.ts': loadTypeScriptConfig(locateSyntaxError) },
  });
  const target = explicitPath === undefined ? undefined : resolve(cwd, explicitPath);
  let result;
  try {
    result = target === undefined ? await explorer.search(cwd) : await explorer.load(target);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new UserError(`config file not found: ${target ?? cwd}`);
    const where = target ?? cwd;
    const firstLine = String(err.message ?? err).split('\n')[0];
    throw new UserError(`could not load config file ${(err as { filepath?: string }).filepath ?? where}: ${firstLine}`);
  }
  if (result === null || result.isEmpty) return { config: {}, file: result?.filepath ?? null };
  let config = result.config as unknown;
  // An ES module's default export seen through CommonJS interop.
  if (config !== null && typeof config === 'object' && 'default' in config && Object.keys(config).length === 1) {
    config = (config as { default: unknown }).default;
  }
  validateShape(config, result.filepath);
  return { config: config as RedixConfig, file: result.filepath };
}

/** Checks the Redix-specific keys; redis options are checked by the server against its schema. */
export function validateShape(config: unknown, file: string): void {
  const fail = (path: string, expected: string, got: unknown): never => {
    throw new UserError(`invalid config in ${file}: "${path}" must be ${expected} (got ${JSON.stringify(got)})`);
  };
  if (config === null || typeof config !== 'object' || Array.isArray(config)) fail('(root)', 'an object', config);
  const c = config as Record<string, unknown>;
  if (c.plugins !== undefined) {
    if (!Array.isArray(c.plugins)) fail('plugins', 'an array', c.plugins);
    (c.plugins as unknown[]).forEach((p, i) => {
      const ok = typeof p === 'string' || (Array.isArray(p) && typeof p[0] === 'string' && p.length <= 2 && (p[1] === undefined || (typeof p[1] === 'object' && p[1] !== null && !Array.isArray(p[1]))));
      if (!ok) fail(`plugins[${i}]`, 'a name/path or [name, { options }]', p);
    });
  }
  for (const key of ['disablePlugins', 'persistence']) {
    const v = c[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) fail(key, 'an array of names', v);
    (v as unknown[]).forEach((n, i) => {
      if (typeof n !== 'string') fail(`${key}[${i}]`, 'a string', n);
    });
  }
  if (c.storage !== undefined && typeof c.storage !== 'string') fail('storage', 'a storage engine name', c.storage);
  if (c.replication !== undefined && c.replication !== null && typeof c.replication !== 'string') fail('replication', 'a provider name or null', c.replication);
}
