import { ChangeFeed } from './change-feed';
import type { Database, DatabaseEnvironment, KeyObserver, KeyspaceStats } from './database';
import { ScanCursors } from './scan-cursors';
import type { StorageEngine } from './storage-engine';
import type { StoredValue } from './value';
import type { AccessPolicy } from './access-clock';

/** All databases of one server, and what they share. */
export class Keyspace implements DatabaseEnvironment {
  readonly databases: Database[];
  readonly feed = new ChangeFeed();
  readonly cursors = new ScanCursors();
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0, evictedKeys: 0 };
  readonly access: AccessPolicy = { lfu: false, logFactor: 10, decayTime: 1 };
  memoryPending = false;
  /** Set by the server once data types are registered (key overhead + the type's memoryUsage). */
  sizeOf: (key: string, value: StoredValue) => number = () => 0;
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  expiryMode: 'delete' | 'hide' = 'delete';
  expiryPaused = false;
  fixedTime = 0;

  /**
   * Freezes the expiry clock at now (unless already frozen: a script inside EXEC keeps EXEC's
   * time) and returns the value to pass to `thawClock` when the transaction or script ends.
   */
  freezeClock(): number {
    const previous = this.fixedTime;
    if (previous === 0) this.fixedTime = Date.now();
    return previous;
  }

  thawClock(previous: number): void {
    this.fixedTime = previous;
  }
  /** DEBUG SET-ACTIVE-EXPIRE: off, only lazy expiry (on access) deletes keys. */
  activeExpiry = true;
  beforeWrite: ((db: Database, key: string, old: StoredValue | undefined) => void) | null = null;
  keyObserver: KeyObserver | null = null;

  constructor(engine: StorageEngine, count: number) {
    this.databases = [];
    for (let i = 0; i < count; i++) this.databases.push(engine.createDatabase(i, this));
  }

  /** Set by the server: its keyspace notifier (nothing is emitted until then). */
  notifier: { emit(type: number, event: string, key: string, dbIndex: number): void } | null = null;

  notifyKeyspaceEvent(type: number, event: string, key: string, dbIndex: number): void {
    if (this.notifier !== null) this.notifier.emit(type, event, key, dbIndex);
  }

  publish(dbIndex: number, argv: readonly (Buffer | string)[]): void {
    if (this.feed.active) this.feed.publish(dbIndex, argv);
  }

  /** Counts the in-place changes of the last command in the memory estimate (cheap when there were none). */
  settleMemory(): void {
    if (!this.memoryPending) return;
    this.memoryPending = false;
    for (const db of this.databases) db.settleMemory();
  }

  /** Estimated bytes of all keys and values (the dataset part of used_memory). */
  get datasetBytes(): number {
    let n = 0;
    for (const db of this.databases) n += db.memoryBytes;
    return n;
  }

  /** Total number of keys in all databases. */
  get totalKeys(): number {
    let n = 0;
    for (const db of this.databases) n += db.size;
    return n;
  }

  flushAll(): number {
    let removed = 0;
    for (const db of this.databases) removed += db.flush();
    return removed;
  }

  swap(a: number, b: number): void {
    if (a === b) return;
    this.databases[a].swapWith(this.databases[b]);
  }
}
