import { errors, isKeyword, type CommandContext, type Logger } from 'redix-server';
import { readRdbInSlices } from 'redix-server/persistence';
import { MasterLink, type MasterLinkHost } from './master-link';
import { RdbChunkReader } from './rdb-chunk-reader';
import { StreamTransaction } from './stream-transaction';
import type { ReplicationService } from './replication-service';

/** Reconnection delays after a failed attempt (the first retry after a lost link is immediate). */
const RETRY_DELAYS_MS = [250, 500, 1000];
/** How long a full sync's RDB loads before clients are served (they get -LOADING) and the link read. */
const LOAD_SLICE_MS = 25;

/** A full sync's RDB load under way (INFO persistence's loading_* fields). */
export interface LoadProgress {
  startedAt: number;
  totalBytes: number;
  loadedBytes: number;
}

/** Thrown out of a full-sync load stopped between slices (the link was lost, or a newer load began). */
class FullSyncLoadAborted extends Error {}

/**
 * The replica side: keeps a link to the master (reconnecting with backoff), remembers where the
 * last link stopped (the cached master) so the next PSYNC can continue, loads full syncs, and
 * applies the stream through a connection-less client (writes allowed even when read-only), then
 * re-streams the same bytes to our own replicas.
 */
export class ReplicaFollower implements MasterLinkHost {
  masterHost: string | null = null;
  masterPort = 0;
  link: MasterLink | null = null;
  /** Where the previous link stopped: PSYNC <replid> <offset+1> may continue from there. */
  cachedMaster: { replid: string; offset: number } | null = null;
  /** Unix ms when a working link was lost (0: never up since REPLICAOF). */
  linkDownSince = 0;
  private masterClient: CommandContext | null = null;
  /** A MULTI block of the stream waiting for its EXEC. */
  private transaction: StreamTransaction | null = null;
  /** Counts full-sync loads (and masters left): a load whose number is no longer current stops. */
  private loadToken = 0;
  /** The load that set `loading` and owns the keyspace (0: none). */
  private activeLoad = 0;
  /** The link dropped while a full sync loaded: reconnect when the load ends. */
  private reconnectAfterLoad = false;
  /** How far the full sync's RDB has loaded (INFO's loading_* fields), while it loads. */
  loadProgress: LoadProgress | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failedAttempts = 0;
  private stopped = false;

  constructor(private readonly service: ReplicationService) {}

  get logger(): Logger {
    return this.service.logger;
  }

  /** ROLE's state of the link. */
  get linkState(): string {
    const link = this.link;
    if (link === null) return 'connect';
    if (link.state === 'closed') return 'connect';
    return link.state;
  }

  get connected(): boolean {
    return this.link?.connected === true;
  }

  /** The database the master's stream is in (the client that applies it). */
  get streamDb(): number {
    return this.masterClient?.dbIndex ?? 0;
  }

  private get client(): CommandContext {
    return (this.masterClient ??= this.service.server.createInternalClient({ masterLink: true }));
  }

  /** Starts following a master; `wasMaster` caches our own history so the new master may continue it. */
  setMaster(host: string, port: number, wasMaster: boolean): void {
    this.closeLink('master changed');
    this.masterHost = host;
    this.masterPort = port;
    if (wasMaster) {
      this.cachedMaster = { replid: this.service.replid, offset: this.service.offset };
      this.linkDownSince = 0;
      this.logger.notice('Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.');
    }
    this.failedAttempts = 0;
    this.updateStaleGate();
    this.logger.notice(`Connecting to MASTER ${host}:${port}`);
    this.connect();
  }

  /** At start, the history restored from the dump becomes the cached master (stream in `streamDb`). */
  restoreCachedMaster(streamDb: number): void {
    this.cachedMaster = { replid: this.service.replid, offset: this.service.offset };
    const databases = this.service.server.keyspace.databases.length;
    this.client.selectDb(streamDb < databases ? streamDb : 0);
  }

  /** Stops following (promotion): the link closes and nothing is cached. */
  unsetMaster(): void {
    this.masterHost = null;
    this.closeLink('promoted to master');
    this.cachedMaster = null;
    this.linkDownSince = 0;
    this.service.server.denyStale = null;
  }

  stop(): void {
    this.stopped = true;
    this.closeLink('shutdown');
  }

  /** CLIENT KILL TYPE master: drops the link, which then reconnects. */
  killLink(): number {
    if (this.link === null || this.link.state === 'closed') return 0;
    this.link.close('killed by CLIENT KILL');
    return 1;
  }

  private closeLink(reason: string): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    // Leaving this master (or stopping): a full sync still loading from it stops.
    this.loadToken++;
    this.reconnectAfterLoad = false;
    const link = this.link;
    if (link === null) return;
    this.transaction = null;
    if (link.connected) this.cacheMaster();
    this.link = null;
    link.close(reason);
  }

  private cacheMaster(): void {
    this.cachedMaster = { replid: this.service.replid, offset: this.service.offset };
    this.linkDownSince = Date.now();
  }

  private connect(): void {
    this.reconnectTimer = null;
    if (this.masterHost === null || this.stopped) return;
    const config = this.service.server.config;
    const password = config.get<string>('masterauth');
    const announcedPort = config.get<number>('replica-announce-port');
    this.link = new MasterLink(this, {
      host: this.masterHost,
      port: this.masterPort,
      auth: password === '' ? null : { user: config.get<string>('masteruser'), password },
      listeningPort: announcedPort > 0 ? announcedPort : this.service.server.port,
      announceIp: config.get<string>('replica-announce-ip'),
      sourceAddress: config.get<string>('bind-source-addr'),
    });
    this.logger.notice('MASTER <-> REPLICA sync started');
  }

  /** replica-serve-stale-data no: while the link is not up, clients get MASTERDOWN. */
  updateStaleGate(): void {
    const server = this.service.server;
    const stale = this.masterHost !== null && !this.connected && !server.config.get<boolean>('replica-serve-stale-data');
    server.denyStale = stale ? errors.ERR_MASTERDOWN : null;
  }

  /** Once a second: link timeouts and the REPLCONF ACK heartbeat. */
  cron(now: number): void {
    const link = this.link;
    if (link === null || link.state === 'closed') return;
    if (link.loadingRdb) {
      // As Redis's replica while it loads: a newline keeps the master from timing us out, and the
      // silence of a master waiting for our ACK is no timeout.
      link.sendNewline();
      return;
    }
    const timeoutMs = this.service.server.config.get<number>('repl-timeout') * 1000;
    if (now - link.lastIo > timeoutMs) {
      const what = link.state === 'connected' ? 'MASTER timeout: no data nor PING received...' : link.state === 'sync' ? 'Timeout receiving bulk data from MASTER...' : 'Timeout connecting to the MASTER...';
      this.logger.warning(what);
      link.close(what);
      return;
    }
    if (link.connected && !link.prePsyncMaster) link.sendAck(this.service.offset);
  }

  // ---- MasterLinkHost -----------------------------------------------------------------------

  psyncTarget(): { replid: string; offset: number } | null {
    return this.cachedMaster;
  }

  /**
   * Loads a full sync's RDB in slices of a few milliseconds, as the server loads its dump at start:
   * clients get -LOADING meanwhile (INFO shows loading:1 and the loading_* fields), the stream that
   * follows waits in the link. If the link drops meanwhile the load still completes (the whole RDB
   * is here) and becomes the cached master, as Redis's replica does after loading from disk. A new
   * master, a promotion, a shutdown or a newer load stop it between slices; what was loaded is then
   * dropped, as Redis empties the dataset after a failed load.
   */
  async loadFullSync(link: MasterLink, replid: string, offset: number, rdb: Buffer[]): Promise<boolean> {
    if (link !== this.link) return false;
    const service = this.service;
    const server = service.server;
    const token = ++this.loadToken;
    this.activeLoad = token;
    // A new history: our replicas must resync with us too, and our backlog no longer applies.
    this.cachedMaster = null;
    service.disconnectReplicas();
    service.freeBacklog();
    let totalBytes = 0;
    for (const chunk of rdb) totalBytes += chunk.length;
    const progress: LoadProgress = { startedAt: Date.now(), totalBytes, loadedBytes: 0 };
    this.loadProgress = progress;
    server.loading = true;
    const reader = new RdbChunkReader(rdb);
    const pause = async (): Promise<void> => {
      progress.loadedBytes = reader.offset;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token !== this.loadToken) throw new FullSyncLoadAborted();
    };
    let aux: [string, string][];
    try {
      server.keyspace.flushAll();
      const databases = server.keyspace.databases;
      const summary = await readRdbInSlices(reader, server.dataTypes, {
        databases: databases.length,
        verifyChecksum: server.config.get<boolean>('rdbchecksum'),
        // A replica keeps keys its master has not deleted yet, expired or not.
        skipExpired: false,
      }, (entry) => databases[entry.dbIndex].load(entry.key, entry.value, entry.expireAt), pause, LOAD_SLICE_MS);
      aux = summary.aux;
      // The master's function libraries replace ours, as its keys do.
      server.rdbFunctions.loaded(summary.functions);
      this.logger.notice(`MASTER <-> REPLICA sync: ${summary.keysLoaded} keys loaded in ${Date.now() - progress.startedAt} ms`);
    } catch (e) {
      // A newer load owns the keyspace and the loading state now.
      if (token !== this.activeLoad) return false;
      if (e instanceof FullSyncLoadAborted) this.logger.warning('MASTER <-> REPLICA sync: loading aborted');
      else this.logger.warning(`Failed trying to load the MASTER synchronization DB: ${(e as Error).message}`);
      server.keyspace.flushAll();
      this.endLoading();
      return false;
    }
    this.endLoading();
    service.replid = replid === '?' ? service.replid : replid;
    service.offset = Math.max(0, offset);
    service.clearReplid2();
    service.createBacklog();
    const streamDb = Number(aux.find(([k]) => k === 'repl-stream-db')?.[1] ?? 0);
    this.client.selectDb(Number.isInteger(streamDb) && streamDb >= 0 && streamDb < server.keyspace.databases.length ? streamDb : 0);
    // As Redis restarts its AOF after a sync: the file is rewritten from the new dataset.
    if (server.config.get<boolean>('appendonly')) server.execute(this.client, [Buffer.from('BGREWRITEAOF')]);
    if (link.state === 'closed') {
      // The link dropped while we loaded: the next PSYNC may continue from this dataset.
      if (replid !== '?') this.cacheMaster();
      return false;
    }
    return true;
  }

  private endLoading(): void {
    this.activeLoad = 0;
    this.loadProgress = null;
    this.service.server.loading = false;
    if (this.reconnectAfterLoad) {
      this.reconnectAfterLoad = false;
      // After the caller has cached what it loaded (this turn), as closed() would have.
      if (this.masterHost !== null && !this.stopped && this.link === null) {
        this.reconnectTimer = setTimeout(() => this.connect(), 0);
        this.reconnectTimer.unref();
      }
    }
  }

  continued(link: MasterLink, replid: string | null): void {
    if (link !== this.link) return;
    const service = this.service;
    const cached = this.cachedMaster;
    if (replid !== null && cached !== null && replid !== cached.replid) {
      // The master changed history (a promotion): our old id stays valid up to here for our replicas.
      this.logger.warning(`Master replication ID changed to ${replid}`);
      service.replid2 = cached.replid;
      service.secondReplOffset = service.offset + 1;
      service.replid = replid;
      service.disconnectReplicas();
    } else if (cached !== null) {
      service.replid = cached.replid;
    }
    this.cachedMaster = null;
    service.createBacklog();
    this.logger.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
  }

  linkUp(link: MasterLink): void {
    if (link !== this.link) return;
    this.failedAttempts = 0;
    this.linkDownSince = 0;
    this.updateStaleGate();
  }

  applyCommand(link: MasterLink, argv: Buffer[], raw: Buffer): void {
    if (link !== this.link) return;
    const name = argv[0];
    const transaction = this.transaction;
    if (transaction !== null) {
      if (argv.length === 1 && isKeyword(name, 'EXEC')) {
        this.transaction = null;
        transaction.add(null, raw);
        this.commit(link, transaction);
      } else if (argv.length === 1 && isKeyword(name, 'DISCARD')) {
        this.transaction = null;
        transaction.add(null, raw);
        for (const part of transaction.raw) this.service.appendStream(part);
      } else {
        // A nested MULTI is refused by Redis and not queued: its bytes only follow the block.
        transaction.add(argv.length === 1 && isKeyword(name, 'MULTI') ? null : argv, raw);
      }
      return;
    }
    if (argv.length === 1 && isKeyword(name, 'MULTI')) {
      this.transaction = new StreamTransaction(raw);
      return;
    }
    this.apply(link, argv);
    this.service.appendStream(raw);
  }

  /** EXEC: the held commands run in this one turn, then the block's bytes count and go on. */
  private commit(link: MasterLink, transaction: StreamTransaction): void {
    const commands = transaction.commands;
    for (let i = 0; i < commands.length; i++) this.apply(link, commands[i]);
    for (const part of transaction.raw) this.service.appendStream(part);
  }

  private apply(link: MasterLink, argv: Buffer[]): void {
    const name = argv[0];
    if (argv.length >= 2 && isKeyword(name, 'REPLCONF')) {
      // The ACK reports the offset before this GETACK, as Redis's does.
      if (isKeyword(argv[1], 'GETACK')) link.sendAck(this.service.offset);
    } else if (!isKeyword(name, 'PING')) {
      this.service.server.execute(this.client, argv);
    }
  }

  /** Bytes of a MULTI block received and held until its EXEC (slave_read_repl_offset counts them). */
  get heldBytes(): number {
    return this.transaction?.bytes ?? 0;
  }

  closed(link: MasterLink, wasConnected: boolean, reason: string): void {
    if (link !== this.link) return;
    this.link = null;
    // Half a transaction is dropped: the next PSYNC asks for it again from its MULTI.
    this.transaction = null;
    if (wasConnected) {
      this.cacheMaster();
      this.logger.notice(`Connection with master lost (${reason}); caching the disconnected master state.`);
    } else {
      this.logger.warning(`Replication link to ${this.masterHost}:${this.masterPort} failed: ${reason}`);
    }
    this.updateStaleGate();
    if (this.masterHost === null || this.stopped) return;
    if (this.activeLoad !== 0) {
      // The RDB received is still loading: reconnect once it is loaded, so the PSYNC can continue it.
      this.reconnectAfterLoad = true;
      return;
    }
    // Reconnect at once after losing a working link (the backlog may be recycled), then back off.
    const delay = wasConnected ? 0 : RETRY_DELAYS_MS[Math.min(this.failedAttempts, RETRY_DELAYS_MS.length - 1)];
    if (!wasConnected) this.failedAttempts++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }
}
