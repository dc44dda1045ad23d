import type { Database } from '../keyspace/database';
import type { PropagatedArg } from '../keyspace/change-feed';
import type { ReplyWriter } from '../protocol/reply-writer';
import type { ServerContext } from '../kernel/server-context';
import type { BlockHandler, KeysBlockHandler } from '../kernel/blocking';

/**
 * What a command handler sees of the connection that sent the command. The same interface serves
 * real clients, AOF replay and the stream from a master (those discard replies).
 */
export interface CommandContext {
  readonly id: number;
  readonly reply: ReplyWriter;
  /** The selected database. */
  readonly db: Database;
  readonly dbIndex: number;
  readonly server: ServerContext;
  /** CLIENT SETNAME value ("" when unset). */
  name: string;
  authenticated: boolean;
  /** Commands arriving from our master (replica side): writes are always allowed. */
  readonly isMasterLink: boolean;
  /** True for a connection-less client (AOF replay, internal execution). */
  readonly isInternal: boolean;
  /** The client scripts run their commands as (MONITOR shows it as `lua`). */
  readonly isScript: boolean;
  /**
   * Shows the running command to MONITOR clients now, before the commands it runs (Redis's EVAL
   * and FCALL do so); for a `skip_monitor` command, which the dispatcher does not show after it ran.
   */
  feedMonitor(): void;

  selectDb(index: number): void;
  /** Publishes this argv instead of the command's own (normalized form for deterministic replay). */
  propagateAs(argv: PropagatedArg[]): void;
  /**
   * Publishes the command even though it changed nothing (FLUSHDB on an empty database); with
   * 'replicas', to the replicas only and not to the AOF (PUBLISH, as Redis propagates it).
   */
  forcePropagation(to?: 'all' | 'replicas'): void;
  /**
   * Publishes nothing for this command even though it changed data: its effects were published
   * otherwise (a script's commands, each dispatched on their own, as Redis 7.0 replicates effects).
   */
  preventPropagation(): void;
  /**
   * Publishes `argv` too, after the command's own form (when that propagates): XREADGROUP's
   * XCLAIMs, as Redis's alsoPropagate. Everything a command published goes out together, wrapped
   * in MULTI/EXEC when it is more than one command.
   */
  alsoPropagate(argv: PropagatedArg[]): void;
  /** Closes the connection once pending replies are written (QUIT). */
  closeAfterReply(): void;

  /** The peer's "ip:port" ("" without a socket). */
  readonly address: string;
  /** Closes the connection now, dropping pending output (CLIENT KILL, output buffer limits). */
  kill(): void;
  /** True once this connection became a replica of ours (PSYNC/SYNC): CLIENT LIST flags=S. */
  readonly isReplica: boolean;
  /** Marks the connection as a replica: no idle timeout, CLIENT KILL/LIST TYPE replica. */
  markAsReplica(): void;
  /** Bytes of output not yet written to the socket (replies buffered plus the socket's own). */
  readonly outputBytes: number;
  /**
   * True once the replies built so far take the client over its client-output-buffer-limit hard
   * limit: it will be closed and nothing more of them sent, so a command building a huge reply
   * (HRANDFIELD with a huge negative count, KEYS) may stop early, as Redis's do.
   */
  outputLimitReached(): boolean;
  /** Unix ms when the peer last sent bytes (a replica's newlines while it loads keep it alive). */
  readonly lastInteraction: number;
  /** Runs `listener` once when the connection closes (not for connection-less clients). */
  onClose(listener: () => void): void;

  /**
   * True where a command must not block: inside MULTI/EXEC, a script, the master's stream or AOF
   * loading. `blockOnKeys` then calls the handler's `timeout` at once, so a blocking command
   * behaves as its non-blocking form with a timeout that already passed.
   */
  readonly blockingDenied: boolean;
  /** True while the client is blocked (CLIENT LIST flag b). */
  readonly isBlocked: boolean;
  /**
   * Blocks the client on keys of its selected database until `handler.serve` accepts one of them
   * or `deadline` (unix ms; 0 = never, see parseTimeoutOrReply) passes. Commands the client sends
   * meanwhile wait behind it. Any write to a key (by any client, plugin, expiry, the master's
   * stream) offers it to the clients blocked on it, first blocked first served, right after the
   * command that wrote it.
   */
  blockOnKeys(keys: readonly string[], deadline: number, handler: KeysBlockHandler): void;
  /**
   * Blocks the client on a condition of the plugin's own (WAIT for replicas): the plugin replies
   * and calls `unblock()` when it holds; `handler.timeout` runs at the deadline (0 = never).
   */
  block(deadline: number, handler: BlockHandler): void;
  /** Ends the client's block: the commands it sent meanwhile run, its replies are written. */
  unblock(): void;
  /**
   * Emits a keyspace event for `key` of the selected database (`NOTIFY.LIST`, "lpush", key), as
   * Redis's notifyKeyspaceEvent: published on `__keyspace@<db>__:<key>` / `__keyevent@<db>__:<event>`
   * when `notify-keyspace-events` selects the class; costs one bit test otherwise.
   */
  notifyKeyspaceEvent(type: number, event: string, key: string): void;
}
