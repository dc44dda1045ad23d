import type { Database, DatabaseEnvironment, StorageView } from './database';
import { SHARD_CAPACITY, ShardedMap } from './sharded-map';
import { StampedMap } from './stamped-map';
import type { StoredValue } from './value';
import { newStamp, touchedStamp } from './access-clock';

const DEL = 'DEL';
const UNLINK = 'UNLINK';
const NOTIFY_EVICTED = 1 << 9;
/** Redis's NOTIFY_* bits the engine emits with (src/kernel/notifications.ts has them all). */
const NOTIFY_EXPIRED = 1 << 8;
const NOTIFY_KEY_MISS = 1 << 11;
const NOTIFY_NEW = 1 << 14;
/** RANDOMKEY's tries on a replica whose keys all carry a TTL (Redis's maxtries). */
const RANDOM_KEY_TRIES = 100;
/** Longest random hop of the sampling iterator (sampleKeys). */
const SAMPLE_HOP = 64;

/** A view per data map: FLUSHDB/SWAPDB change which maps a database holds, and so its view. */
const VIEWS = new WeakMap<StampedMap<StoredValue>, StorageView>();

class MemoryStorageView implements StorageView {
  constructor(
    private readonly data: StampedMap<StoredValue>,
    private readonly expires: ShardedMap<number>,
  ) {}

  entries(): Iterator<[string, StoredValue]> {
    return this.data.entries();
  }

  get(key: string): StoredValue | undefined {
    return this.data.get(key);
  }

  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  get size(): number {
    return this.data.size;
  }

  get expiresCount(): number {
    return this.expires.size;
  }
}

/**
 * The default storage: one map of values, each with its access stamp (LRU clock or LFU counter, as
 * Redis keeps it in the value's robj), and one sharded Map of absolute expiry times holding only
 * keys with a TTL (like Redis's `expires` dict).
 */
export class MemoryDatabase implements Database {
  private data: StampedMap<StoredValue>;
  private expires: ShardedMap<number>;
  /** Live iterator over keys with a TTL: the active expiry cycle resumes where it stopped. */
  private expiryCursor: Iterator<[string, number]> | null = null;
  /** Live iterator RANDOMKEY walks from, so picking a key costs O(1) amortized, not O(n). */
  private randomCursor: Iterator<string> | null = null;
  /** Live iterator over keys with a TTL that volatile-* eviction samples from. */
  private volatileCursor: Iterator<string> | null = null;
  private bytes = 0;
  /** Values looked up for writing, with their size then: re-measured by settleMemory. */
  private pendingKeys: string[] = [];
  private pendingValues: StoredValue[] = [];
  private pendingBytes: number[] = [];

  constructor(
    readonly index: number,
    private readonly env: DatabaseEnvironment,
    /** Entries per ShardedMap shard (tests use small ones to exercise several shards). */
    private readonly shardCapacity = SHARD_CAPACITY,
  ) {
    this.data = new StampedMap(shardCapacity);
    this.expires = new ShardedMap(shardCapacity);
  }

  get memoryBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.data.size;
  }

  get expiresCount(): number {
    return this.expires.size;
  }

  lookupRead(key: string, noTouch = false): StoredValue | undefined {
    const value = this.lookup(key);
    if (value === undefined) {
      this.env.stats.keyspaceMisses++;
      this.env.notifyKeyspaceEvent(NOTIFY_KEY_MISS, 'keymiss', key, this.index);
    } else {
      this.env.stats.keyspaceHits++;
      if (!noTouch) this.touch(key);
    }
    return value;
  }

  lookupReadNoEvent(key: string): StoredValue | undefined {
    const value = this.lookup(key);
    if (value === undefined) this.env.stats.keyspaceMisses++;
    else this.env.stats.keyspaceHits++;
    return value;
  }

  lookupWrite(key: string): StoredValue | undefined {
    const value = this.lookup(key);
    if (value !== undefined) {
      this.touch(key);
      if (typeof value !== 'string') this.remember(key, value);
      if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, value);
      if (this.env.keyObserver !== null) this.env.keyObserver.mayChange(this, key);
    }
    return value;
  }

  /** An access: the LRU clock, or one LFU increment (after the decay due). */
  private touch(key: string): void {
    const access = this.env.access;
    const slot = this.data.slotOf(key);
    if (slot < 0) return;
    this.data.setStampAt(slot, touchedStamp(access.lfu ? this.data.stampAt(slot) : undefined, access, Date.now()));
  }

  /** Notes a value that may change in place, with its size now (once per value per command). */
  private remember(key: string, value: StoredValue): void {
    const values = this.pendingValues;
    for (let i = 0; i < values.length; i++) if (values[i] === value) return;
    this.pendingKeys.push(key);
    values.push(value);
    this.pendingBytes.push(this.env.sizeOf(key, value));
    this.env.memoryPending = true;
  }

  /** The size a stored value was counted with: its remembered size if it is pending (and forgets it). */
  private countedSize(key: string, value: StoredValue): number {
    const values = this.pendingValues;
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== value) continue;
      const bytes = this.pendingBytes[i];
      values.splice(i, 1);
      this.pendingKeys.splice(i, 1);
      this.pendingBytes.splice(i, 1);
      return bytes;
    }
    return this.env.sizeOf(key, value);
  }

  settleMemory(): void {
    const keys = this.pendingKeys;
    for (let i = 0; i < keys.length; i++) {
      const value = this.pendingValues[i];
      if (this.data.get(keys[i]) === value) this.bytes += this.env.sizeOf(keys[i], value) - this.pendingBytes[i];
    }
    if (keys.length !== 0) {
      this.pendingKeys = [];
      this.pendingValues = [];
      this.pendingBytes = [];
    }
  }

  accessOf(key: string): number {
    return this.data.stampOf(key);
  }

  setAccess(key: string, stamp: number): void {
    const slot = this.data.slotOf(key);
    if (slot >= 0) this.data.setStampAt(slot, stamp);
  }

  peek(key: string): StoredValue | undefined {
    return this.lookup(key);
  }

  exists(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  private lookup(key: string): StoredValue | undefined {
    const value = this.data.get(key);
    if (value === undefined || this.expires.size === 0) return value;
    const at = this.expires.get(key);
    // A key lives through its expiry millisecond itself: Redis expires it only once now > at.
    if (at === undefined || at >= (this.env.fixedTime || Date.now())) return value;
    if (this.env.expiryMode === 'hide' || this.env.expiryPaused) return undefined;
    this.deleteExpired(key);
    return undefined;
  }

  holds(key: string): boolean {
    return this.data.has(key);
  }

  stored(key: string): StoredValue | undefined {
    return this.data.get(key);
  }

  isExpired(key: string): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at < (this.env.fixedTime || Date.now());
  }

  /** Deletes an expired key and publishes the deletion as DEL (how AOF and replicas learn of it). */
  private deleteExpired(key: string): void {
    const old = this.data.get(key);
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, old);
    if (old !== undefined) this.bytes -= this.countedSize(key, old);
    this.data.delete(key);
    this.expires.delete(key);
    this.env.stats.expiredKeys++;
    this.env.notifyKeyspaceEvent(NOTIFY_EXPIRED, 'expired', key, this.index);
    this.env.publish(this.index, [DEL, key]);
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key, true);
  }

  set(key: string, value: StoredValue, keepTtl = false): void {
    const env = this.env;
    const old = this.data.get(key);
    if (env.beforeWrite !== null) env.beforeWrite(this, key, old);
    this.bytes += env.sizeOf(key, value) - (old === undefined ? 0 : this.countedSize(key, old));
    // A new object has a fresh LRU clock; an overwrite keeps the LFU counter (dbSetValue).
    if (this.data.set(key, value, newStamp(env.access, Date.now()), !env.access.lfu)) env.notifyKeyspaceEvent(NOTIFY_NEW, 'new', key, this.index);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }

  delete(key: string): boolean {
    const old = this.data.get(key);
    if (old === undefined) return false;
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, old);
    this.bytes -= this.countedSize(key, old);
    this.data.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
    return true;
  }

  evict(key: string, lazy: boolean): number {
    const old = this.data.get(key);
    if (old === undefined) return 0;
    const env = this.env;
    if (env.beforeWrite !== null) env.beforeWrite(this, key, old);
    const freed = this.countedSize(key, old);
    this.bytes -= freed;
    this.data.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    env.stats.evictedKeys++;
    if (env.keyObserver !== null) env.keyObserver.touched(this, key, true);
    env.notifyKeyspaceEvent(NOTIFY_EVICTED, 'evicted', key, this.index);
    env.publish(this.index, [lazy ? UNLINK : DEL, key]);
    return freed;
  }

  sampleKeys(count: number, volatileOnly: boolean, out: string[]): void {
    const source = volatileOnly ? this.expires : this.data;
    const size = source.size;
    if (size === 0) return;
    // A Map has no random access: a live iterator hops forward by a random skip, then takes a run
    // of keys (as dictGetSomeKeys takes a run of buckets). The hops make the pool (which keeps the
    // best candidates between refills) see the whole keyspace in turn; a native Map step is cheap.
    let skip = Math.floor(Math.random() * Math.min(size, SAMPLE_HOP));
    let cursor = volatileOnly ? this.volatileCursor : this.randomCursor;
    let taken = 0;
    for (let guard = 0; taken < count && guard < 2 * size + 2048; guard++) {
      if (cursor === null) cursor = source.sampleKeys();
      const next = cursor.next();
      if (next.done) {
        cursor = null;
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(next.value);
      taken++;
    }
    if (volatileOnly) this.volatileCursor = cursor;
    else this.randomCursor = cursor;
  }

  markDirty(n = 1): void {
    this.env.dirty += n;
    if (n > 0 && this.env.keyObserver !== null) this.env.keyObserver.changed();
  }

  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  setExpire(key: string, atMs: number): void {
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, this.data.get(key));
    this.expires.set(key, atMs);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }

  persist(key: string): boolean {
    if (!this.expires.has(key)) return false;
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, this.data.get(key));
    this.expires.delete(key);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
    return true;
  }

  flush(): number {
    if (this.env.keyObserver !== null) this.env.keyObserver.beforeFlush(this);
    const removed = this.data.size;
    // Fresh maps rather than clear(): a snapshot still iterating the old ones keeps its view.
    this.data = new StampedMap(this.shardCapacity);
    this.expires = new ShardedMap(this.shardCapacity);
    this.bytes = 0;
    this.expiryCursor = null;
    this.randomCursor = null;
    this.volatileCursor = null;
    this.env.dirty += removed;
    return removed;
  }

  swapWith(other: Database): void {
    const peer = other as MemoryDatabase;
    const observer = this.env.keyObserver;
    if (observer !== null) observer.beforeSwap(this, peer);
    // Pending sizes refer to this database's maps: count them before the maps change hands.
    this.settleMemory();
    peer.settleMemory();
    [this.data, peer.data] = [peer.data, this.data];
    [this.expires, peer.expires] = [peer.expires, this.expires];
    [this.bytes, peer.bytes] = [peer.bytes, this.bytes];
    this.expiryCursor = peer.expiryCursor = null;
    this.randomCursor = peer.randomCursor = null;
    this.volatileCursor = peer.volatileCursor = null;
    if (observer !== null) observer.afterSwap(this, peer);
  }

  /**
   * A random live key. Where expired keys are deleted, each one met is, so the loop ends with a live
   * key or an empty database. Where they are only hidden (a replica) and every key has a TTL, all
   * may be logically expired: as Redis does, give up after 100 tries and return the last one.
   */
  randomKey(): string | undefined {
    for (let attempt = 1; this.data.size > 0; attempt++) {
      const key = this.nextRandomCandidate();
      if (key === undefined) return undefined;
      if (this.expires.size === 0 || !this.isExpired(key)) return key;
      if (this.env.expiryMode === 'delete' && !this.env.expiryPaused) this.deleteExpired(key);
      else if (attempt >= RANDOM_KEY_TRIES && this.expires.size === this.data.size) return key;
    }
    return undefined;
  }

  /** Walks a live iterator forward by a random skip, wrapping around: O(1) amortized per pick. */
  private nextRandomCandidate(): string | undefined {
    const size = this.data.size;
    let skip = Math.floor(Math.random() * Math.min(size, 64));
    for (let guard = 0; guard < 2 * size + 128; guard++) {
      if (this.randomCursor === null) this.randomCursor = this.data.keys();
      const next = this.randomCursor.next();
      if (next.done) {
        this.randomCursor = null;
        continue;
      }
      if (skip-- === 0) return next.value;
    }
    return undefined;
  }

  keys(): IterableIterator<string> {
    return this.data.keys();
  }

  forEachEntry(fn: (value: StoredValue, key: string) => void): void {
    this.data.forEach(fn);
  }

  scan(cursor: string, count: number, visit: (key: string) => void): string {
    return this.env.cursors.step(this.data, cursor, count, () => this.data.keys(), visit);
  }

  expireSome(budget: number): [number, number] {
    let sampled = 0;
    let expired = 0;
    if (this.expires.size === 0) return [0, 0];
    const now = Date.now();
    const due: string[] = [];
    while (sampled < budget && sampled < this.expires.size) {
      if (this.expiryCursor === null) this.expiryCursor = this.expires.entries();
      const next = this.expiryCursor.next();
      if (next.done) {
        this.expiryCursor = null;
        break;
      }
      sampled++;
      if (next.value[1] < now) due.push(next.value[0]);
    }
    for (const key of due) {
      if (this.data.has(key)) {
        this.deleteExpired(key);
        expired++;
      } else {
        this.expires.delete(key);
      }
    }
    return [sampled, expired];
  }

  storageView(): StorageView {
    let view = VIEWS.get(this.data);
    if (view === undefined) {
      view = new MemoryStorageView(this.data, this.expires);
      VIEWS.set(this.data, view);
    }
    return view;
  }

  load(key: string, value: StoredValue, expireAt: number): void {
    const data = this.data;
    const old = data.get(key);
    const stamp = newStamp(this.env.access, Date.now());
    this.bytes += this.env.sizeOf(key, value);
    if (old === undefined) {
      // The common case of a load: a new key, one Map write and no expires delete.
      data.addAbsent(key, value, stamp);
      if (expireAt >= 0) this.expires.set(key, expireAt);
    } else {
      this.bytes -= this.countedSize(key, old);
      data.set(key, value, stamp);
      if (expireAt >= 0) this.expires.set(key, expireAt);
      else if (this.expires.size !== 0) this.expires.delete(key);
    }
    // A dataset loaded (a full sync) over watched keys changes them, as Redis's swap to the new one does.
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }
}
