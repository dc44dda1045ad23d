import type { ConfigOptionSpec } from '../config/option-types';
import type { DataTypeSpec } from './data-types';
import type { ModuleDataTypeSpec } from './module-types';
import type { ServerContext } from './server-context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = new (...args: any[]) => object;

/**
 * A plugin: what it contributes, as data. Built-in plugins in `plugins/` and third-party ones are
 * written the same way, against this package's root exports only.
 */
export interface RedixPlugin {
  /** Unique name, used in config files and error messages. */
  name: string;
  version?: string;
  /** Plugins that must be loaded before this one. */
  dependencies?: string[];
  /** Classes decorated with @CommandModule whose methods carry @Command specs. */
  commands?: Class[];
  /** Classes decorated with @StorageEngineProvider / @PersistenceProvider / @ReplicationProvider. */
  providers?: Class[];
  /** Data types this plugin owns (their persistence codecs): a third-party type is a ModuleDataTypeSpec. */
  dataTypes?: (DataTypeSpec | ModuleDataTypeSpec)[];
  /** Config options this plugin adds, with redis.conf-style names and defaults. */
  configOptions?: ConfigOptionSpec[];
  /** Runs once when the plugin is loaded, after its options are applied; may be async. */
  setup?(context: PluginSetupContext): void | Promise<void>;
  /** Runs once on shutdown, after persistence stopped and before clients are closed (free what setup took). */
  stop?(context: { server: ServerContext }): void | Promise<void>;
}

export interface PluginSetupContext {
  server: ServerContext;
  options: Record<string, unknown>;
}

/** Typed identity: gives a plugin object its type and checks its shape early. */
export function definePlugin<T extends RedixPlugin>(plugin: T): T {
  return plugin;
}

/**
 * A persistence provider. `load` runs before clients are accepted (providers in config order; the
 * first that loads data wins), `start` after, `stop` on shutdown.
 */
export interface PersistenceProvider {
  /** Loads persisted data; returns true if it did (later providers then skip loading). */
  load(): Promise<boolean> | boolean;
  /** Begins observing changes (after loading). */
  start(): void | Promise<void>;
  /**
   * Optional: the final snapshot, taken while the server can still refuse to stop (client input is
   * paused). Throw to refuse the shutdown, as Redis refuses when its final save fails (SHUTDOWN
   * FORCE goes on anyway). A provider that has it is then stopped with `save: false`.
   */
  prepareShutdown?(options: { save: boolean; nosave: boolean }): Promise<void> | void;
  /** Flushes and closes; `save` asks for a final snapshot (SHUTDOWN SAVE, or save points set). */
  stop(options: { save: boolean; nosave: boolean }): Promise<void> | void;
}

/** What the kernel needs of a replication provider (INFO and ROLE live in the plugin itself). */
export interface ReplicationProviderApi {
  /** Starts (connects to a master if `replicaof` is set). */
  start(): void | Promise<void>;
  /** Optional: a shutdown begins, before the final save (a master lets its replicas catch up). */
  prepareShutdown?(): Promise<void> | void;
  stop(): Promise<void> | void;
  /** CLIENT KILL TYPE master: drops the link to our master (it reconnects); returns how many were closed. */
  killMasterLink?(): number;
}
