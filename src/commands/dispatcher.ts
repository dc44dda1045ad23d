import type { Keyspace } from '../keyspace/keyspace';
import type { Logger } from '../logging/logger';
import type { Client } from '../network/client';
import {
  ERR_LOADING, ERR_NOAUTH, ERR_READONLY, errUnknownCommand, errUnknownSubcommand, errWrongArity,
} from '../protocol/error-replies';
import type { ServerStats } from '../kernel/server-stats';
import { FLAG_LOADING, FLAG_NO_AUTH, FLAG_STALE, FLAG_WRITE } from './command-flags';
import { TIMED_CALL_EVERY, type CommandEntry, type CommandTable } from './command-table';
import { LatencyHistogram } from './latency-histogram';

/** Server state the dispatcher's checks read. */
export interface DispatchState {
  loading: boolean;
  readOnly: boolean;
  /** Set while persistence is failing: write commands (and PING, as in Redis) get this error. */
  diskError: string | null;
  /** Set on a master short of good replicas (min-replicas-to-write): write commands get this error. */
  denyWrites: string | null;
  /** Set on a replica whose link is down with replica-serve-stale-data no: commands without the stale flag get this error. */
  denyStale: string | null;
  /** latency-tracking: timed calls also go to the command's histogram (INFO latencystats). */
  latencyTracking: boolean;
}

/**
 * The one gate every command passes, with Redis's order of checks: lookup, arity, authentication,
 * loading, read-only replica. Then the handler runs; if it changed data (the dirty counter moved),
 * the command, or the normalized form the handler chose, is published to the change feed.
 */
export class Dispatcher {
  constructor(
    private readonly table: CommandTable,
    private readonly keyspace: Keyspace,
    private readonly state: DispatchState,
    private readonly stats: ServerStats,
    private readonly logger: Logger,
  ) {}

  execute(c: Client, argv: Buffer[]): void {
    let cmd: CommandEntry | undefined = this.table.lookup(argv[0]);
    if (cmd === undefined) {
      this.reject(c, null, errUnknownCommand(argv));
      return;
    }
    if (cmd.subcommands !== null && argv.length >= 2) {
      const sub = argv[1];
      const found: CommandEntry | undefined = cmd.subcommands.get(sub.latin1Slice(0, sub.length).toLowerCase());
      if (found === undefined) {
        this.reject(c, null, errUnknownSubcommand(sub, argv[0].latin1Slice(0, argv[0].length)));
        return;
      }
      cmd = found;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.reject(c, cmd, errWrongArity(cmd.fullName));
      return;
    }
    const flags = cmd.flags;
    if (!c.authenticated && (flags & FLAG_NO_AUTH) === 0) {
      this.reject(c, cmd, ERR_NOAUTH);
      return;
    }
    if (this.state.diskError !== null && ((flags & FLAG_WRITE) !== 0 || cmd.fullName === 'ping') && !c.isMasterLink && !c.isInternal) {
      this.reject(c, cmd, this.state.diskError);
      return;
    }
    if (this.state.loading && (flags & FLAG_LOADING) === 0 && !c.isInternal) {
      this.reject(c, cmd, ERR_LOADING);
      return;
    }
    if (this.state.denyWrites !== null && (flags & FLAG_WRITE) !== 0 && !c.isMasterLink && !c.isInternal) {
      this.reject(c, cmd, this.state.denyWrites);
      return;
    }
    if (this.state.readOnly && (flags & FLAG_WRITE) !== 0 && !c.isMasterLink && !c.isInternal) {
      this.reject(c, cmd, ERR_READONLY);
      return;
    }
    if (this.state.denyStale !== null && (flags & FLAG_STALE) === 0 && !c.isMasterLink && !c.isInternal) {
      this.reject(c, cmd, this.state.denyStale);
      return;
    }
    c.lastCommand = cmd.fullName;
    const stats = this.stats;
    stats.totalCommandsProcessed++;
    const errorsBefore = stats.totalErrorReplies;
    const keyspace = this.keyspace;
    const dirtyBefore = keyspace.dirty;
    const st = cmd.stats;
    if (st.calls % TIMED_CALL_EVERY !== 0) this.run(cmd, c, argv);
    else this.runTimed(cmd, c, argv);
    // Counted after the call, as Redis does: INFO commandstats does not include the INFO running.
    st.calls++;
    // More errors than before (not fewer: CONFIG RESETSTAT zeroes the counter).
    if (stats.totalErrorReplies > errorsBefore) st.failed++;
    if (keyspace.dirty !== dirtyBefore || c.forcePropagate) {
      if (keyspace.feed.active) keyspace.feed.publish(c.dbIndex, c.propagateOverride ?? argv, c);
      c.propagateOverride = null;
      c.forcePropagate = false;
    } else if (c.propagateOverride !== null) {
      c.propagateOverride = null;
    }
  }

  private run(cmd: CommandEntry, c: Client, argv: Buffer[]): void {
    try {
      cmd.handler!(c, argv);
    } catch (e) {
      this.stats.unexpectedErrorReplies++;
      this.logger.warning(`Command '${cmd.fullName}' failed: ${(e as Error).stack ?? String(e)}`);
      c.reply.error(`ERR internal error while running '${cmd.fullName}': ${(e as Error).message}`);
    }
  }

  /** run(), timed in whole microseconds as Redis's monotonic microsecond clock counts them. */
  private runTimed(cmd: CommandEntry, c: Client, argv: Buffer[]): void {
    const startedMs = performance.now();
    this.run(cmd, c, argv);
    const usec = Math.floor(performance.now() * 1000) - Math.floor(startedMs * 1000);
    const st = cmd.stats;
    st.timedCalls++;
    st.timedUsec += usec;
    if (this.state.latencyTracking) (st.latency ??= new LatencyHistogram()).record(usec * 1000);
  }

  /** Refuses a command before it runs; `cmd` is null when it does not exist. */
  private reject(c: Client, cmd: CommandEntry | null, message: string): void {
    if (cmd !== null) cmd.stats.rejected++;
    // A client's writer counts its own errors (INFO errorstats). Internal clients have none, and
    // the AOF loader still learns of a refused command from this counter, as before.
    if (c.reply.onError === null) this.stats.totalErrorReplies++;
    c.reply.error(message);
  }
}
