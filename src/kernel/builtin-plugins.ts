import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definePlugin, type RedixPlugin } from './plugin-api';
import { ClientCommands } from '../commands/kernel/client-commands';
import { CommandCommands } from '../commands/kernel/command-commands';
import { ConfigCommands } from '../commands/kernel/config-commands';
import { ConnectionCommands } from '../commands/kernel/connection-commands';
import { ServerCommands } from '../commands/kernel/server-commands';
import { ClusterCommands } from '../commands/kernel/cluster-commands';
import { ModuleCommands } from '../commands/kernel/module-commands';
import { TransactionCommands } from '../commands/kernel/transaction-commands';
import { PubSubCommands } from '../commands/kernel/pubsub-commands';
import { ClientTrackingCommands } from '../commands/kernel/client-tracking-commands';
import { ClientStateCommands } from '../commands/kernel/client-state-commands';
import { SlowlogCommands } from '../commands/kernel/slowlog-commands';
import { LatencyCommands } from '../commands/kernel/latency-commands';
import { DebugCommands } from '../commands/kernel/debug-commands';
import { LolwutCommand } from '../commands/kernel/lolwut-command';
import { MemoryStorageEngine } from '../keyspace/memory-engine';

/** The kernel's own commands and the default storage engine, loaded first, like any plugin. */
export const KERNEL_PLUGIN: RedixPlugin = definePlugin({
  name: 'kernel',
  commands: [ConnectionCommands, ServerCommands, ConfigCommands, ClientCommands, CommandCommands, TransactionCommands, PubSubCommands, ClientTrackingCommands, ClientStateCommands, SlowlogCommands, LatencyCommands, DebugCommands, LolwutCommand, ClusterCommands, ModuleCommands],
  providers: [MemoryStorageEngine],
});

/** Built-in plugins in `plugins/`, loaded by default in this order (disable with `disablePlugins`). */
export const BUILTIN_PLUGIN_NAMES: readonly string[] = ['strings', 'hashes', 'keyspace-ttl', 'lists', 'sets', 'sort', 'zsets', 'geo', 'streams', 'bitmaps', 'hyperloglog', 'scripting', 'rdb', 'aof', 'replication', 'metrics'];

/**
 * Imports a built-in plugin by its folder, as a third-party plugin is imported by its path: the
 * plugins import the public API (`redix`), so a static import from here would make the kernel and
 * its own barrel import each other. From `src/` (tests) that is `plugins/<name>/index.ts`, from
 * the build `dist/plugins/<name>/index.js`.
 */
export function importBuiltinPlugin(name: string): Promise<unknown> {
  const extension = __filename.endsWith('.ts') ? '.ts' : '.js';
  return import(pathToFileURL(join(__dirname, '..', '..', 'plugins', name, 'index' + extension)).href);
}
