import { ChangeFeed } from './change-feed';
import type { Database, DatabaseEnvironment, KeyObserver, KeyspaceStats } from './database';
import { ScanCursors } from './scan-cursors';
import type { StorageEngine } from './storage-engine';
import type { StoredValue } from './value';

/** All databases of one server, and what they share. */
export class Keyspace implements DatabaseEnvironment {
  readonly databases: Database[];
  readonly feed = new ChangeFeed();
  readonly cursors = new ScanCursors();
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 };
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  expiryMode: 'delete' | 'hide' = 'delete';
  expiryPaused = false;
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
