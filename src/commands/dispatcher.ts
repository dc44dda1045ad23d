import type { PropagatedArg } from '../keyspace/change-feed';
import type { Keyspace } from '../keyspace/keyspace';
import type { Logger } from '../logging/logger';
import type { Client } from '../network/client';
import {
  ERR_LOADING, ERR_NOAUTH, ERR_READONLY, errUnknownCommand, errUnknownSubcommand, errWrongArity,
} from '../protocol/error-replies';
import type { ServerStats } from '../kernel/server-stats';
import type { BlockingService } from '../kernel/blocking';
import type { KeySignals } from '../kernel/key-signals';
import type { ClientTracking } from '../kernel/client-tracking';
import type { MonitorFeed } from '../kernel/monitor-feed';
import type { ClientPause } from '../kernel/client-pause';
import type { Slowlog } from '../kernel/slowlog';
import { ERR_OOM, type Eviction } from '../kernel/eviction';
import type { LatencyMonitor } from '../kernel/latency-monitor';
import type { ClientKernel } from '../network/client';
import { keySpecsOf } from './key-specs';
import { commandKeys } from './command-keys';
import type { CommandSpec } from './command-spec';
import { COMMAND_FLAGS, FLAG_ALLOW_BUSY, FLAG_DENYOOM, FLAG_LOADING, FLAG_MAY_REPLICATE, FLAG_NO_AUTH, FLAG_NO_MULTI, FLAG_READONLY, FLAG_STALE, FLAG_WRITE } from './command-flags';
import { TIMED_CALL_EVERY, type CommandEntry, type CommandTable } from './command-table';
import { LatencyHistogram } from './latency-histogram';

/** Flags that decide whether a command's keys are tracked: read-only, and neither Pub/Sub nor a script runner. */
const TRACKED_READ_MASK = FLAG_READONLY | COMMAND_FLAGS.pubsub | COMMAND_FLAGS.noscript;

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
  /** Set while a long script runs: commands without allow_busy get this error. */
  busy: string | null;
}

const ERR_NOT_IN_MULTI = 'ERR Command not allowed inside a transaction';
/** What a RESP2 client in subscribed mode may still run (processCommand's list). */
const SUBSCRIBED_MODE_COMMANDS = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

/**
 * The one gate every command passes, with Redis 7.0's order of checks (processCommand): lookup,
 * arity, authentication, commands refused inside MULTI, disk errors, min-replicas, read-only
 * replica, stale replica, loading. Inside MULTI a command that passes is queued; otherwise it runs
 * (`call`): if it changed data (the dirty counter moved), the command, or the normalized form the
 * handler chose, is published to the change feed. After a top-level command the clients blocked
 * on keys it changed are served, before any other command runs.
 */
export class Dispatcher {
  /** Nesting of execute(): ready keys are served when the outermost command ends. */
  private depth = 0;
  private readonly blocking: BlockingService;
  private readonly tracking: ClientTracking;
  private readonly monitor: MonitorFeed;
  private readonly pause: ClientPause;
  private readonly slowlog: Slowlog;
  private readonly eviction: Eviction;
  private readonly latency: LatencyMonitor;

  constructor(
    private readonly table: CommandTable,
    private readonly keyspace: Keyspace,
    private readonly state: DispatchState,
    private readonly stats: ServerStats,
    private readonly logger: Logger,
    private readonly signals: KeySignals,
    kernel: ClientKernel,
  ) {
    this.blocking = kernel.blocking;
    this.tracking = kernel.tracking;
    this.monitor = kernel.monitor;
    this.pause = kernel.pause;
    this.slowlog = kernel.slowlog;
    this.eviction = kernel.eviction;
    this.latency = kernel.latency;
    this.blocking.onEnded = (state) => {
      // As Redis's updateStatsOnUnblock: a block ended by an error is a failed call.
      // (A custom block such as WAIT keeps no argv: nothing to count it against.)
      if (state.failed && state.argv.length > 0) {
        const cmd = this.table.lookup(state.argv[0]);
        if (cmd !== undefined) cmd.stats.failed++;
      }
      if (state.callDurationUs >= 0) this.slowlog.push(state.argv, state.callDurationUs, (state.client as Client).address, state.client.name, null);
    };
    this.blocking.runServe = (c, argv, serve) => this.serveBlocked(c as Client, argv, serve);
    this.blocking.inCommand = () => this.depth > 0;
  }

  execute(c: Client, argv: Buffer[]): void {
    if (this.depth !== 0) {
      // A command run by a command (a script's redis.call, a replica applying its stream).
      this.depth++;
      try {
        this.process(c, argv);
      } finally {
        this.depth--;
      }
      return;
    }
    const tracking = this.tracking;
    // Before each command, as Redis's processCommand: keep the tracking table within tracking-table-max-keys.
    if (tracking.maxKeys !== 0 && tracking.trackingClients > 0) tracking.enforceLimit();
    tracking.current = c;
    if (c.replySkip === 2) c.reply.muted = true;
    const caching = c.tracking !== null && c.tracking.caching;
    this.depth = 1;
    try {
      this.process(c, argv);
    } finally {
      this.depth = 0;
    }
    // After the reply: the client's own invalidations, then the blocked clients the command served.
    tracking.afterCommand();
    tracking.current = null;
    if (this.blocking.hasReadyKeys) this.blocking.serveReadyKeys();
    if (c.replySkip !== 0) this.endReplySkip(c);
    // CLIENT CACHING applies to the next command only (kept inside MULTI, as Redis keeps it).
    if (caching && c.tracking !== null && c.multi === null && c.lastCommand.slice(0, 7) !== 'client|') c.tracking.caching = false;
  }

  /** CLIENT REPLY SKIP: given by one command, it silences the next one. */
  private endReplySkip(c: Client): void {
    if (c.replySkip === 2) {
      c.replySkip = 0;
      c.reply.muted = c.replyOff;
    } else {
      c.replySkip = 2;
    }
  }

  private process(c: Client, argv: Buffer[]): void {
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
    const flags = cmd.callFlags === null ? cmd.flags : cmd.callFlags(argv);
    if (!c.authenticated && (flags & FLAG_NO_AUTH) === 0) {
      this.reject(c, cmd, ERR_NOAUTH);
      return;
    }
    const multi = c.multi;
    if (multi !== null && (flags & FLAG_NO_MULTI) !== 0) {
      this.reject(c, cmd, ERR_NOT_IN_MULTI);
      return;
    }
    // EXEC is checked with the flags of what it will run: a write, if any queued command writes.
    const queued = multi !== null && cmd.inMulti === 'exec' ? multi : null;
    // maxmemory: evict before a client's command (not before a script's calls: they go by the
    // state at the script's start); refuse denyoom ones, and anything queued, if still over.
    if (this.eviction.maxmemory !== 0 && this.depth === 1 && this.oomRefuses(c, cmd, flags, queued)) {
      this.reject(c, cmd, ERR_OOM);
      return;
    }
    const state = this.state;
    const obeyed = c.isMasterLink || c.isInternal;
    const writes = (flags & FLAG_WRITE) !== 0 || (queued !== null && (queued.flags & FLAG_WRITE) !== 0);
    if (state.diskError !== null && (writes || cmd.fullName === 'ping') && !obeyed) {
      this.reject(c, cmd, state.diskError);
      return;
    }
    if (state.denyWrites !== null && writes && !obeyed) {
      this.reject(c, cmd, state.denyWrites);
      return;
    }
    if (state.readOnly && writes && !obeyed) {
      this.reject(c, cmd, ERR_READONLY);
      return;
    }
    // RESP2 subscribers only get the subscribe family, PING, QUIT and RESET; RESP3 has no such mode.
    if (c.subscribed && c.reply.protocol === 2 && !SUBSCRIBED_MODE_COMMANDS.has(cmd.fullName)) {
      this.reject(c, cmd, `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
      return;
    }
    if (state.denyStale !== null && !obeyed && ((flags & FLAG_STALE) === 0 || (queued !== null && (queued.inverseFlags & FLAG_STALE) !== 0))) {
      this.reject(c, cmd, state.denyStale);
      return;
    }
    if (state.loading && !c.isInternal && ((flags & FLAG_LOADING) === 0 || (queued !== null && (queued.inverseFlags & FLAG_LOADING) !== 0))) {
      this.reject(c, cmd, ERR_LOADING);
      return;
    }
    // Transactions commands have allow_busy: a pipelined MULTI ... EXEC is then refused whole.
    if (state.busy !== null && (flags & FLAG_ALLOW_BUSY) === 0 && !c.isInternal) {
      this.reject(c, cmd, state.busy);
      return;
    }
    const mayReplicate = (flags & (FLAG_WRITE | FLAG_MAY_REPLICATE)) !== 0 || (queued !== null && (queued.flags & (FLAG_WRITE | FLAG_MAY_REPLICATE)) !== 0);
    // A MONITOR client is a replica to Redis: it may not touch the keyspace.
    if (c.monitoring && (mayReplicate || (flags & FLAG_READONLY) !== 0 || (queued !== null && (queued.flags & FLAG_READONLY) !== 0))) {
      this.reject(c, cmd, "ERR Replica can't interact with the keyspace");
      return;
    }
    if (this.pause.active && !c.isReplica && !c.isMasterLink && !c.isInternal && this.pause.holds(mayReplicate)) {
      c.postpone(argv);
      return;
    }
    c.lastCommand = cmd.fullName;
    if (multi !== null && cmd.inMulti === 'queue') {
      // Once the transaction failed there is no point keeping what comes (Redis neither).
      if (!multi.aborted && !c.dirtyCas) multi.queue(cmd, argv, flags);
      c.reply.queued();
      return;
    }
    this.call(cmd, c, argv);
  }

  /** performEvictions, then whether the command is refused: denyoom, or inside MULTI but for EXEC/DISCARD/QUIT/RESET. */
  private oomRefuses(c: Client, cmd: CommandEntry, flags: number, queued: { flags: number } | null): boolean {
    // Keys evicted now are invalidated at once, even for the client whose command this is: the
    // push goes before its reply, as Redis evicts before the command runs.
    const tracking = this.tracking;
    const current = tracking.current;
    tracking.current = null;
    let oom: boolean;
    try {
      oom = !this.eviction.perform();
    } finally {
      tracking.current = current;
    }
    this.eviction.outOfMemory = oom;
    if (!oom) return false;
    if ((flags & FLAG_DENYOOM) !== 0 || (queued !== null && (queued.flags & FLAG_DENYOOM) !== 0)) return true;
    if (c.multi === null) return false;
    const name = cmd.fullName;
    return cmd.inMulti !== 'exec' && name !== 'discard' && name !== 'quit' && name !== 'reset';
  }

  /** Runs a command that passed the checks: statistics, the handler, propagation. */
  private call(cmd: CommandEntry, c: Client, argv: Buffer[]): void {
    const stats = this.stats;
    stats.totalCommandsProcessed++;
    const errorsBefore = stats.totalErrorReplies;
    const uncountedBefore = c.reply.uncountedErrors;
    const keyspace = this.keyspace;
    const dirtyBefore = keyspace.dirty;
    const st = cmd.stats;
    c.currentArgv = argv;
    // Every call is timed while the slow log or the latency monitor is on (the slow log is by
    // default); else one in TIMED_CALL_EVERY.
    if (this.slowlog.threshold >= 0 || this.latency.threshold > 0) this.runLogged(cmd, c, argv);
    else if (st.calls % TIMED_CALL_EVERY !== 0) this.run(cmd, c, argv);
    else this.runTimed(cmd, c, argv);
    // Counted after the call, as Redis does: INFO commandstats does not include the INFO running.
    st.calls++;
    if (keyspace.memoryPending) keyspace.settleMemory();
    // More errors than before (not fewer: CONFIG RESETSTAT zeroes the counter), and than those
    // already counted against a command it ran (a script's calls: Redis's prev_err_count).
    if ((stats.totalErrorReplies > errorsBefore && stats.totalErrorReplies > stats.errorsAccounted) || c.reply.uncountedErrors !== uncountedBefore) st.failed++;
    stats.errorsAccounted = stats.totalErrorReplies;
    const ownChange = (keyspace.dirty !== dirtyBefore || c.forcePropagate) && !c.propagationPrevented;
    if (c.alsoPropagated !== null) this.publishWithExtras(c, ownChange ? (c.propagateOverride ?? argv) : null);
    else if (ownChange && keyspace.feed.active) {
      keyspace.feed.publish(c.dbIndex, c.propagateOverride ?? argv, c, c.propagateToReplicasOnly && keyspace.dirty === dirtyBefore);
    }
    if ((cmd.flags & TRACKED_READ_MASK) === FLAG_READONLY && (c.tracking !== null || this.depth > 1)) this.trackRead(c, cmd, argv);
    if (this.monitor.active && (cmd.flags & (COMMAND_FLAGS.admin | COMMAND_FLAGS.skip_monitor)) === 0 && !this.state.loading) {
      this.monitor.feed(c, c.dbIndex, argv, c.redacted);
    }
    c.redacted = null;
    c.propagateOverride = null;
    c.forcePropagate = false;
    c.propagateToReplicasOnly = false;
    c.propagationPrevented = false;
    if (keyspace.keyObserver !== null) this.signals.endCommand();
  }

  /**
   * EXEC's work once it is allowed to run: the queued commands, in order, with no other client's
   * command in between; each reply is an element of one array. What they change reaches the AOF
   * and replicas as one MULTI ... EXEC block (a single write goes alone, as in Redis 7.0); a
   * transaction that changed nothing propagates nothing. Inside, blocking commands do not block.
   */
  runTransaction(c: Client): void {
    const multi = c.multi;
    if (multi === null) return;
    const abort = multi.aborted ? EXECABORT : null;
    if (abort === null && !c.dirtyCas && this.watchedKeyExpired(c)) c.dirtyCas = true;
    if (abort !== null || c.dirtyCas) {
      if (abort !== null) c.reply.error(abort);
      else c.reply.nullArray();
      c.discardTransaction();
      return;
    }
    c.unwatchAll();
    const feed = this.keyspace.feed;
    feed.beginBatch();
    c.inExec = true;
    // TTLs are judged at EXEC's time throughout, as Redis's call() caches it for nested calls.
    const clock = this.keyspace.freezeClock();
    try {
      c.reply.array(multi.count);
      for (let i = 0; i < multi.count; i++) this.call(multi.commands[i], c, multi.argvs[i]);
    } finally {
      this.keyspace.thawClock(clock);
      c.inExec = false;
      c.discardTransaction();
      feed.endBatch(c);
      // EXEC itself is never propagated: its commands were (Redis's call() skips execCommand).
      c.propagationPrevented = true;
    }
  }

  /**
   * Client-side caching after a read-only command, as Redis's call() does it: a tracking client's
   * command remembers its keys. A read run by a script remembers the keys of the caller's command
   * (the script's declared keys), not the ones the script named; EVAL_RO, EVALSHA_RO and FCALL_RO
   * (read-only and noscript) remember nothing themselves: the commands their script runs decide.
   */
  private trackRead(c: Client, cmd: CommandEntry, argv: readonly Buffer[]): void {
    if (c.tracking !== null) {
      this.rememberKeys(c, cmd, argv);
      return;
    }
    const caller = this.tracking.current as Client | null;
    if (caller === null || caller === c || caller.tracking === null) return;
    const callerArgv = caller.currentArgv;
    let callerCmd = callerArgv.length === 0 ? undefined : this.table.lookup(callerArgv[0]);
    if (callerCmd !== undefined && callerCmd.subcommands !== null && callerArgv.length >= 2) {
      callerCmd = callerCmd.subcommands.get(callerArgv[1].latin1Slice(0, callerArgv[1].length).toLowerCase());
    }
    if (callerCmd !== undefined) this.rememberKeys(caller, callerCmd, callerArgv);
  }

  /** Client-side caching: the keys a tracking client's read-only command read (as its key specs say). */
  private rememberKeys(c: Client, cmd: CommandEntry, argv: readonly Buffer[]): void {
    const spec = cmd.spec as CommandSpec;
    const keys = commandKeys(spec, keySpecsOf(spec), argv);
    if (keys.length === 0) return;
    this.tracking.rememberKeys(c, keys.map((k) => argv[k.pos].latin1Slice(0, argv[k.pos].length)));
  }

  private watchedKeyExpired(c: Client): boolean {
    return c.watched !== null && c.kernel.watches.anyExpired(c);
  }

  /**
   * A blocked client's serve callback, run as its command would run: statistics are the blocking
   * command's (counted when it blocked, as Redis does), and what the serve changed is published in
   * the form it chose with propagateAs (BLPOP → LPOP), or else as the command itself.
   */
  private serveBlocked(c: Client, argv: readonly Buffer[], serve: () => boolean): boolean {
    const keyspace = this.keyspace;
    const dirtyBefore = keyspace.dirty;
    const errorsBefore = this.stats.totalErrorReplies;
    // The served client is the current one meanwhile (Redis's handleClientsBlockedOnKeys), so its
    // own invalidations (BLMOVE's destination) follow its reply.
    const tracking = this.tracking;
    const previous = tracking.current;
    tracking.current = c;
    let served: boolean;
    try {
      served = serve();
    } catch (e) {
      this.stats.unexpectedErrorReplies++;
      this.logger.warning(`Serving blocked client id=${c.id} failed: ${(e as Error).stack ?? String(e)}`);
      c.reply.error(`ERR internal error while serving a blocked client: ${(e as Error).message}`);
      served = true;
    }
    // A block that ends in an error (XREADGROUP's group destroyed) is a failed call, as Redis's
    // updateStatsOnUnblock counts it.
    if (this.stats.totalErrorReplies > errorsBefore) {
      const cmd = this.table.lookup(argv[0]);
      if (cmd !== undefined) cmd.stats.failed++;
    }
    const ownChange = (keyspace.dirty !== dirtyBefore || c.forcePropagate) && !c.propagationPrevented;
    if (c.alsoPropagated !== null) this.publishWithExtras(c, ownChange ? (c.propagateOverride ?? argv) : null);
    else if (ownChange && keyspace.feed.active) keyspace.feed.publish(c.dbIndex, c.propagateOverride ?? argv, c);
    c.propagateOverride = null;
    c.forcePropagate = false;
    if (keyspace.memoryPending) keyspace.settleMemory();
    c.propagationPrevented = false;
    if (keyspace.keyObserver !== null) this.signals.endCommand();
    tracking.afterCommand();
    tracking.current = previous;
    return served;
  }

  /**
   * A command's own change (or null) and what it added with alsoPropagate, published as one unit
   * (MULTI/EXEC around them when more than one), as Redis's propagatePendingCommands.
   */
  private publishWithExtras(c: Client, own: readonly PropagatedArg[] | null): void {
    const extras = c.alsoPropagated!;
    c.alsoPropagated = null;
    const feed = this.keyspace.feed;
    if (!feed.active) return;
    feed.beginBatch();
    if (own !== null) feed.publish(c.dbIndex, own, c);
    for (let i = 0; i < extras.length; i++) feed.publish(c.dbIndex, extras[i], c);
    feed.endBatch(c);
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
  private runTimed(cmd: CommandEntry, c: Client, argv: Buffer[]): number {
    const startedMs = performance.now();
    this.run(cmd, c, argv);
    const usec = Math.floor(performance.now() * 1000) - Math.floor(startedMs * 1000);
    const st = cmd.stats;
    st.timedCalls++;
    st.timedUsec += usec;
    if (this.state.latencyTracking) (st.latency ??= new LatencyHistogram()).record(usec * 1000);
    return usec;
  }

  /** runTimed, then the slow log (a blocking command is logged when its block ends, as Redis does). */
  private runLogged(cmd: CommandEntry, c: Client, argv: Buffer[]): void {
    const blockedBefore = c.blockState;
    const usec = this.runTimed(cmd, c, argv);
    if (this.latency.threshold > 0) this.latency.addSampleIfNeeded((cmd.flags & COMMAND_FLAGS.fast) !== 0 ? 'fast-command' : 'command', usec / 1000);
    if ((cmd.flags & COMMAND_FLAGS.skip_slowlog) !== 0) return;
    const state = c.blockState;
    if (state !== null && state !== blockedBefore) state.callDurationUs = usec;
    // Checked here, not only in push: the peer's address is a new string per call.
    else if (this.slowlog.threshold >= 0 && usec >= this.slowlog.threshold) this.slowlog.push(argv, usec, c.address, c.name, c.redacted);
  }

  /**
   * Refuses a command before it runs; `cmd` is null when it does not exist. Inside MULTI the
   * transaction is marked failed; a refused EXEC discards it, saying why (execCommandAbort).
   */
  private reject(c: Client, cmd: CommandEntry | null, message: string): void {
    if (cmd !== null) cmd.stats.rejected++;
    // A client's writer counts its own errors (INFO errorstats). Internal clients have none, and
    // the AOF loader still learns of a refused command from this counter, as before.
    if (c.reply.onError === null) this.stats.totalErrorReplies++;
    const multi = c.multi;
    if (multi !== null) {
      multi.aborted = true;
      if (cmd !== null && cmd.inMulti === 'exec') {
        c.discardTransaction();
        c.reply.error('EXECABORT Transaction discarded because of: ' + message);
        // MONITOR saw MULTI: it sees this EXEC too, so it knows the transaction is over.
        if (this.monitor.active) this.monitor.feed(c, c.dbIndex, ['EXEC'], null);
        return;
      }
    }
    c.reply.error(message);
  }
}
