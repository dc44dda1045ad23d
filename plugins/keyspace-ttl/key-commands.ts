import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, inject, type CommandContext, type DataTypeRegistry, type ServerContext, type ServerStats } from 'redix-server';
import { KEYSPACE_DOCS } from './keyspace-docs';

const KEY_ACL_WRITE_FAST = ['@keyspace', '@write', '@fast'];
const KEY_ACL_READ_FAST = ['@keyspace', '@read', '@fast'];

/**
 * Deletes the keys named from argv[1] on; returns how many existed. A key whose TTL has passed is
 * expired (and published as DEL) by the lookup, so it does not count; on a replica, where expired
 * keys are only hidden, the delete still removes it.
 */
function deleteKeys(c: CommandContext, argv: Buffer[], lazy: LazyFree | null): number {
  const db = c.db;
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = bytesToString(argv[i]);
    const live = db.exists(key);
    // Redis's dbAsyncDelete: a value costly to free goes to its lazy-free thread (INFO counts it).
    if (lazy !== null && live && lazy.dataTypes.freeEffort(db.peek(key)!) > LAZYFREE_THRESHOLD) lazy.stats.lazyfreedObjects++;
    // Why: Redis emits "del" only for a key dbDelete removed, so a hidden expired key on a replica emits it too.
    if (db.delete(key)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    if (live) deleted++;
  }
  return deleted;
}

/** Redis's LAZYFREE_THRESHOLD: values freeing fewer allocations are freed at once even by UNLINK. */
const LAZYFREE_THRESHOLD = 64;

interface LazyFree {
  dataTypes: DataTypeRegistry;
  stats: ServerStats;
}

/** Generic key commands that look at or remove keys by name. */
@CommandModule()
export class KeyCommands {
  private readonly dataTypes: DataTypeRegistry;
  private readonly lazy: LazyFree;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.dataTypes = server.dataTypes;
    this.lazy = { dataTypes: server.dataTypes, stats: server.stats };
    this.lazyUserDel = server.config.get<boolean>('lazyfree-lazy-user-del');
    server.config.onChange('lazyfree-lazy-user-del', (value) => (this.lazyUserDel = value === true));
  }

  /** lazyfree-lazy-user-del, kept current: DEL then frees as UNLINK does. */
  private lazyUserDel: boolean;

  /** DEL key [key ...] */
  @Command({ name: 'del', arity: -2, flags: ['write'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Delete a key', complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).', aclCategories: ['@keyspace', '@write', '@slow'], ...KEYSPACE_DOCS.del })
  del(c: CommandContext, argv: Buffer[]): void {
    c.reply.integer(deleteKeys(c, argv, this.lazyUserDel ? this.lazy : null));
  }

  /** UNLINK key [key ...] (memory is reclaimed by the garbage collector, so it is DEL) */
  @Command({ name: 'unlink', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'generic', since: '4.0.0', summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.', aclCategories: KEY_ACL_WRITE_FAST, ...KEYSPACE_DOCS.unlink })
  unlink(c: CommandContext, argv: Buffer[]): void {
    c.reply.integer(deleteKeys(c, argv, this.lazy));
  }

  /** EXISTS key [key ...] (a key named twice counts twice) */
  @Command({ name: 'exists', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Determine if a key exists', complexity: 'O(N) where N is the number of keys to check.', aclCategories: KEY_ACL_READ_FAST, ...KEYSPACE_DOCS.exists })
  exists(c: CommandContext, argv: Buffer[]): void {
    c.reply.integer(countExisting(c, argv, true));
  }

  /** TOUCH key [key ...] (updates the keys' LRU clock / LFU counter; counts those that exist) */
  @Command({ name: 'touch', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'generic', since: '3.2.1', summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', complexity: 'O(N) where N is the number of keys that will be touched.', aclCategories: KEY_ACL_READ_FAST, ...KEYSPACE_DOCS.touch })
  touch(c: CommandContext, argv: Buffer[]): void {
    c.reply.integer(countExisting(c, argv, false));
  }

  /** TYPE key */
  @Command({ name: 'type', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Determine the type stored at key', complexity: 'O(1)', aclCategories: KEY_ACL_READ_FAST, ...KEYSPACE_DOCS.type })
  type(c: CommandContext, argv: Buffer[]): void {
    // As Redis's LOOKUP_NOTOUCH: TYPE does not count as an access of the key.
    const value = c.db.lookupRead(bytesToString(argv[1]), true);
    // A module type's value answers its 9-character module type name, as Redis's.
    c.reply.status(value === undefined ? 'none' : this.dataTypes.typeNameOf(value));
  }

  /** RANDOMKEY */
  @Command({ name: 'randomkey', arity: 1, flags: ['readonly'], group: 'generic', since: '1.0.0', summary: 'Return a random key from the keyspace', complexity: 'O(1)', aclCategories: ['@keyspace', '@read', '@slow'], ...KEYSPACE_DOCS.randomkey })
  randomkey(c: CommandContext): void {
    const key = c.db.randomKey();
    if (key === undefined) c.reply.nullBulk();
    else c.reply.bulk(key);
  }
}

/** EXISTS and TOUCH: keys found (a key named twice counts twice); EXISTS leaves access stamps alone. */
function countExisting(c: CommandContext, argv: Buffer[], noTouch: boolean): number {
  let found = 0;
  for (let i = 1; i < argv.length; i++) {
    if (c.db.lookupRead(bytesToString(argv[i]), noTouch) !== undefined) found++;
  }
  return found;
}
