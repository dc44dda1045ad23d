import { definePlugin, type RedixPlugin } from './plugin-api';
import { ClientCommands } from '../commands/kernel/client-commands';
import { CommandCommands } from '../commands/kernel/command-commands';
import { ConfigCommands } from '../commands/kernel/config-commands';
import { ConnectionCommands } from '../commands/kernel/connection-commands';
import { ServerCommands } from '../commands/kernel/server-commands';
import { MemoryStorageEngine } from '../keyspace/memory-engine';

/** The kernel's own commands and the default storage engine, loaded first, like any plugin. */
export const KERNEL_PLUGIN: RedixPlugin = definePlugin({
  name: 'kernel',
  commands: [ConnectionCommands, ServerCommands, ConfigCommands, ClientCommands, CommandCommands],
  providers: [MemoryStorageEngine],
});

/** Built-in plugins in `plugins/`, loaded by default in this order (disable with `disablePlugins`). */
export const BUILTIN_PLUGINS: Record<string, () => Promise<unknown>> = {
  strings: () => import('../../plugins/strings/index.js'),
  hashes: () => import('../../plugins/hashes/index.js'),
  'keyspace-ttl': () => import('../../plugins/keyspace-ttl/index.js'),
  rdb: () => import('../../plugins/rdb/index.js'),
  aof: () => import('../../plugins/aof/index.js'),
  replication: () => import('../../plugins/replication/index.js'),
};
