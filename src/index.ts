/**
 * Redix's public API: what a plugin or an embedding program uses. Built-in plugins import only
 * from here and from the sub-path exports: `redix-server/persistence` (RDB/AOF file formats, compact
 * encodings, snapshots) and `redix-server/numbers` (long double arithmetic). Kernel files never import
 * this barrel: they import each other directly.
 */
import 'reflect-metadata';

export { inject } from 'tsyringe';
export { startServer, RedixServer, type ServerOptions } from './kernel/server';
export { defineConfig, type RedixConfig, type PluginReference } from './config/redix-config';
export { definePlugin, type RedixPlugin, type PluginSetupContext, type PersistenceProvider as PersistenceProviderApi, type ReplicationProviderApi } from './kernel/plugin-api';
export { TOKENS } from './kernel/tokens';
export { UserError, isUserError } from './kernel/errors';
export type { ServerContext, LatencyRecorder } from './kernel/server-context';
export { ServerStats } from './kernel/server-stats';
export { InfoRegistry, type InfoFields, type InfoProvider } from './kernel/info-registry';
export { DebugRegistry, type DebugSubcommand } from './kernel/debug-registry';
export { DataTypeRegistry, type DataTypeSpec, type DataTypeBase } from './kernel/data-types';
export { ValueDigest } from './kernel/dataset-digest';
export { encodeModuleTypeId, moduleTypeNameOf, type ModuleDataTypeSpec } from './kernel/module-types';
export { MODULE_AUX } from './kernel/module-aux';
export type { ModuleTypeReader, ModuleTypeWriter } from './persistence/module-type-io';
export { MemoryAccounting, keyOverheadBytes } from './kernel/memory-accounting';
export { allocationSize, sdsAllocation, keyOverhead, dictOverhead, DICT_ENTRY_BYTES } from './api/memory-estimate';
export { ERR_OOM } from './kernel/eviction';
export { lruIdleMs, lruStampIdle, lfuDecayed, lfuStamp, LFU_INIT_VAL, type AccessPolicy } from './keyspace/access-clock';
export { REDIS_VERSION, REDIX_VERSION } from './kernel/version';

export { Command, CommandModule, StorageEngineProvider, PersistenceProvider, ReplicationProvider } from './commands/decorators';
export type { CommandSpec, CommandDocs, CommandDocFlag, CommandGroup, CommandHandler, CallFlagsFunction, ContainerSpec } from './commands/command-spec';
export { usageLine, type ArgumentSpec, type ArgumentType } from './commands/argument-spec';
export { keysAt, type KeySpec, type KeySpecFlag, type BeginSearch, type FindKeys } from './commands/key-specs';
export type { KeyReference } from './commands/command-keys';
export type { CommandContext } from './commands/command-context';
export type { CommandInfo } from './commands/command-table';
export type { BlockHandler, KeysBlockHandler } from './kernel/blocking';
export { parseTimeoutOrReply } from './commands/blocking-timeout';
export { parseScanCursorOrReply, parseScanOptionsOrReply, type ScanOptions } from './commands/scan-arguments';
export { NOTIFY } from './kernel/notifications';
export { COMMAND_FLAGS, type CommandFlagName } from './commands/command-flags';
export { parseInt64, parseInteger, parseDouble, isKeyword, keywordOf } from './commands/arguments';
export { writeHelp } from './commands/kernel/help';

export * as errors from './protocol/error-replies';
export { ReplyWriter, formatDouble17g, type ProtocolVersion } from './protocol/reply-writer';

export type { Database, DatabaseEnvironment, KeyspaceStats } from './keyspace/database';
export type { StorageEngine } from './keyspace/storage-engine';
export { Keyspace } from './keyspace/keyspace';
export { ShardedMap } from './keyspace/sharded-map';
export { PackedStrings } from './api/packed-strings';
export { CompactStringMap } from './api/compact-string-map';
export { PackedStringsBuilder } from './api/packed-strings-builder';
export { ChangeFeed, type ChangeListener, type PropagatedArg } from './keyspace/change-feed';
export { compileGlob, globMatch, type GlobMatcher } from './keyspace/glob';
export { typeNameOf, bytesToString, stringToBytes, type StoredValue, type TypedValue } from './keyspace/value';

export { ConfigStore } from './config/config-store';
export type { ConfigOptionSpec, ConfigValue, SavePoint, HostPort } from './config/option-types';
export { RDB_TYPE, type RdbReader, type RdbWriter } from './persistence/rdb-stream';
export { RdbFormatError, isRdbFormatError } from './persistence/rdb-reader';
export type { Logger } from './logging/logger';
