import { RDB_DOCS } from './rdb-docs';
import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, lfuStamp, lruStampIdle, parseInteger, type CommandContext, type HostPort, type ServerContext,
} from 'redix-server';
import { createDumpPayload, parseDumpPayload } from 'redix-server/persistence';

const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
const ERR_BAD_TTL = 'ERR Invalid TTL value, must be >= 0';
const ERR_BAD_IDLETIME = 'ERR Invalid IDLETIME value, must be >= 0';
const ERR_BAD_FREQ = 'ERR Invalid FREQ value, must be >= 0 and <= 255';
const ERR_BAD_FOOTER = 'ERR DUMP payload version or checksum are wrong';
const ERR_BAD_FORMAT = 'ERR Bad data format';

/** DUMP and RESTORE: one value in RDB encoding, with the RDB version and a CRC-64 footer. */
@CommandModule()
export class DumpCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** DUMP key */
  @Command({ name: 'dump', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Return a serialized version of the value stored at the specified key.', complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).', aclCategories: ['@keyspace', '@read', '@slow'], ...RDB_DOCS.dump })
  dump(c: CommandContext, argv: Buffer[]): void {
    const value = c.db.lookupRead(bytesToString(argv[1]));
    if (value === undefined) {
      c.reply.nullBulk();
      return;
    }
    c.reply.bulkBuffer(createDumpPayload(value, this.server.dataTypes, this.server.config.get<boolean>('rdbcompression')));
  }

  /** RESTORE-ASKING key ttl serialized-value [...]: what a cluster's MIGRATE sends; without cluster mode, RESTORE. */
  @Command({ name: 'restore-asking', arity: -4, flags: ['write', 'denyoom', 'asking'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'server', since: '3.0.0', summary: 'An internal command for migrating keys in a cluster', complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'], ...RDB_DOCS['restore-asking'] })
  restoreAsking(c: CommandContext, argv: Buffer[]): void {
    this.restore(c, argv);
  }

  /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
  @Command({ name: 'restore', arity: -4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Create a key using the provided serialized value, previously obtained using DUMP.', complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'], ...RDB_DOCS.restore })
  restore(c: CommandContext, argv: Buffer[]): void {
    let replace = false;
    let absttl = false;
    let idletime = -1;
    let freq = -1;
    // Redis checks the options first, then the key, then the TTL, then the payload.
    for (let j = 4; j < argv.length; j++) {
      const more = argv.length - j - 1;
      if (isKeyword(argv[j], 'REPLACE')) {
        replace = true;
      } else if (isKeyword(argv[j], 'ABSTTL')) {
        absttl = true;
      } else if (isKeyword(argv[j], 'IDLETIME') && more >= 1 && freq === -1) {
        const n = parseInteger(argv[++j]);
        if (n === null) return c.reply.error(errors.ERR_NOT_INTEGER);
        if (n < 0) return c.reply.error(ERR_BAD_IDLETIME);
        idletime = n;
      } else if (isKeyword(argv[j], 'FREQ') && more >= 1 && idletime === -1) {
        const n = parseInteger(argv[++j]);
        if (n === null) return c.reply.error(errors.ERR_NOT_INTEGER);
        if (n < 0 || n > 255) return c.reply.error(ERR_BAD_FREQ);
        freq = n;
      } else {
        return c.reply.error(errors.ERR_SYNTAX);
      }
    }
    const key = bytesToString(argv[1]);
    if (!replace && c.db.exists(key)) return c.reply.error(ERR_BUSYKEY);
    const ttl = parseInteger(argv[2]);
    if (ttl === null) return c.reply.error(errors.ERR_NOT_INTEGER);
    if (ttl < 0) return c.reply.error(ERR_BAD_TTL);
    const value = parseDumpPayload(argv[3], this.server.dataTypes);
    if (value === 'footer') return c.reply.error(ERR_BAD_FOOTER);
    if (value === 'format') return c.reply.error(ERR_BAD_FORMAT);

    const deleted = replace && c.db.delete(key);
    const expireAt = ttl !== 0 && !absttl ? Date.now() + ttl : ttl;
    if (ttl !== 0 && expireAt <= Date.now() && !this.keepsExpiredKeys()) {
      // Already expired: nothing is created; a replaced key is gone, which replicas learn as DEL.
      if (deleted) {
        c.propagateAs(['DEL', argv[1]]);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
      }
      return c.reply.ok();
    }
    c.db.set(key, value);
    // objectSetLRUOrLFU: FREQ counts under an LFU policy, IDLETIME under any other.
    const lfu = this.server.config.get<string>('maxmemory-policy').includes('lfu');
    if (lfu && freq >= 0) c.db.setAccess(key, lfuStamp(freq));
    else if (!lfu && idletime >= 0) c.db.setAccess(key, lruStampIdle(idletime));
    if (ttl !== 0) {
      c.db.setExpire(key, expireAt);
      // Replicas and the AOF get the absolute time, so a replay restores the same deadline.
      if (!absttl) c.propagateAs([...argv.slice(0, 2), String(expireAt), ...argv.slice(3), 'ABSTTL']);
    }
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'restore', key);
    c.reply.ok();
  }

  /** While loading, and on a replica, a key past its TTL is still created (Redis's checkAlreadyExpired). */
  private keepsExpiredKeys(): boolean {
    return this.server.loading || this.server.config.get<HostPort | null>('replicaof') !== null;
  }
}
