import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword,
  type CommandContext, type ServerContext, type StoredValue,
} from 'redix-server';
import { INVALID_DB, dbIndexOrReply, swapIndexOrReply } from './db-index';
import { KEYSPACE_DOCS } from './keyspace-docs';

const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';

/** Commands that give a value another name or database: RENAME, COPY, MOVE, SWAPDB. TTLs travel along. */
@CommandModule()
export class MoveCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** RENAME key newkey */
  @Command({ name: 'rename', arity: 3, flags: ['write'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Rename a key', complexity: 'O(1)', aclCategories: ['@keyspace', '@write', '@slow'], ...KEYSPACE_DOCS.rename })
  rename(c: CommandContext, argv: Buffer[]): void {
    this.renameGeneric(c, argv, false);
  }

  /** RENAMENX key newkey */
  @Command({ name: 'renamenx', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Rename a key, only if the new key does not exist', complexity: 'O(1)', aclCategories: ['@keyspace', '@write', '@fast'], ...KEYSPACE_DOCS.renamenx })
  renamenx(c: CommandContext, argv: Buffer[]): void {
    this.renameGeneric(c, argv, true);
  }

  private renameGeneric(c: CommandContext, argv: Buffer[], nx: boolean): void {
    const db = c.db;
    const from = bytesToString(argv[1]);
    const to = bytesToString(argv[2]);
    const value = db.peek(from);
    if (value === undefined) {
      c.reply.error(errors.ERR_NO_SUCH_KEY);
      return;
    }
    // Renaming a key to itself is a no-op that still reports success (0 for RENAMENX).
    if (from === to) {
      if (nx) c.reply.integer(0);
      else c.reply.ok();
      return;
    }
    if (db.exists(to)) {
      if (nx) {
        c.reply.integer(0);
        return;
      }
      // Why: Redis deletes the old destination before adding the new one, so "new" is emitted for it.
      db.delete(to);
    }
    const expireAt = db.getExpire(from);
    db.set(to, value);
    if (expireAt !== -1) db.setExpire(to, expireAt);
    db.delete(from);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'rename_from', from);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'rename_to', to);
    if (nx) c.reply.integer(1);
    else c.reply.ok();
  }

  /** COPY source destination [DB destination-db] [REPLACE] */
  @Command({ name: 'copy', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'generic', since: '6.2.0', summary: 'Copy a key', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', aclCategories: ['@keyspace', '@write', '@slow'], ...KEYSPACE_DOCS.copy })
  copy(c: CommandContext, argv: Buffer[]): void {
    let replace = false;
    let target = c.dbIndex;
    for (let i = 3; i < argv.length; i++) {
      if (isKeyword(argv[i], 'REPLACE')) {
        replace = true;
      } else if (isKeyword(argv[i], 'DB') && i + 1 < argv.length) {
        target = dbIndexOrReply(c, this.server, argv[++i]);
        if (target === INVALID_DB) return;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const from = bytesToString(argv[1]);
    const to = bytesToString(argv[2]);
    if (target === c.dbIndex && from === to) {
      c.reply.error(ERR_SAME_OBJECT);
      return;
    }
    const src = c.db;
    const value = src.lookupRead(from);
    if (value === undefined) {
      c.reply.integer(0);
      return;
    }
    const dst = this.server.keyspace.databases[target];
    const replacing = dst.exists(to);
    if (!replace && replacing) {
      c.reply.integer(0);
      return;
    }
    const copy = this.cloneOf(value);
    if (copy === undefined) {
      c.reply.error('ERR COPY is not supported for this type of value');
      return;
    }
    const expireAt = src.getExpire(from);
    // As in RENAME: the replaced key goes first, so "new" is emitted for the copy.
    if (replacing) dst.delete(to);
    dst.set(to, copy);
    if (expireAt !== -1) dst.setExpire(to, expireAt);
    this.server.notifyKeyspaceEvent(NOTIFY.GENERIC, 'copy_to', to, target);
    c.reply.integer(1);
  }

  /** An independent copy through the value's DataTypeSpec (strings are immutable and shared). */
  private cloneOf(value: StoredValue): StoredValue | undefined {
    if (typeof value === 'string') return value;
    const spec = this.server.dataTypes.of(value);
    return spec === undefined ? undefined : spec.clone(value);
  }

  /** MOVE key db */
  @Command({ name: 'move', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Move a key to another database', complexity: 'O(1)', aclCategories: ['@keyspace', '@write', '@fast'], ...KEYSPACE_DOCS.move })
  move(c: CommandContext, argv: Buffer[]): void {
    const target = dbIndexOrReply(c, this.server, argv[2]);
    if (target === INVALID_DB) return;
    if (target === c.dbIndex) {
      c.reply.error(ERR_SAME_OBJECT);
      return;
    }
    const src = c.db;
    const key = bytesToString(argv[1]);
    const value = src.peek(key);
    if (value === undefined) {
      c.reply.integer(0);
      return;
    }
    const dst = this.server.keyspace.databases[target];
    if (dst.exists(key)) {
      c.reply.integer(0);
      return;
    }
    const expireAt = src.getExpire(key);
    dst.set(key, value);
    if (expireAt !== -1) dst.setExpire(key, expireAt);
    src.delete(key);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'move_from', key);
    this.server.notifyKeyspaceEvent(NOTIFY.GENERIC, 'move_to', key, target);
    c.reply.integer(1);
  }

  /** SWAPDB index1 index2 */
  @Command({ name: 'swapdb', arity: 3, flags: ['write', 'fast'], group: 'server', since: '4.0.0', summary: 'Swaps two Redis databases', complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.', aclCategories: ['@keyspace', '@write', '@fast', '@dangerous'], ...KEYSPACE_DOCS.swapdb })
  swapdb(c: CommandContext, argv: Buffer[]): void {
    const first = swapIndexOrReply(c, argv[1], 'ERR invalid first DB index');
    if (first === null) return;
    const second = swapIndexOrReply(c, argv[2], 'ERR invalid second DB index');
    if (second === null) return;
    const keyspace = this.server.keyspace;
    const count = keyspace.databases.length;
    if (first < 0 || first >= count || second < 0 || second >= count) {
      c.reply.error(errors.ERR_DB_INDEX);
      return;
    }
    keyspace.swap(first, second);
    // Swapping is a change even between identical or empty databases: Redis always propagates it.
    c.db.markDirty();
    c.reply.ok();
  }
}
