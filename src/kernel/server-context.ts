import type { CommandContext } from '../commands/command-context';
import type { CommandInfo } from '../commands/command-table';
import type { ConfigStore } from '../config/config-store';
import type { Keyspace } from '../keyspace/keyspace';
import type { Logger } from '../logging/logger';
import type { RdbAuxFields } from '../persistence/rdb-aux-fields';
import type { RdbFunctions } from '../persistence/rdb-functions';
import type { DataTypeRegistry } from './data-types';
import type { InfoRegistry } from './info-registry';
import type { DebugRegistry } from './debug-registry';
import type { PersistenceProvider, ReplicationProviderApi } from './plugin-api';
import type { ServerStats } from './server-stats';
import type { Eviction } from './eviction';
import type { MemoryAccounting } from './memory-accounting';
import type { ReplyBufferSettings } from '../network/reply-buffer-account';

/** The kernel services plugins and handlers use (injected as TOKENS.Server). */
/** Where plugins record latency events (see ServerContext.latency). */
export interface LatencyRecorder {
  /** latency-monitor-threshold in ms; 0 when the monitor is off (skip measuring then). */
  readonly threshold: number;
  addSampleIfNeeded(event: string, ms: number): void;
}

export interface ServerContext {
  readonly keyspace: Keyspace;
  readonly config: ConfigStore;
  readonly logger: Logger;
  readonly stats: ServerStats;
  readonly dataTypes: DataTypeRegistry;
  readonly info: InfoRegistry;
  /** DEBUG subcommands of plugins' own (`debug.add({ name, arity, run })`), behind enable-debug-command as the kernel's. */
  readonly debug: DebugRegistry;
  /** AUX fields plugins add to saved RDB files and read back from the one loaded at start. */
  readonly rdbAux: RdbAuxFields;
  /** Function libraries in RDB files: the scripting plugin owns them, persistence plugins write and read them. */
  readonly rdbFunctions: RdbFunctions;
  /**
   * The latency monitor (LATENCY LATEST/HISTORY): `latency.addSampleIfNeeded('aof-write', ms)`
   * records an event of the plugin's that took at least `latency-monitor-threshold` ms.
   */
  readonly latency: LatencyRecorder;
  /** 40 hex characters, new each start (INFO run_id). */
  readonly runId: string;
  /** Unix ms when the server started. */
  readonly startedAt: number;
  /** Port actually listened on (resolved when port 0 was asked for). */
  readonly port: number;
  /** Persistence providers selected by the config, in load order. */
  readonly persistence: readonly PersistenceProvider[];
  /** The replication provider, if one is loaded. */
  readonly replication: ReplicationProviderApi | null;
  /** While true, clients get -LOADING (set by a provider during its load). */
  loading: boolean;
  /**
   * DEBUG PAUSE-CRON: while true the periodic work (active expiry, idle timeouts, the tracking
   * table limit) is skipped, as Redis's serverCron returns early on pause_cron.
   */
  cronPaused: boolean;
  /** DEBUG REPLYBUFFER: how the clients cron resizes the reply buffers CLIENT LIST reports. */
  readonly replyBuffers: ReplyBufferSettings;
  /** While true, clients' write commands get -READONLY (a read-only replica). */
  readOnly: boolean;
  /**
   * While set, clients' write commands and PING get this error, e.g. Redis's MISCONF text after a
   * failed background save (stop-writes-on-bgsave-error). Persistence providers set and clear it.
   */
  diskError: string | null;
  /** While set, clients' write commands get this error (a master short of good replicas: NOREPLICAS). */
  denyWrites: string | null;
  /**
   * While set, clients' commands without the `stale` flag get this error (a replica whose link is
   * down with replica-serve-stale-data no: MASTERDOWN).
   */
  denyStale: string | null;
  /**
   * maxmemory: `maxmemory` (0: no limit) and `outOfMemory`, what the check before the running
   * top-level command found (a script's first denyoom call is refused on it, as Redis's
   * pre_command_oom_state).
   */
  readonly eviction: Pick<Eviction, 'maxmemory' | 'outOfMemory'>;
  /** used_memory and its parts, as INFO reports them and eviction compares them (memory-accounting.ts). */
  readonly memory: MemoryAccounting;
  /** Connected clients, by id. */
  readonly clients: ReadonlyMap<number, CommandContext>;

  /**
   * While set, commands without the `allow_busy` flag get this error (a long-running script:
   * Redis's "BUSY Redis is busy running a script..."). The plugin running the long job sets and clears it.
   */
  busy: string | null;
  /**
   * A client with no connection, for replaying commands (AOF, master stream) or running them on a
   * plugin's behalf (scripts). Replies are discarded, unless `keepReplies`: then they accumulate in
   * its `reply` writer (RESP2 or RESP3 as its `reply.protocol` says) for the plugin to take.
   * `script`: the client a scripting plugin runs its scripts' commands as (MONITOR shows `[<db> lua]`).
   */
  createInternalClient(options?: { masterLink?: boolean; keepReplies?: boolean; script?: boolean }): CommandContext;
  /** The command (or subcommand) an argument vector names, as the dispatcher would resolve it, or undefined. */
  lookupCommand(argv: readonly Buffer[]): CommandInfo | undefined;
  /** Counts a call of `cmd` refused before it ran (INFO commandstats rejected_calls), e.g. by a script's checks. */
  countRejectedCall(cmd: CommandInfo): void;
  /** Writes a client's pending replies (for replies produced outside a request batch, e.g. WAIT). */
  flushClient(client: CommandContext): void;
  /** A full garbage collection now (MEMORY PURGE); false when Node gives no collector. */
  collectGarbage(): boolean;
  /** Runs a command through the dispatcher as `client` sent it. */
  execute(client: CommandContext, argv: Buffer[]): void;
  /**
   * Emits a keyspace event (see CommandContext.notifyKeyspaceEvent) from outside a command: the
   * expiry of a key, an eviction, a plugin's own timer.
   */
  notifyKeyspaceEvent(type: number, event: string, key: string, dbIndex: number): void;
  /**
   * Holds replies of the current event-loop turn until `barrier` has run (for example an AOF
   * write + fsync under `appendfsync always`). Set to null to write replies immediately.
   */
  setDurabilityBarrier(barrier: (() => void) | null): void;
  /**
   * Stops the server (SHUTDOWN, signals): providers flush, clients are closed. Resolves false when
   * a provider's final save failed and the shutdown was refused (unless `force`): still running.
   */
  tryShutdown(options?: { save?: boolean; nosave?: boolean; force?: boolean }): Promise<boolean>;
}
