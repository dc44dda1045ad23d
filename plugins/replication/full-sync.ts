import { randomBytes } from 'node:crypto';
import { REDIS_VERSION, type Logger, type ServerContext } from 'redix-server';
import { RdbFileEncoder, takeSnapshot, type KeyspaceSnapshot, type SnapshotEntry } from 'redix-server/persistence';
import type { ReplicaConnection } from './replica-connection';

/** Longest the serializer holds the event loop in one slice. */
const SLICE_MS = 4;
/** Entries asked of the snapshot between two clock checks. */
const ENTRIES_PER_CHECK = 16;
/** Encoded bytes handed to the replicas at once. */
const CHUNK_BYTES = 256 * 1024;
/** A streamed replica with this much RDB still queued slows the serializer down to its pace. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const THROTTLE_MS = 2;

/** What a full sync needs of the replication service. */
export interface FullSyncHost {
  readonly server: ServerContext;
  readonly logger: Logger;
  readonly replid: string;
  /** master_repl_offset right now: what +FULLRESYNC announces. */
  readonly offset: number;
  /** The database the stream is in (RDB aux repl-stream-db), for replicas of a replica. */
  readonly streamDb: number;
  /** Makes the next command of the stream start with SELECT. */
  forceSelect(): void;
  /** The RDB was fully handed to a replica's connection. */
  rdbDelivered(replica: ReplicaConnection, streamed: boolean): void;
  /** Generating the RDB failed: the replicas of this sync are dropped. */
  syncFailed(replicas: readonly ReplicaConnection[], error: Error): void;
  jobDone(job: FullSyncJob): void;
}

/**
 * One full synchronization, shared by the replicas that asked for one at about the same time:
 * a point-in-time snapshot (copy-on-write, see takeSnapshot) serialized to RDB in slices of a few
 * milliseconds while clients keep being served. Replicas that understand the EOF format get it as
 * it is produced ("$EOF:<mark>", the RDB, the mark); others get "$<length>" then the RDB once it is
 * complete. Every write after the snapshot is held for each replica and follows its RDB.
 */
export class FullSyncJob {
  private snapshot: KeyspaceSnapshot | null = null;
  private readonly encoder: RdbFileEncoder;
  private readonly eofMark = randomBytes(20).toString('hex');
  private streamed: ReplicaConnection[] = [];
  private buffered: ReplicaConnection[] = [];
  private readonly stored: Buffer[] = [];
  private storedBytes = 0;
  private currentDb = -1;
  private finished = false;
  readonly startedAt = Date.now();

  constructor(
    private readonly host: FullSyncHost,
    private readonly replicas: readonly ReplicaConnection[],
    private readonly excludeData: boolean,
  ) {
    const config = host.server.config;
    this.encoder = new RdbFileEncoder({ compression: config.get<boolean>('rdbcompression'), checksum: config.get<boolean>('rdbchecksum') });
  }

  get keysTotal(): number {
    return this.snapshot?.totalKeys ?? 0;
  }

  /** Announces +FULLRESYNC with the current offset, takes the snapshot and starts serializing. */
  start(): void {
    const host = this.host;
    const server = host.server;
    const diskless = server.config.get<boolean>('repl-diskless-sync');
    const replid = host.replid;
    const offset = host.offset;
    const streamDb = host.streamDb;
    for (const replica of this.replicas) {
      if (replica.dropped) continue;
      if (!replica.prePsync) replica.writeNow(`+FULLRESYNC ${replid} ${offset}\r\n`);
      if (replica.settings.rdbOnly) replica.awaitingSync = true;
      else replica.holdStream();
      if (replica.settings.capaEof && (diskless || this.excludeData)) {
        replica.keepaliveAllowed = false;
        replica.writeNow(`$EOF:${this.eofMark}\r\n`);
        this.streamed.push(replica);
      } else {
        this.buffered.push(replica);
      }
    }
    host.forceSelect();
    if (!this.excludeData) this.snapshot = takeSnapshot(server.keyspace, server.dataTypes);
    const used = process.memoryUsage();
    this.encoder.writeHeader([
      ['redis-ver', REDIS_VERSION],
      ['redis-bits', '64'],
      ['ctime', String(Math.floor(Date.now() / 1000))],
      ['used-mem', String(used.heapUsed + used.external)],
      ['repl-stream-db', String(streamDb)],
      ['repl-id', replid],
      ['repl-offset', String(offset)],
      ['aof-base', '0'],
    ], server.rdbFunctions.codesForSave(), this.excludeData ? null : server.dataTypes);
    host.logger.notice(`Starting BGSAVE for SYNC with target: ${this.streamed.length > 0 ? 'replicas sockets' : 'disk'} (${this.snapshot?.totalKeys ?? 0} keys, offset ${offset})`);
    setImmediate(this.step);
  }

  /** Stops the job (every replica of it went away, or the server stops). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.snapshot?.close();
    this.host.jobDone(this);
  }

  private readonly visit = (entry: SnapshotEntry): void => {
    if (entry.dbIndex !== this.currentDb) {
      this.currentDb = entry.dbIndex;
      const db = this.snapshot!.databases.find((d) => d.index === entry.dbIndex);
      this.encoder.writeDatabaseStart(entry.dbIndex, db?.keys ?? 0, db?.expires ?? 0);
    }
    this.encoder.writeEntry(entry.key, entry.value, entry.expireAt, this.host.server.dataTypes);
  };

  private readonly step = (): void => {
    if (this.finished) return;
    this.streamed = this.streamed.filter((r) => !r.dropped);
    this.buffered = this.buffered.filter((r) => !r.dropped);
    if (this.streamed.length === 0 && this.buffered.length === 0) {
      this.host.logger.notice('Full sync aborted: no replica is waiting for it any more');
      this.abort();
      return;
    }
    for (const replica of this.streamed) {
      if (replica.bulkBytes > MAX_QUEUED_BYTES) {
        setTimeout(this.step, THROTTLE_MS);
        return;
      }
    }
    let more = this.snapshot !== null;
    const started = performance.now();
    try {
      while (more && this.encoder.pending < CHUNK_BYTES && performance.now() - started < SLICE_MS) {
        more = this.snapshot!.next(ENTRIES_PER_CHECK, this.visit);
      }
    } catch (e) {
      this.finished = true;
      this.snapshot?.close();
      this.host.syncFailed([...this.streamed, ...this.buffered], e as Error);
      this.host.jobDone(this);
      return;
    }
    this.distribute(more ? this.encoder.takeChunk() : this.encoder.finish());
    if (more) setImmediate(this.step);
    else this.complete();
  };

  private distribute(chunk: Buffer): void {
    if (chunk.length === 0) return;
    for (const replica of this.streamed) replica.queueBulk(chunk);
    if (this.buffered.length > 0) {
      this.stored.push(chunk);
      this.storedBytes += chunk.length;
    }
  }

  private complete(): void {
    this.finished = true;
    const host = this.host;
    const mark = Buffer.from(this.eofMark, 'latin1');
    for (const replica of this.streamed) {
      replica.queueBulk(mark, () => host.rdbDelivered(replica, true));
    }
    for (const replica of this.buffered) {
      replica.keepaliveAllowed = false;
      replica.state = 'send_bulk';
      replica.writeNow(`$${this.storedBytes}\r\n`);
      for (const chunk of this.stored) replica.queueBulk(chunk);
      replica.queueBulk(Buffer.alloc(0), () => host.rdbDelivered(replica, false));
    }
    host.logger.notice(`Full sync RDB produced: ${this.encoder.written} bytes in ${Date.now() - this.startedAt} ms`);
    host.jobDone(this);
  }
}
