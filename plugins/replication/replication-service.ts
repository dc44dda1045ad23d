import { randomBytes } from 'node:crypto';
import { type CommandContext, type HostPort, type Logger, type PropagatedArg, type ServerContext } from 'redix-server';
import { AckWaiters } from './ack-waiters';
import { FullSyncJob, type FullSyncHost } from './full-sync';
import { replicaOutputLimit, type OutputBufferLimit } from './output-buffer-limit';
import { ReplicaConnection, type ReplicaHost } from './replica-connection';
import { ReplicaFollower } from './replica-follower';
import { ReplicationBacklog } from './replication-backlog';
import type { SavedReplicationInfo } from './rdb-replication-info';
import { encodeCommand, GETACK_COMMAND, PING_COMMAND, selectCommand } from './stream-encoding';

const SERVICES = new WeakMap<ServerContext, ReplicationService>();

/** Redis's "no secondary id". */
export const ZERO_REPLID = '0'.repeat(40);
export const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';
const MIN_BACKLOG_SIZE = 16 * 1024;

function newReplid(): string {
  return randomBytes(20).toString('hex');
}

/**
 * The replication state of one server, shared by the commands and the provider. It is Redis's
 * model: a replication id and an offset counting every byte of the stream, a backlog of the last
 * bytes for partial resyncs, the previous id (replid2) valid up to second_repl_offset after a
 * promotion. As a master it turns the change feed into the stream; as a replica it re-streams
 * exactly what its master sends (same ids and offsets, as Redis 7 does).
 */
export class ReplicationService implements ReplicaHost, FullSyncHost {
  readonly logger: Logger;
  replid = newReplid();
  replid2 = ZERO_REPLID;
  secondReplOffset = -1;
  /** master_repl_offset: bytes of stream produced (master) or applied (replica). */
  offset = 0;
  backlog: ReplicationBacklog | null = null;
  /** The database the stream is in for its consumers (-1: the next command starts with SELECT). */
  selectedDb = -1;
  replicas: readonly ReplicaConnection[] = [];
  readonly stats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 };
  /** Replicas online whose last ACK is within min-replicas-max-lag. */
  goodReplicas = 0;
  noReplicasSince = Date.now();
  outputLimit: OutputBufferLimit;
  readonly follower: ReplicaFollower;
  readonly waits: AckWaiters;
  private readonly byClient = new Map<CommandContext, ReplicaConnection>();
  private unsubscribe: (() => void) | null = null;
  private readonly toFlush = new Set<ReplicaConnection>();
  private flushScheduled = false;
  private waiting: ReplicaConnection[] = [];
  private syncTimer: NodeJS.Timeout | null = null;
  private syncSoon = false;
  private readonly jobs = new Set<FullSyncJob>();
  private cron: NodeJS.Timeout | null = null;
  private cronLoops = 0;
  private stopped = false;

  static of(server: ServerContext): ReplicationService {
    let service = SERVICES.get(server);
    if (service === undefined) {
      service = new ReplicationService(server);
      SERVICES.set(server, service);
    }
    return service;
  }

  private constructor(readonly server: ServerContext) {
    this.logger = server.logger.child({ plugin: 'replication' });
    this.outputLimit = replicaOutputLimit(server.config.get<string>('client-output-buffer-limit'));
    this.follower = new ReplicaFollower(this);
    this.waits = new AckWaiters(this);
  }

  /** True while we replicate from a master (REPLICAOF host port). */
  get isReplica(): boolean {
    return this.follower.masterHost !== null;
  }

  /** The stream's database for RDB aux repl-stream-db: ours as a master, our master's as a replica. */
  get streamDb(): number {
    if (this.isReplica) return this.follower.streamDb;
    return this.selectedDb === -1 ? 0 : this.selectedDb;
  }

  start(): void {
    const config = this.server.config;
    config.onChange('client-output-buffer-limit', (v) => (this.outputLimit = replicaOutputLimit(String(v))));
    config.onChange('repl-backlog-size', () => {
      if (this.backlog !== null) this.backlog = this.backlog.resized(this.backlogSize);
    });
    config.onChange('replica-read-only', (v) => {
      if (this.isReplica) this.server.readOnly = v === true;
    });
    config.onChange('replica-serve-stale-data', () => this.follower.updateStaleGate());
    config.onChange('min-replicas-to-write', () => this.refreshGoodReplicas());
    config.onChange('min-replicas-max-lag', () => this.refreshGoodReplicas());
    this.cron = setInterval(this.replicationCron, 1000);
    this.cron.unref();
    this.refreshGoodReplicas();
    const master = config.get<HostPort | null>('replicaof');
    if (master !== null) this.becomeReplicaOf(master.host, master.port, true);
    // A master that restored its history from the dump streams to its backlog from the start.
    this.ensureFeed();
  }

  /** Shutdown: as Redis 7, a master first gives its replicas up to shutdown-timeout seconds to catch up. */
  /**
   * A shutdown begins (client input is paused): as Redis, a master gives its replicas up to
   * shutdown-timeout to acknowledge the last writes before the final save, so the offset saved
   * in the dump is the one they reached.
   */
  async prepareShutdown(): Promise<void> {
    if (!this.isReplica) await this.waitForReplicasToCatchUp();
    this.replicasWaitedFor = true;
  }

  /** Set once prepareShutdown has waited: stop() does not wait (nor send GETACK) again. */
  private replicasWaitedFor = false;

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.cron !== null) clearInterval(this.cron);
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    for (const job of [...this.jobs]) job.abort();
    this.follower.stop();
    if (!this.isReplica && !this.replicasWaitedFor) await this.waitForReplicasToCatchUp();
    this.waits.stop();
    this.dropFeed();
  }

  private async waitForReplicasToCatchUp(): Promise<void> {
    const timeoutMs = this.server.config.get<number>('shutdown-timeout') * 1000;
    const target = this.offset;
    const lagging = () => this.replicas.filter((r) => r.streaming && !r.prePsync && r.ackOffset < target);
    if (timeoutMs <= 0 || lagging().length === 0) return;
    this.logger.notice('Waiting for replicas before shutting down.');
    this.feedOwnCommand(GETACK_COMMAND);
    this.flushReplicas();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (lagging().length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const replica of lagging()) {
      this.logger.warning(`Lagging replica ${replica.name} reported offset ${replica.ackOffset} behind master, lag=${Math.floor((Date.now() - replica.ackTime) / 1000)}, state=${replica.state}.`);
    }
  }

  // ---- the history kept in dump.rdb ---------------------------------------------------------

  /**
   * What a dump saved now records (Redis's rdbPopulateSaveInfo): only state a restart can use. A
   * master without a backlog is in no replication chain (its replicas would resync fully anyway);
   * a replica needs a master, connected or cached, for its offset to mean something.
   */
  savedInfo(): SavedReplicationInfo | null {
    if (this.isReplica ? !this.follower.connected && this.follower.cachedMaster === null : this.backlog === null) return null;
    return { replid: this.replid, offset: this.offset, streamDb: this.streamDb };
  }

  /**
   * At start, from the dump just loaded (Redis's loadDataFromDisk). A replica takes the history as
   * its cached master, so its first PSYNC continues from it. A master keeps it as its secondary id
   * valid up to the saved offset, with an empty backlog from there: its replicas continue partially.
   */
  restoreFromDump(saved: SavedReplicationInfo): void {
    if (this.server.config.get<HostPort | null>('replicaof') !== null) {
      this.replid = saved.replid;
      this.offset = saved.offset;
      this.follower.restoreCachedMaster(saved.streamDb);
      this.logger.notice(`Restored the replication id ${saved.replid} and offset ${saved.offset} from the RDB: a partial resynchronization may be possible.`);
      return;
    }
    this.replid2 = saved.replid;
    this.secondReplOffset = saved.offset + 1;
    this.offset = saved.offset;
    this.createBacklog();
    this.noReplicasSince = Date.now();
    this.logger.notice(`Restored the replication history ${saved.replid} up to offset ${saved.offset} from the RDB as my secondary id; my new replication id is ${this.replid}`);
  }

  // ---- ids and the backlog ------------------------------------------------------------------

  changeReplid(): void {
    this.replid = newReplid();
  }

  clearReplid2(): void {
    this.replid2 = ZERO_REPLID;
    this.secondReplOffset = -1;
  }

  /** After a promotion: the old id stays valid (as replid2) up to where we were, a new history starts. */
  shiftReplid(): void {
    this.replid2 = this.replid;
    this.secondReplOffset = this.offset + 1;
    this.changeReplid();
    this.logger.warning(`Setting secondary replication ID to ${this.replid2}, valid up to offset: ${this.secondReplOffset}. New replication ID is ${this.replid}`);
  }

  /** repl-backlog-size, but never under Redis's minimum of 16 KB. */
  private get backlogSize(): number {
    return Math.max(MIN_BACKLOG_SIZE, this.server.config.get<number>('repl-backlog-size'));
  }

  createBacklog(): void {
    if (this.backlog === null) this.backlog = new ReplicationBacklog(this.backlogSize);
  }

  freeBacklog(): void {
    this.backlog = null;
    this.dropFeed();
  }

  /** Offset of the first byte the backlog holds (repl_backlog_first_byte_offset). */
  get backlogFirstByte(): number {
    return this.backlog === null ? 0 : this.offset - this.backlog.histlen + 1;
  }

  // ---- the stream ---------------------------------------------------------------------------

  /** As a master with a backlog, every change becomes stream bytes. */
  ensureFeed(): void {
    if (this.unsubscribe === null && !this.isReplica && this.backlog !== null) {
      this.unsubscribe = this.server.keyspace.feed.subscribe(this.onChange);
    }
  }

  dropFeed(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private readonly onChange = (dbIndex: number, argv: readonly PropagatedArg[], source?: CommandContext): void => {
    if (this.backlog === null || this.isReplica) return;
    if (dbIndex !== this.selectedDb) {
      this.appendStream(selectCommand(dbIndex));
      this.selectedDb = dbIndex;
    }
    this.appendStream(encodeCommand(argv));
    if (source !== undefined) this.waits.noteWrite(source, this.offset);
  };

  /** Stream bytes: counted in the offset, kept in the backlog, sent (or held) for every replica. */
  appendStream(data: Buffer): void {
    this.offset += data.length;
    this.backlog?.append(data);
    const replicas = this.replicas;
    for (let i = 0; i < replicas.length; i++) replicas[i].feed(data);
  }

  /** A command of our own (PING, REPLCONF GETACK) into a master's stream. */
  feedOwnCommand(command: Buffer): void {
    if (this.backlog === null || this.isReplica) return;
    this.appendStream(command);
  }

  forceSelect(): void {
    this.selectedDb = -1;
  }

  // ---- replicas -----------------------------------------------------------------------------

  replicaOf(client: CommandContext): ReplicaConnection | undefined {
    return this.byClient.get(client);
  }

  addReplica(replica: ReplicaConnection): void {
    const client = replica.client;
    client.markAsReplica();
    this.byClient.set(client, replica);
    this.replicas = [...this.replicas, replica];
    client.onClose(() => this.removeReplica(replica));
  }

  private removeReplica(replica: ReplicaConnection): void {
    if (!this.byClient.delete(replica.client)) return;
    this.replicas = this.replicas.filter((r) => r !== replica);
    this.waiting = this.waiting.filter((r) => r !== replica);
    replica.release();
    this.toFlush.delete(replica);
    if (this.replicas.length === 0) this.noReplicasSince = Date.now();
    this.logger.notice(`Connection with replica ${replica.name} lost.`);
    this.refreshGoodReplicas();
  }

  /** Closes every replica connection (they reconnect and resync, partially when they can). */
  disconnectReplicas(): void {
    for (const replica of [...this.replicas]) replica.client.kill();
  }

  dropReplica(replica: ReplicaConnection, reason: string): void {
    if (replica.dropped) return;
    this.logger.warning(`Client ${replica.name} closed for overcoming of output buffer limits (${reason}).`);
    replica.dropped = true;
    // Closed after this turn: the stream being fed must not see the replica list change under it.
    setImmediate(() => replica.client.kill());
  }

  scheduleFlush(replica: ReplicaConnection): void {
    this.toFlush.add(replica);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushReplicas);
    }
  }

  flushNow(replica: ReplicaConnection): void {
    this.toFlush.delete(replica);
    this.server.flushClient(replica.client);
  }

  private readonly flushReplicas = (): void => {
    this.flushScheduled = false;
    for (const replica of this.toFlush) {
      if (!replica.dropped) this.server.flushClient(replica.client);
    }
    this.toFlush.clear();
  };

  // ---- full syncs ---------------------------------------------------------------------------

  /**
   * Queues a replica for a full sync. Diskless syncs wait repl-diskless-sync-delay seconds so
   * replicas arriving together share one snapshot; others start at once.
   */
  scheduleFullSync(replica: ReplicaConnection): void {
    replica.awaitingSync = true;
    this.waiting.push(replica);
    const config = this.server.config;
    const delay = config.get<boolean>('repl-diskless-sync') && replica.settings.capaEof ? config.get<number>('repl-diskless-sync-delay') : 0;
    if (delay === 0) {
      if (!this.syncSoon) {
        this.syncSoon = true;
        setImmediate(this.startWaitingSyncs);
      }
    } else if (this.syncTimer === null) {
      this.logger.notice('Delay next BGSAVE for diskless SYNC');
      this.syncTimer = setTimeout(this.startWaitingSyncs, delay * 1000);
    }
  }

  private readonly startWaitingSyncs = (): void => {
    this.syncSoon = false;
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    if (this.stopped) return;
    const batch = this.waiting.filter((r) => !r.dropped);
    this.waiting = [];
    if (batch.length === 0) return;
    for (const excludeData of [false, true]) {
      const group = batch.filter((r) => r.settings.excludeData === excludeData);
      if (group.length === 0) continue;
      const job = new FullSyncJob(this, group, excludeData);
      this.jobs.add(job);
      job.start();
    }
  };

  jobDone(job: FullSyncJob): void {
    this.jobs.delete(job);
  }

  syncFailed(replicas: readonly ReplicaConnection[], error: Error): void {
    this.logger.warning(`BGSAVE for replication failed: ${error.message}`);
    for (const replica of replicas) {
      replica.writeNow('-ERR BGSAVE failed, replication can\'t continue\r\n');
      replica.client.closeAfterReply();
      this.flushNow(replica);
    }
  }

  rdbDelivered(replica: ReplicaConnection, streamed: boolean): void {
    if (replica.dropped) return;
    if (replica.settings.rdbOnly) {
      this.logger.notice(`Close the connection with replica ${replica.name} as RDB transfer is complete`);
      replica.client.closeAfterReply();
      this.flushNow(replica);
      return;
    }
    replica.state = 'online';
    replica.ackTime = Date.now();
    // The replica must find the EOF mark at the very end of what it read: the stream waits for its ACK.
    if (streamed && !replica.prePsync) replica.startStreamOnAck = true;
    else replica.startStreaming();
    this.logger.notice(`Synchronization with replica ${replica.name} succeeded`);
    this.refreshGoodReplicas();
  }

  // ---- roles --------------------------------------------------------------------------------

  /**
   * REPLICAOF host port (or replicaof at start). Returns false if already replicating from it.
   * Only a running master turns its own history into a cached master, as Redis does; at start the
   * cached master is the one restored from the dump, if any.
   */
  becomeReplicaOf(host: string, port: number, atStart = false): boolean {
    const follower = this.follower;
    if (follower.masterHost !== null && follower.masterHost.toLowerCase() === host.toLowerCase() && follower.masterPort === port) return false;
    const wasMaster = follower.masterHost === null;
    if (wasMaster) {
      this.dropFeed();
      this.server.denyWrites = null;
      this.waits.unblockAll('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');
    }
    this.server.config.apply('replicaof', { host, port });
    this.server.readOnly = this.server.config.get<boolean>('replica-read-only');
    this.server.keyspace.expiryMode = 'hide';
    follower.setMaster(host, port, wasMaster && !atStart);
    return true;
  }

  /** REPLICAOF NO ONE: keep the data, accept writes, start a new history (the old id becomes replid2). */
  promote(): void {
    if (!this.isReplica) return;
    this.follower.unsetMaster();
    this.shiftReplid();
    this.disconnectReplicas();
    this.forceSelect();
    this.server.config.apply('replicaof', null);
    this.server.readOnly = false;
    this.server.keyspace.expiryMode = 'delete';
    this.noReplicasSince = Date.now();
    this.ensureFeed();
    this.refreshGoodReplicas();
    this.logger.notice('MASTER MODE enabled');
  }

  // ---- periodic work ------------------------------------------------------------------------

  /** Once a second, as Redis's replicationCron. */
  private readonly replicationCron = (): void => {
    const config = this.server.config;
    const now = Date.now();
    this.follower.cron(now);
    if (!this.isReplica && this.replicas.length > 0 && this.cronLoops % config.get<number>('repl-ping-replica-period') === 0) {
      this.feedOwnCommand(PING_COMMAND);
    }
    const timeoutMs = config.get<number>('repl-timeout') * 1000;
    for (const replica of this.replicas) {
      if (replica.awaitingSync || replica.keepaliveAllowed) {
        // Waiting for its RDB to start: a newline keeps the link alive without touching offsets.
        if (replica.keepaliveAllowed) replica.writeNow('\n');
      } else if (replica.state === 'online' && !replica.prePsync && now - Math.max(replica.ackTime, replica.client.lastInteraction) > timeoutMs) {
        // Any bytes count, as Redis counts a replica's newlines: it sends them while it loads our RDB.
        this.logger.warning(`Disconnecting timedout replica (streaming sync): ${replica.name}`);
        replica.client.kill();
      }
    }
    const ttl = config.get<number>('repl-backlog-ttl');
    if (this.replicas.length === 0 && ttl > 0 && this.backlog !== null && !this.isReplica && now - this.noReplicasSince > ttl * 1000) {
      this.changeReplid();
      this.clearReplid2();
      this.freeBacklog();
      this.logger.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
    this.refreshGoodReplicas();
    this.cronLoops++;
  };

  /** min-replicas-to-write: counts replicas with a recent ACK and refuses writes when too few. */
  refreshGoodReplicas(): void {
    const config = this.server.config;
    const minReplicas = config.get<number>('min-replicas-to-write');
    const maxLag = config.get<number>('min-replicas-max-lag');
    if (minReplicas === 0 || maxLag === 0) {
      this.goodReplicas = 0;
      this.server.denyWrites = null;
      return;
    }
    const now = Date.now();
    let good = 0;
    for (const replica of this.replicas) {
      if (replica.state === 'online' && Math.floor((now - replica.ackTime) / 1000) <= maxLag) good++;
    }
    this.goodReplicas = good;
    this.server.denyWrites = good < minReplicas && !this.isReplica ? NOREPLICAS_ERROR : null;
  }

  /** Replicas online whose acknowledged offset reached `offset` (WAIT). */
  countAcks(offset: number): number {
    let n = 0;
    for (const replica of this.replicas) if (replica.state === 'online' && replica.ackOffset >= offset) n++;
    return n;
  }
}
