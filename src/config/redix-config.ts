/**
 * The config file's shape. Redis options use their redis.conf names in camelCase
 * (`appendfsync`, `hashMaxListpackEntries`, `protectedMode`); values may be typed (numbers,
 * booleans, arrays) or written as in redis.conf ("yes", "64mb", "3600 1 300 100").
 */
export type PluginReference = string | [string, Record<string, unknown>];

export interface RedixConfig {
  port?: number | string;
  bind?: string;
  protectedMode?: boolean | string;
  requirepass?: string;
  timeout?: number | string;
  maxclients?: number | string;
  databases?: number | string;
  loglevel?: 'debug' | 'verbose' | 'notice' | 'warning';
  logfile?: string;
  dir?: string;
  dbfilename?: string;
  save?: string | [number, number][];
  appendonly?: boolean | string;
  appendfsync?: 'always' | 'everysec' | 'no';
  appendfilename?: string;
  appenddirname?: string;
  replicaof?: string | { host: string; port: number } | null;
  masterauth?: string;
  /** Extra plugins (paths, npm packages) and built-ins given options: `['aof', { ... }]`. */
  plugins?: PluginReference[];
  /** Built-in plugins not to load. */
  disablePlugins?: string[];
  /** Storage engine by name (default "memory"). */
  storage?: string;
  /** Persistence providers by name, in load order (default ["aof", "rdb"], those loaded). */
  persistence?: string[];
  /** Replication provider by name (default "redis" when loaded), or null for none. */
  replication?: string | null;
  /** Any other redis.conf option, in camelCase. */
  [option: string]: unknown;
}

/** Typed identity for `redix.config.ts`. */
export function defineConfig(config: RedixConfig): RedixConfig {
  return config;
}
