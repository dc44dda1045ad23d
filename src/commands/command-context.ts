import type { Database } from '../keyspace/database';
import type { PropagatedArg } from '../keyspace/change-feed';
import type { ReplyWriter } from '../protocol/reply-writer';
import type { ServerContext } from '../kernel/server-context';

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

  selectDb(index: number): void;
  /** Publishes this argv instead of the command's own (normalized form for deterministic replay). */
  propagateAs(argv: PropagatedArg[]): void;
  /** Publishes the command even though it changed nothing (FLUSHDB on an empty database). */
  forcePropagation(): void;
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
  /** Unix ms when the peer last sent bytes (a replica's newlines while it loads keep it alive). */
  readonly lastInteraction: number;
  /** Runs `listener` once when the connection closes (not for connection-less clients). */
  onClose(listener: () => void): void;
  /**
   * Blocks the client (WAIT): commands it sends meanwhile are queued, not run, so replies keep
   * their order. `unblock` runs the queued commands and writes the replies.
   */
  block(): void;
  unblock(): void;
}
