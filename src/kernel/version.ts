import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Redis version whose behaviour Redix reproduces (INFO redis_version, HELLO version). */
export const REDIS_VERSION = '7.0.15';

function readOwnVersion(): string {
  // src/kernel → package root, from source (vitest) or from dist/src/kernel.
  for (const up of ['../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'redix-server' && pkg.version) return pkg.version;
    } catch {
      // try the next level
    }
  }
  return '0.0.0';
}

export const REDIX_VERSION = readOwnVersion();
