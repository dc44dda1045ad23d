import type { Database, DatabaseEnvironment, StorageView } from './database';
import { SHARD_CAPACITY, ShardedMap } from './sharded-map';
import type { StoredValue } from './value';

const DEL = 'DEL';
/** Redis's NOTIFY_* bits the engine emits with (src/kernel/notifications.ts has them all). */
const NOTIFY_EXPIRED = 1 << 8;
const NOTIFY_KEY_MISS = 1 << 11;
const NOTIFY_NEW = 1 << 14;
/** RANDOMKEY's tries on a replica whose keys all carry a TTL (Redis's maxtries). */
const RANDOM_KEY_TRIES = 100;

/** A view per data map: FLUSHDB/SWAPDB change which maps a database holds, and so its view. */
const VIEWS = new WeakMap<ShardedMap<StoredValue>, StorageView>();

class MemoryStorageView implements StorageView {
  constructor(
    private readonly data: ShardedMap<StoredValue>,
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

/** The default storage: one sharded Map of values and one of absolute expiry times (like Redis's `expires` dict). */
export class MemoryDatabase implements Database {
  private data: ShardedMap<StoredValue>;
  private expires: ShardedMap<number>;
  /** Live iterator over keys with a TTL: the active expiry cycle resumes where it stopped. */
  private expiryCursor: Iterator<[string, number]> | null = null;
  /** Live iterator RANDOMKEY walks from, so picking a key costs O(1) amortized, not O(n). */
  private randomCursor: Iterator<string> | null = null;

  constructor(
    readonly index: number,
    private readonly env: DatabaseEnvironment,
    /** Entries per ShardedMap shard (tests use small ones to exercise several shards). */
    private readonly shardCapacity = SHARD_CAPACITY,
  ) {
    this.data = new ShardedMap(shardCapacity);
    this.expires = new ShardedMap(shardCapacity);
  }

  get size(): number {
    return this.data.size;
  }

  get expiresCount(): number {
    return this.expires.size;
  }

  lookupRead(key: string): StoredValue | undefined {
    const value = this.lookup(key);
    if (value === undefined) {
      this.env.stats.keyspaceMisses++;
      this.env.notifyKeyspaceEvent(NOTIFY_KEY_MISS, 'keymiss', key, this.index);
    } else {
      this.env.stats.keyspaceHits++;
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
      if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, value);
      if (this.env.keyObserver !== null) this.env.keyObserver.mayChange(this, key);
    }
    return value;
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
    if (at === undefined || at >= Date.now()) return value;
    if (this.env.expiryMode === 'hide' || this.env.expiryPaused) return undefined;
    this.deleteExpired(key);
    return undefined;
  }

  holds(key: string): boolean {
    return this.data.has(key);
  }

  isExpired(key: string): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at < Date.now();
  }

  /** Deletes an expired key and publishes the deletion as DEL (how AOF and replicas learn of it). */
  private deleteExpired(key: string): void {
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, this.data.get(key));
    this.data.delete(key);
    this.expires.delete(key);
    this.env.stats.expiredKeys++;
    this.env.notifyKeyspaceEvent(NOTIFY_EXPIRED, 'expired', key, this.index);
    this.env.publish(this.index, [DEL, key]);
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }

  set(key: string, value: StoredValue, keepTtl = false): void {
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, this.data.get(key));
    if (this.data.set(key, value)) this.env.notifyKeyspaceEvent(NOTIFY_NEW, 'new', key, this.index);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }

  delete(key: string): boolean {
    const old = this.data.get(key);
    if (old === undefined) return false;
    if (this.env.beforeWrite !== null) this.env.beforeWrite(this, key, old);
    this.data.delete(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    this.env.dirty++;
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
    return true;
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
    this.data = new ShardedMap(this.shardCapacity);
    this.expires = new ShardedMap(this.shardCapacity);
    this.expiryCursor = null;
    this.randomCursor = null;
    this.env.dirty += removed;
    return removed;
  }

  swapWith(other: Database): void {
    const peer = other as MemoryDatabase;
    const observer = this.env.keyObserver;
    if (observer !== null) observer.beforeSwap(this, peer);
    [this.data, peer.data] = [peer.data, this.data];
    [this.expires, peer.expires] = [peer.expires, this.expires];
    this.expiryCursor = peer.expiryCursor = null;
    this.randomCursor = peer.randomCursor = null;
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
    this.data.set(key, value);
    if (expireAt >= 0) this.expires.set(key, expireAt);
    else if (this.expires.size !== 0) this.expires.delete(key);
    // A dataset loaded (a full sync) over watched keys changes them, as Redis's swap to the new one does.
    if (this.env.keyObserver !== null) this.env.keyObserver.touched(this, key);
  }
}
