import { errors, isKeyword, parseInteger, type CommandContext } from 'redix-server';
import { ReplicaConnection, ReplicaSettings } from './replica-connection';
import type { ReplicationService } from './replication-service';

/**
 * The master side of SYNC, PSYNC and REPLCONF: what a replica announces before syncing, partial
 * resynchronization from the backlog (under either replication id, PSYNC2), or a full one.
 */
export class SyncRequests {
  /** REPLCONF settings of connections that have not synced yet. */
  private readonly settings = new WeakMap<CommandContext, ReplicaSettings>();

  constructor(private readonly service: ReplicationService) {}

  private settingsOf(c: CommandContext): ReplicaSettings {
    const replica = this.service.replicaOf(c);
    if (replica !== undefined) return replica.settings;
    let settings = this.settings.get(c);
    if (settings === undefined) {
      settings = new ReplicaSettings();
      this.settings.set(c, settings);
    }
    return settings;
  }

  /** REPLCONF option value [option value ...] */
  replconf(c: CommandContext, argv: Buffer[]): void {
    if (argv.length % 2 === 0) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    for (let i = 1; i < argv.length; i += 2) {
      const option = argv[i];
      const value = argv[i + 1];
      if (isKeyword(option, 'LISTENING-PORT')) {
        const port = parseInteger(value);
        if (port === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        this.settingsOf(c).listeningPort = port;
      } else if (isKeyword(option, 'IP-ADDRESS')) {
        // Redis refuses addresses of NET_HOST_STR_LEN (256) bytes or more.
        if (value.length >= 256) {
          c.reply.error(`ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`);
          return;
        }
        this.settingsOf(c).announcedIp = value.latin1Slice(0, value.length);
      } else if (isKeyword(option, 'CAPA')) {
        // Capabilities this master does not know are ignored.
        if (isKeyword(value, 'EOF')) this.settingsOf(c).capaEof = true;
        else if (isKeyword(value, 'PSYNC2')) this.settingsOf(c).capaPsync2 = true;
      } else if (isKeyword(option, 'ACK')) {
        // No reply, ever: the replica does not read any.
        const replica = this.service.replicaOf(c);
        const offset = parseInteger(value);
        if (replica === undefined || offset === null) return;
        if (offset > replica.ackOffset) replica.ackOffset = offset;
        replica.ackTime = Date.now();
        if (replica.startStreamOnAck && replica.state === 'online') replica.startStreaming();
        this.service.waits.acked();
        return;
      } else if (isKeyword(option, 'GETACK')) {
        // Only meaningful on the link from a master, which the replica side handles itself.
        return;
      } else if (isKeyword(option, 'RDB-ONLY')) {
        const n = parseInteger(value);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        if (n < 0 || n > 1) {
          c.reply.error('ERR value is out of range, value must between 0 and 1');
          return;
        }
        this.settingsOf(c).rdbOnly = n === 1;
      } else if (isKeyword(option, 'RDB-FILTER-ONLY')) {
        const filters = value.latin1Slice(0, value.length).split(/\s+/).filter((f) => f !== '');
        // Like Redis, the data is filtered out first, even when a filter below is refused.
        this.settingsOf(c).excludeData = true;
        for (const filter of filters) {
          if (filter.toLowerCase() !== 'functions') {
            c.reply.error(`ERR Unsupported rdb-filter-only option: ${filter}`);
            return;
          }
        }
        // Only keys and functions exist in an RDB here, and Redix has no functions: no keys at all.
      } else {
        c.reply.error(`ERR Unrecognized REPLCONF option: ${option.latin1Slice(0, option.length)}`);
        return;
      }
    }
    c.reply.ok();
  }

  /** SYNC, and PSYNC replicationid offset */
  sync(c: CommandContext, argv: Buffer[], psync: boolean): void {
    const service = this.service;
    // A replica repeating SYNC is ignored, as in Redis.
    if (c.isReplica) return;
    if (psync && argv.length > 3 && isKeyword(argv[3], 'FAILOVER')) {
      if (!service.isReplica) {
        c.reply.error('ERR PSYNC FAILOVER can\'t be sent to a master.');
        return;
      }
      if (argv[1].latin1Slice(0, argv[1].length).toLowerCase() !== service.replid) {
        c.reply.error('ERR PSYNC FAILOVER replid must match my replid.');
        return;
      }
      service.promote();
    }
    if (service.isReplica && !service.follower.connected) {
      c.reply.error('NOMASTERLINK Can\'t SYNC while not connected with my master');
      return;
    }
    if (c.outputBytes > 0) {
      c.reply.error('ERR SYNC and PSYNC are invalid with pending output');
      return;
    }
    const settings = this.settingsOf(c);
    if (settings.excludeData && !settings.capaEof) {
      c.reply.error('ERR Filtered replica requires EOF capability');
      return;
    }
    let psyncOffset = 0;
    if (psync) {
      const parsed = parseInteger(argv[2]);
      if (parsed === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      psyncOffset = parsed;
    }
    const replica = new ReplicaConnection(c, settings, !psync, service);
    service.logger.notice(`Replica ${replica.name} asks for synchronization`);
    if (psync) {
      const replid = argv[1].latin1Slice(0, argv[1].length);
      if (this.tryPartialResync(replica, replid, psyncOffset)) {
        service.stats.syncPartialOk++;
        return;
      }
      // "?" asks for a full resync on purpose: not a failed partial one.
      if (replid !== '?') service.stats.syncPartialErr++;
    }
    service.stats.syncFull++;
    service.addReplica(replica);
    if (service.replicas.length === 1 && service.backlog === null) {
      // A backlog created from scratch starts a new history.
      service.changeReplid();
      service.clearReplid2();
      service.createBacklog();
      service.ensureFeed();
      service.logger.notice(`Replication backlog created, my new replication IDs are '${service.replid}' and '${service.replid2}'`);
    }
    service.scheduleFullSync(replica);
  }

  /** +CONTINUE and the backlog from the replica's offset, when our history covers it. */
  private tryPartialResync(replica: ReplicaConnection, replid: string, offset: number): boolean {
    const service = this.service;
    const id = replid.toLowerCase();
    if (id !== service.replid && (id !== service.replid2 || offset > service.secondReplOffset)) {
      if (replid === '?') service.logger.notice(`Full resync requested by replica ${replica.name}`);
      else if (id !== service.replid && id !== service.replid2) {
        service.logger.notice(`Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${service.replid}' and '${service.replid2}')`);
      } else {
        service.logger.notice(`Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${service.secondReplOffset}`);
      }
      return false;
    }
    const backlog = service.backlog;
    const first = service.backlogFirstByte;
    if (backlog === null || offset < first || offset > first + backlog.histlen) {
      service.logger.notice(`Unable to partial resync with replica ${replica.name} for lack of backlog (Replica request was: ${offset}).`);
      return false;
    }
    service.addReplica(replica);
    replica.state = 'online';
    replica.awaitingSync = false;
    replica.keepaliveAllowed = false;
    replica.ackTime = Date.now();
    replica.writeNow(replica.settings.capaPsync2 ? `+CONTINUE ${service.replid}\r\n` : '+CONTINUE\r\n');
    const count = service.offset - offset + 1;
    for (const part of backlog.tail(count)) replica.writeNow(part);
    replica.startStreaming();
    service.logger.notice(`Partial resynchronization request from ${replica.name} accepted. Sending ${count} bytes of backlog starting from offset ${offset}.`);
    service.refreshGoodReplicas();
    return true;
  }
}
