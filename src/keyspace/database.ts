import type { StoredValue } from './value';
import type { ScanCursors } from './scan-cursors';
import type { AccessPolicy } from './access-clock';

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

  /**
   * The value, or undefined when missing or expired. Counts a keyspace hit or miss and updates the
   * key's access stamp (LRU clock / LFU counter) unless `noTouch` (OBJECT, as Redis's LOOKUP_NOTOUCH).
   */
  lookupRead(key: string, noTouch?: boolean): StoredValue | undefined;
  /** Like lookupRead (counts the hit or miss) but emits no `keymiss` event and is no access: OBJECT, as Redis's LOOKUP_NOTOUCH|LOOKUP_NONOTIFY. */
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
  /** The stored value, expired or not (no expiry check, no deletion): DEBUG OBJECT's dictFind. */
  stored(key: string): StoredValue | undefined;
  /** Deletes up to `budget` expired keys from those with a TTL; returns [sampled, expired]. */
  expireSome(budget: number): [number, number];
  /**
   * Bytes the keys and values of this database are estimated to cost: for each key, Redis's key
   * overhead plus its type's `memoryUsage` (what MEMORY USAGE reports), kept up to date by every
   * change. In-place changes (lookupWrite) are counted when the command ends (`settleMemory`).
   */
  readonly memoryBytes: number;
  /** Re-measures the values looked up for writing since the last call (the dispatcher calls it after each command). */
  settleMemory(): void;
  /** The key's raw 24-bit access stamp (see access-clock.ts), or -1 when it is not stored. No expiry check. */
  accessOf(key: string): number;
  /** Sets an existing key's access stamp (RESTORE ... IDLETIME / FREQ). */
  setAccess(key: string, stamp: number): void;
  /**
   * Up to `count` keys picked at random (among keys with a TTL when `volatileOnly`), pushed to
   * `out`, for the eviction pool: O(count), not a walk of the keyspace. May repeat keys.
   */
  sampleKeys(count: number, volatileOnly: boolean, out: string[]): void;
  /**
   * Deletes a key for maxmemory: counted in evicted_keys, the `evicted` event, published as DEL
   * (UNLINK when `lazy`). Returns the estimated bytes freed (0 when the key was not there).
   */
  evict(key: string, lazy: boolean): number;
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
  /**
   * While non-zero, the Unix ms at which keys' TTLs are judged instead of the clock: a transaction
   * or a script sees time stand still from its start, as Redis's call() caches the time for nested
   * calls (a key alive at the first command stays alive to the last). See Keyspace.freezeClock.
   */
  fixedTime: number;
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
  /** How access stamps are kept (LRU clock or LFU counter), from the maxmemory-policy and lfu-* options. */
  access: AccessPolicy;
  /** Estimated bytes a key and its value cost (key overhead + the type spec's memoryUsage). */
  sizeOf(key: string, value: StoredValue): number;
  /** Set by an engine when some database has values to re-measure (settleMemory). */
  memoryPending: boolean;
}

/**
 * The kernel's "key modified" signal, fed by the storage engine: every change to a key, whoever
 * makes it (any command of any plugin, expiry, a master's stream, loading), reaches WATCH, the
 * blocked clients and client tracking from here, so no command has to remember to signal.
 */
export interface KeyObserver {
  /**
   * `key` was written, replaced, deleted or expired. `byServer` is true when no client changed it
   * (an expiry or an eviction: Redis's signalModifiedKey with a NULL client).
   */
  touched(db: Database, key: string, byServer?: boolean): void;
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
  evictedKeys: number;
}
