import type { Socket } from 'node:net';
import type { CommandContext } from '../commands/command-context';
import type { Database } from '../keyspace/database';
import type { PropagatedArg } from '../keyspace/change-feed';
import { ProtocolError, RequestParser, type ParserLimits, type RequestSink } from '../protocol/request-parser';
import { ReplyWriter } from '../protocol/reply-writer';
import type { ServerContext } from '../kernel/server-context';
import type { BlockableClient, BlockHandler, BlockingService, BlockState, KeysBlockHandler } from '../kernel/blocking';
import type { KeyspaceNotifier } from '../kernel/notifications';
import type { MultiState } from '../kernel/transaction';
import type { WatchedKey, WatchingClient, WatchRegistry } from '../kernel/watched-keys';
import type { PubSubRegistry, Subscriber } from '../kernel/pubsub';
import { describeClient } from './client-description';
import { QueryBufferAccount } from './query-buffer-account';
import { ReplyBufferAccount, replyListBytes, type ReplyBufferSettings } from './reply-buffer-account';
import { outputLimitReached, type OutputLimits } from './output-limits';
import type { ClientTracking, TrackingClient, TrackingState } from '../kernel/client-tracking';
import type { MonitorFeed, MonitorTarget } from '../kernel/monitor-feed';
import type { ClientPause, PostponedClient } from '../kernel/client-pause';
import type { Eviction } from '../kernel/eviction';
import type { Slowlog } from '../kernel/slowlog';
import type { LatencyMonitor } from '../kernel/latency-monitor';

/** The kernel services a connection's own state lives in. */
export interface ClientKernel {
  readonly blocking: BlockingService;
  readonly watches: WatchRegistry;
  readonly notifier: KeyspaceNotifier;
  readonly pubsub: PubSubRegistry;
  readonly outputLimits: OutputLimits;
  readonly tracking: ClientTracking;
  readonly monitor: MonitorFeed;
  readonly pause: ClientPause;
  /** proto-max-bulk-len and client-query-buffer-limit, current. */
  readonly inputLimits: ParserLimits & { maxQueryBuffer: number };
  readonly slowlog: Slowlog;
  /** maxmemory: the eviction pass the dispatcher runs before commands while a limit is set. */
  readonly eviction: Eviction;
  readonly latency: LatencyMonitor;
}

/** What a client needs from the server that owns it. */
export interface ClientHost {
  readonly context: ServerContext;
  readonly kernel: ClientKernel;
  dispatch(client: Client, argv: Buffer[]): void;
  /** Called after a whole input batch was processed: write now, or after the durability barrier. */
  batchDone(client: Client): void;
  /** Output produced outside the client's own batch (a Pub/Sub message): written at the end of the turn. */
  deferWrite(client: Client): void;
  clientClosed(client: Client): void;
  readonly stats: { totalNetInputBytes: number; totalNetOutputBytes: number; countError(message: string): void };
}

/** One connection's state. Also used without a socket for AOF replay and the master stream. */
export class Client implements CommandContext, RequestSink, BlockableClient, WatchingClient, Subscriber, TrackingClient, MonitorTarget, PostponedClient {
  readonly reply = new ReplyWriter();
  readonly parser: RequestParser;
  /** qbuf-free and the query buffer's size as Redis would have them (see QueryBufferAccount). */
  readonly queryBuffer = new QueryBufferAccount();
  /** rbs and rbp as Redis would have them (see ReplyBufferAccount). */
  readonly replyBuffer = new ReplyBufferAccount();
  db: Database;
  dbIndex = 0;
  name = '';
  authenticated: boolean;
  readonly createdAt = Date.now();
  lastInteraction = this.createdAt;
  /** Full name of the last command (CLIENT LIST cmd=). */
  lastCommand = 'NULL';
  libName = '';
  libVer = '';
  noEvict = false;
  noTouch = false;
  /** Set by a handler to publish a normalized form instead of argv. */
  propagateOverride: PropagatedArg[] | null = null;
  forcePropagate = false;
  /** With forcePropagate: the command goes to replicas, not the AOF (PUBLISH). */
  propagateToReplicasOnly = false;
  /** Set by a handler whose writes propagate themselves (a script's commands): the command itself is not published. */
  propagationPrevented = false;
  /** Extra changes to publish after the command's own (alsoPropagate), or null. */
  alsoPropagated: PropagatedArg[][] | null = null;
  /** Whether this client is already queued for the end-of-turn write. */
  queuedForWrite = false;
  /** A replica of ours (set by the replication plugin): CLIENT LIST flags=S, no idle timeout. */
  isReplica = false;
  /** MULTI in progress: the queued commands (CLIENT LIST flag x). */
  multi: MultiState | null = null;
  /** Running EXEC's commands: blocking commands must not block. */
  inExec = false;
  watched: WatchedKey[] | null = null;
  dirtyCas = false;
  /** CLIENT TRACKING state, null while off. */
  tracking: TrackingState | null = null;
  /** A MONITOR client (CLIENT LIST flag O): it gets every command, and may not touch the keyspace. */
  monitoring = false;
  /** CLIENT REPLY OFF. */
  replyOff = false;
  /** CLIENT REPLY SKIP: 1 once given (it applies to the next command), 2 while that command runs. */
  replySkip = 0;
  /** Argument indexes the running command asked MONITOR to show as "(redacted)" (AUTH), or null. */
  redacted: Set<number> | null = null;
  /** Pub/Sub subscriptions (CLIENT LIST sub/psub/ssub), null until the first. */
  channels: Set<string> | null = null;
  patterns: Set<string> | null = null;
  shardChannels: Set<string> | null = null;
  /** The arguments of the command running now (set by the dispatcher; a blocked command keeps a copy). */
  currentArgv: readonly Buffer[] = [];
  /** Blocked by a command (BLPOP, WAIT ...): CLIENT LIST flag b. */
  blockState: BlockState | null = null;
  /** Commands received while held (blocked, or waiting for CONFIG SET port), run on release; null when not held. */
  private blockedQueue: Buffer[][] | null = null;
  private closeListeners: (() => void)[] | null = null;
  private closing = false;
  private readingPaused = false;
  /** Input held while a shutdown is in progress (see suspendReading). */
  private suspended = false;
  closed = false;

  constructor(
    private readonly host: ClientHost,
    readonly id: number,
    readonly socket: Socket | null,
    options: { authenticated: boolean; masterLink?: boolean; script?: boolean },
  ) {
    this.parser = new RequestParser(this, host.kernel.inputLimits);
    this.authenticated = options.authenticated;
    this.parser.authenticated = options.authenticated;
    this.isMasterLink = options.masterLink ?? false;
    this.isScript = options.script ?? false;
    this.db = host.context.keyspace.databases[0];
    if (socket === null) this.reply.muted = true;
    else this.reply.onError = host.stats.countError;
  }

  readonly isMasterLink: boolean;
  readonly isScript: boolean;

  get isInternal(): boolean {
    return this.socket === null;
  }

  get server(): ServerContext {
    return this.host.context;
  }

  get kernel(): ClientKernel {
    return this.host.kernel;
  }

  get blockingDenied(): boolean {
    return this.inExec || this.socket === null;
  }

  get isBlocked(): boolean {
    return this.blockState !== null;
  }

  get protocol(): number {
    return this.reply.protocol;
  }

  /**
   * Subscribed to anything (CLIENT LIST flag P, client type pubsub): in RESP2, only the subscribe
   * family, PING, QUIT and RESET run. A field, kept by updateSubscribed, as the dispatcher reads it.
   */
  subscribed = false;

  updateSubscribed(): void {
    this.subscribed = (this.channels !== null && this.channels.size > 0) || (this.patterns !== null && this.patterns.size > 0) ||
      (this.shardChannels !== null && this.shardChannels.size > 0);
  }

  /** Channels plus patterns: the count (un)subscribe confirmations carry. */
  get subscriptionCount(): number {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0);
  }

  deliver(frame: Buffer): void {
    if (this.closed) return;
    this.reply.pushFrame(frame);
    if (this.checkOutputLimit()) this.host.deferWrite(this);
  }

  /** CommandContext: the hard limit is reached by what is queued, counted as Redis counts it. */
  outputLimitReached(): boolean {
    const socket = this.socket;
    if (this.isReplica || socket === null) return false;
    const limits = this.host.kernel.outputLimits;
    const hard = (this.subscribed ? limits.pubsub : limits.normal).hard;
    if (hard === 0) return false;
    return socket.writableLength + replyListBytes(this.reply.pendingBytes, this.replyBuffer.size) >= hard;
  }

  /** When its output went over it soft limit (0: it is not): see outputLimitReached. */
  overSoftSince = 0;

  /**
   * client-output-buffer-limit for this client's class (pubsub when subscribed, else normal):
   * over it, the client is closed and the reason logged, as Redis does. False if it was closed.
   */
  private checkOutputLimit(unwritten = -1): boolean {
    const socket = this.socket;
    if (this.isReplica || socket === null) return true;
    const limits = this.host.kernel.outputLimits;
    const limit = this.subscribed ? limits.pubsub : limits.normal;
    if (limit.lowest === 0) return true;
    // `unwritten`: a batch about to be written, counted as Redis's reply blocks; else what waits now.
    const used = unwritten < 0 ? this.outputBytes : socket.writableLength + replyListBytes(unwritten, this.replyBuffer.size);
    // The common case, once per reply or published message: well under every limit.
    if (used < limit.lowest && this.overSoftSince === 0) return true;
    if (!outputLimitReached(limit, used, this, Date.now())) return true;
    this.host.context.logger.warning(`Client ${describeClient(this).trimEnd()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.reply.clear();
    this.kill();
    return false;
  }

  blockOnKeys(keys: readonly string[], deadline: number, handler: KeysBlockHandler): void {
    if (this.blockingDenied) {
      handler.timeout(this);
      handler.ended?.(this);
      return;
    }
    this.host.kernel.blocking.block(this, handler, deadline, keys, this.currentArgv);
  }

  block(deadline: number, handler: BlockHandler): void {
    this.host.kernel.blocking.block(this, handler, deadline, null, []);
  }

  unblock(): void {
    this.host.kernel.blocking.unblock(this);
  }

  notifyKeyspaceEvent(type: number, event: string, key: string): void {
    this.host.kernel.notifier.emit(type, event, key, this.dbIndex);
  }

  feedMonitor(): void {
    const monitor = this.host.kernel.monitor;
    if (monitor.active && !this.server.loading) monitor.feed(this, this.dbIndex, this.currentArgv, this.redacted);
  }

  /** MONITOR shows this argument of the running command as "(redacted)". */
  redact(index: number): void {
    (this.redacted ??= new Set()).add(index);
  }

  /** CLIENT PAUSE: the command now running waits (it runs first once the pause ends). */
  postpone(argv: readonly Buffer[]): void {
    const pause = this.host.kernel.pause;
    this.host.kernel.blocking.block(this, { timeout: () => undefined, ended: () => pause.forget(this) }, 0, null, []);
    this.blockedQueue!.unshift(argv.map((a) => Buffer.from(a)));
    pause.postpone(this);
  }

  resumeFromPause(): void {
    this.unblock();
  }

  /** Leaves MULTI: the queued commands are dropped and every key unwatched (DISCARD, EXEC, RESET). */
  discardTransaction(): void {
    this.multi = null;
    this.dirtyCas = false;
    this.unwatchAll();
  }

  unwatchAll(): void {
    if (this.watched !== null) this.host.kernel.watches.unwatchAll(this);
  }

  get address(): string {
    const s = this.socket;
    if (s === null) return '';
    return formatAddress(s.remoteAddress, s.remotePort);
  }

  get localAddress(): string {
    const s = this.socket;
    if (s === null) return '';
    return formatAddress(s.localAddress, s.localPort);
  }

  selectDb(index: number): void {
    this.db = this.host.context.keyspace.databases[index];
    this.dbIndex = index;
  }

  propagateAs(argv: PropagatedArg[]): void {
    this.propagateOverride = argv;
  }

  forcePropagation(to: 'all' | 'replicas' = 'all'): void {
    this.forcePropagate = true;
    this.propagateToReplicasOnly = to === 'replicas';
  }

  preventPropagation(): void {
    this.propagationPrevented = true;
  }

  alsoPropagate(argv: PropagatedArg[]): void {
    (this.alsoPropagated ??= []).push(argv);
  }

  closeAfterReply(): void {
    this.closing = true;
  }

  markAsReplica(): void {
    this.isReplica = true;
  }

  onClose(listener: () => void): void {
    if (this.closed) return;
    (this.closeListeners ??= []).push(listener);
  }

  /**
   * Holds the client: commands it sends meanwhile are queued, not run, so replies keep their order.
   * The socket is still read (as Redis reads a blocked client's query buffer), so a peer that goes
   * away while blocked is seen at once and its block dropped.
   */
  hold(): void {
    if (this.blockedQueue !== null) return;
    this.blockedQueue = [];
  }

  /**
   * Ends the hold: the commands queued meanwhile run in the next turn of the event loop (stopping
   * if one blocks again), then replies are written. Never at once: as Redis runs unblocked clients
   * before it next sleeps, not inside the command that unblocked them (a replica's REPLCONF ACK
   * ending a WAIT must not look as if it made the writes queued behind the WAIT).
   */
  release(): void {
    const queue = this.blockedQueue;
    if (queue === null) return;
    this.blockedQueue = null;
    if (queue.length === 0) this.readAgain();
    else setImmediate(() => this.runQueued(queue));
  }

  private runQueued(queue: Buffer[][]): void {
    for (let i = 0; i < queue.length; i++) {
      if (this.blockedQueue !== null) {
        // Blocked again by a queued command: the rest waits for the next unblock.
        (this.blockedQueue as Buffer[][]).push(...queue.slice(i));
        break;
      }
      if (this.closing || this.closed) break;
      this.host.dispatch(this, queue[i]);
    }
    this.readAgain();
  }

  /** After a block: reads the socket again unless something else holds it, and writes replies. */
  private readAgain(): void {
    if (this.blockedQueue === null && !this.readingPaused && !this.suspended && !this.closed) this.socket?.resume();
    this.host.batchDone(this);
  }

  setAuthenticated(value: boolean): void {
    this.authenticated = value;
    this.parser.authenticated = value;
  }

  /** RequestSink: a complete command arrived. */
  onCommand(argv: Buffer[]): void {
    if (this.closing) return;
    if (this.blockedQueue !== null) {
      // Kept past this read: copied, as the arguments may be views of the shared read buffer.
      this.blockedQueue.push(argv.map((arg) => Buffer.from(arg)));
      return;
    }
    this.host.dispatch(this, argv);
  }

  /** Socket data: parse and run every complete command, then hand the batch to the host (bound: it is the socket's reader). */
  readonly onData = (chunk: Buffer): void => {
    this.host.stats.totalNetInputBytes += chunk.length;
    // Closing after a reply (QUIT, a protocol error): what arrives meanwhile is not read (Redis neither).
    if (this.closing) return;
    this.lastInteraction = Date.now();
    const parser = this.parser;
    this.queryBuffer.beforeRead(parser.bufferedBytes, chunk.length, parser.awaitedBulkLength);
    try {
      parser.feed(chunk);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.reply.error('ERR ' + e.message);
      this.closing = true;
      this.host.context.logger.verbose(`Protocol error from client id=${this.id} addr=${this.address}: ${e.message}`);
    }
    this.queryBuffer.afterParse(parser.bufferedBytes, parser.bigBulkSeen);
    parser.bigBulkSeen = -1;
    // client-query-buffer-limit: an unfinished request this large closes the connection, as in Redis.
    if (this.parser.bufferedBytes > this.host.kernel.inputLimits.maxQueryBuffer && !this.isMasterLink) {
      this.host.context.logger.warning(`Closing client that reached max query buffer length: ${describeClient(this).trimEnd()} (qbuf initial bytes: ${this.parser.heldPrefix(64)})`);
      this.reply.clear();
      this.kill();
      return;
    }
    this.host.batchDone(this);
  };

  /** The clients cron's visit: Redis resizes the query and reply buffers then. */
  resizeBuffers(now: number, replies: ReplyBufferSettings): void {
    const idleSeconds = Math.floor((now - this.lastInteraction) / 1000);
    this.queryBuffer.cron(this.parser.bufferedBytes, idleSeconds, this.parser.awaitedBulkLength);
    this.replyBuffer.cron(now, this.reply.pendingBytes, replies);
    // Over the soft limit with no traffic since: its time runs out here (Redis's clientsCron check).
    if (this.overSoftSince !== 0) this.checkOutputLimit();
  }

  /** Writes pending replies in one socket write; pauses reading while the socket is backed up. */
  flush(): void {
    this.queuedForWrite = false;
    const socket = this.socket;
    if (socket === null || this.closed) {
      this.reply.clear();
      return;
    }
    const out = this.reply.takeView();
    if (out !== null) {
      // Redis checks the limit as replies are queued, so a batch that takes the client over it is
      // never written (counted as Redis counts it: reply-list blocks beyond the static buffer).
      if (!this.checkOutputLimit(out.length)) {
        this.reply.afterWrite(false);
        return;
      }
      this.host.stats.totalNetOutputBytes += out.length;
      this.replyBuffer.wrote(out.length);
      const flowing = socket.write(out);
      // Nothing queued: the write completed at once, so the view's bytes are in the kernel.
      this.reply.afterWrite(socket.writableLength !== 0);
      if (!this.checkOutputLimit()) return;
      if (!flowing && !this.readingPaused) {
        this.readingPaused = true;
        socket.pause();
        socket.once('drain', this.resumeAfterDrain);
      }
    }
    if (this.closing) {
      // Closed once the reply is out, as Redis's close(): what the peer still sends then gets a
      // reset, so a peer writing a runaway request (a protocol desync) sees the connection go.
      socket.end(() => socket.destroy());
      // Gone for the server once its last reply is written (Redis frees it before the next command
      // runs): a tracking redirect to it is broken from now on, not once the socket has closed.
      this.forget();
    }
  }

  private readonly resumeAfterDrain = (): void => {
    this.readingPaused = false;
    if (!this.closed && this.blockedQueue === null && !this.suspended) this.socket?.resume();
  };

  /** Shutdown in progress: stop reading this client (what it sends waits in the socket). */
  suspendReading(): void {
    this.suspended = true;
    this.socket?.pause();
  }

  /** The shutdown was refused: read this client again. */
  resumeReading(): void {
    this.suspended = false;
    if (!this.closed && this.blockedQueue === null && !this.readingPaused) this.socket?.resume();
  }

  /** Closes the connection now (CLIENT KILL, timeouts, shutdown). */
  kill(): void {
    if (this.closed) return;
    this.socket?.destroy();
    this.forget();
  }

  /** Drops every server-side state of a connection that is over (Redis's freeClient). */
  private forget(): void {
    if (this.closed) return;
    this.closed = true;
    // A dropped connection leaves its transaction, its watched keys and its block (as Redis's freeClient).
    if (this.blockState !== null) this.host.kernel.blocking.clientGone(this);
    this.multi = null;
    this.unwatchAll();
    if (this.channels !== null || this.patterns !== null || this.shardChannels !== null) this.host.kernel.pubsub.forget(this);
    if (this.tracking !== null) this.host.kernel.tracking.disable(this);
    if (this.monitoring) this.host.kernel.monitor.monitors.delete(this);
    this.host.clientClosed(this);
    const listeners = this.closeListeners;
    this.closeListeners = null;
    if (listeners !== null) for (const listener of listeners) listener();
  }

  /** Bytes of replies not yet handed to the socket plus those the socket still holds. */
  get outputBytes(): number {
    return this.reply.pendingBytes + (this.socket?.writableLength ?? 0);
  }
}

function formatAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return '';
  const h = host.startsWith('::ffff:') ? host.slice(7) : host;
  // IPv6 addresses in brackets, as Redis's anetFormatAddr writes them ("[::1]:6379").
  return h.includes(':') ? `[${h}]:${port ?? 0}` : `${h}:${port ?? 0}`;
}
