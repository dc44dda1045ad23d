import type { StoredValue } from './value';
import type { ScanCursors } from './scan-cursors';

/**
 * One logical database (SELECT n). Keys are latin1 strings. Commands read through `lookupRead`
 * and must call `lookupWrite` before changing a value in place (it lets a running snapshot save the
 * old value first); `set`, `delete`, `setExpire` and `persist` count as changes by themselves, an
 * in-place change is declared with `markDirty`.
 */
export interface Database {
  readonly index: number;
  readonly size: number;
  /** How many keys carry a TTL. */
  readonly expiresCount: number;

  /** The value, or undefined when missing or expired. Counts a keyspace hit or miss. */
  lookupRead(key: string): StoredValue | undefined;
  /** Like lookupRead (counts the hit or miss) but emits no `keymiss` event: OBJECT, as Redis's LOOKUP_NONOTIFY. */
  lookupReadNoEvent(key: string): StoredValue | undefined;
  /** The value, about to be changed in place (or replaced). */
  lookupWrite(key: string): StoredValue | undefined;
  /** Like lookupRead without touching hit/miss statistics (EXISTS, TYPE, TTL ...). */
  peek(key: string): StoredValue | undefined;
  exists(key: string): boolean;

  /** Stores a value. Removes the key's TTL unless keepTtl. */
  set(key: string, value: StoredValue, keepTtl?: boolean): void;
  /** Deletes a key; true if it existed. */
  delete(key: string): boolean;
  /** Declares `n` in-place changes (after lookupWrite). */
  markDirty(n?: number): void;

  /** Absolute expiry in unix ms, or -1 without TTL. The key must exist. */
  getExpire(key: string): number;
  /** Sets an absolute expiry (unix ms) on an existing key. */
  setExpire(key: string, atMs: number): void;
  /** Removes a TTL; true if there was one. */
  persist(key: string): boolean;

  /** Exchanges contents with another database of the same engine (SWAPDB). */
  swapWith(other: Database): void;
  /** Removes every key; returns how many there were. */
  flush(): number;
  randomKey(): string | undefined;
  /** Live iteration over keys including logically expired ones (callers filter). */
  keys(): IterableIterator<string>;
  /** Visits every [key, value] (no expiry check): for snapshots and KEYS. */
  forEachEntry(fn: (value: StoredValue, key: string) => void): void;
  /** One SCAN step over this database's keys. */
  scan(cursor: string, count: number, visit: (key: string) => void): string;
  /** True if the key exists but its TTL has passed. */
  isExpired(key: string): boolean;
  /** True if the key is stored, expired or not (no expiry check, no deletion). */
  holds(key: string): boolean;
  /** Deletes up to `budget` expired keys from those with a TTL; returns [sampled, expired]. */
  expireSome(budget: number): [number, number];
  /** Raw access for persistence loaders: stores without counting a change. */
  load(key: string, value: StoredValue, expireAt: number): void;
  /**
   * The storage behind this database right now, for point-in-time snapshots (optional: an engine
   * without it gets snapshots that copy everything up front). The same object is returned until
   * FLUSHDB/FLUSHALL give the database new storage or SWAPDB exchanges it.
   */
  storageView?(): StorageView;
}

/**
 * The storage objects behind a database at one moment. FLUSHDB and FLUSHALL replace them and
 * SWAPDB exchanges them without changing the old objects, so a snapshot holding a view keeps
 * reading the data it started from; while the view is current, every change to it is announced
 * by `beforeWrite` first.
 */
export interface StorageView {
  /** Live iteration in insertion order: entries added meanwhile are visited, removed ones skipped. */
  entries(): Iterator<[string, StoredValue]>;
  /** The value, expired or not. */
  get(key: string): StoredValue | undefined;
  /** Absolute expiry in unix ms, or -1. */
  getExpire(key: string): number;
  readonly size: number;
  readonly expiresCount: number;
}

/** What databases share: the change counter, the change feed, snapshot hooks, statistics. */
export interface DatabaseEnvironment {
  dirty: number;
  stats: KeyspaceStats;
  cursors: ScanCursors;
  /**
   * How TTLs are enforced: 'delete' (a master: expired keys are deleted and a DEL is published),
   * 'hide' (a replica: expired keys read as missing until the master deletes them).
   */
  expiryMode: 'delete' | 'hide';
  /** CLIENT PAUSE in progress: expired keys read as missing but are not deleted, as under 'hide'. */
  expiryPaused: boolean;
  /** Called with the old value before a key is changed, while a snapshot is being written. */
  beforeWrite: ((db: Database, key: string, old: StoredValue | undefined) => void) | null;
  /** Publishes a change in normalized form (used for expired-key deletions). */
  publish(dbIndex: number, argv: readonly (Buffer | string)[]): void;
  /**
   * What watches key changes (WATCH, blocked clients, client tracking), or null while nothing
   * does: then an engine's writes cost one null check. Engines call it for every change.
   */
  keyObserver: KeyObserver | null;
  /**
   * Keyspace events the engine itself emits, as Redis's db.c does: `new` when a key is created,
   * `keymiss` when a read finds nothing, `expired` when a TTL deletes a key. Costs a bit test when
   * notifications are off.
   */
  notifyKeyspaceEvent(type: number, event: string, key: string, dbIndex: number): void;
}

/**
 * The kernel's "key modified" signal, fed by the storage engine: every change to a key, whoever
 * makes it (any command of any plugin, expiry, a master's stream, loading), reaches WATCH, the
 * blocked clients and client tracking from here, so no command has to remember to signal.
 */
export interface KeyObserver {
  /** `key` was written, replaced, deleted or expired. */
  touched(db: Database, key: string): void;
  /** lookupWrite(key): the value may be changed in place; it counts as touched at the next markDirty. */
  mayChange(db: Database, key: string): void;
  /** markDirty(): the values looked up for writing (mayChange) were changed. */
  changed(): void;
  /** FLUSHDB/FLUSHALL is about to empty `db`. */
  beforeFlush(db: Database): void;
  /** SWAPDB is about to exchange the contents of `a` and `b`. */
  beforeSwap(a: Database, b: Database): void;
  /** SWAPDB exchanged the contents of `a` and `b`. */
  afterSwap(a: Database, b: Database): void;
}

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
}
