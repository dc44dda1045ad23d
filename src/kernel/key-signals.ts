import type { Database, KeyObserver } from '../keyspace/database';
import type { Keyspace } from '../keyspace/keyspace';
import type { BlockingService } from './blocking';
import type { WatchRegistry } from './watched-keys';

/** Something else that wants every changed key (client-side caching). */
export interface KeyChangeListener {
  /** True while it needs signals. */
  readonly active: boolean;
  /** `byServer`: an expiry or eviction, which no client made (see KeyObserver.touched). */
  touched(db: Database, key: string, byServer?: boolean): void;
  /** A database is about to be emptied (FLUSHDB, FLUSHALL, a full sync's load). */
  flushed(db: Database): void;
}

/**
 * The kernel's key-modified signal: installed as the keyspace's observer only while some client
 * watches a key, is blocked on one, or tracks keys, so that otherwise a write costs a null check.
 * Keys looked up for writing count as changed at the next markDirty of the same command, so a
 * command that looked and changed nothing (HSETNX on an existing field) touches nothing.
 */
export class KeySignals implements KeyObserver {
  private pendingDbs: Database[] = [];
  private pendingKeys: string[] = [];
  private readonly listeners: KeyChangeListener[] = [];

  constructor(
    private readonly keyspace: Keyspace,
    private readonly watches: WatchRegistry,
    private readonly blocking: BlockingService,
  ) {
    watches.onInterestChanged = this.update;
    blocking.onKeyInterestChanged = this.update;
  }

  addListener(listener: KeyChangeListener): void {
    this.listeners.push(listener);
  }

  /** Installs or removes the observer as interest comes and goes. */
  readonly update = (): void => {
    const wanted = this.watches.count > 0 || this.blocking.keyBlockedClients > 0 || this.listeners.some((l) => l.active);
    this.keyspace.keyObserver = wanted ? this : null;
    if (!wanted) this.endCommand();
  };

  touched(db: Database, key: string, byServer = false): void {
    if (this.watches.count > 0) this.watches.touched(db, key);
    if (this.blocking.keyBlockedClients > 0) this.blocking.signal(db, key);
    for (const l of this.listeners) if (l.active) l.touched(db, key, byServer);
  }

  mayChange(db: Database, key: string): void {
    this.pendingDbs.push(db);
    this.pendingKeys.push(key);
  }

  changed(): void {
    const dbs = this.pendingDbs;
    const keys = this.pendingKeys;
    if (keys.length === 0) return;
    this.pendingDbs = [];
    this.pendingKeys = [];
    for (let i = 0; i < keys.length; i++) this.touched(dbs[i], keys[i]);
  }

  /** After each command: keys looked up for writing but not changed are forgotten. */
  endCommand(): void {
    if (this.pendingKeys.length !== 0) {
      this.pendingDbs = [];
      this.pendingKeys = [];
    }
  }

  beforeFlush(db: Database): void {
    if (this.watches.count > 0) this.watches.beforeReplace(db, null);
    // Blocked clients are offered their keys once the flush is done: most keep waiting on the
    // missing key, but a group read fails as Redis's scanDatabaseForDeletedStreams makes it.
    if (this.blocking.keyBlockedClients > 0) this.blocking.signalAll(db);
    for (const l of this.listeners) if (l.active) l.flushed(db);
  }

  beforeSwap(a: Database, b: Database): void {
    if (this.watches.count > 0) {
      this.watches.beforeReplace(a, b);
      this.watches.beforeReplace(b, a);
    }
    // Client tracking is not told of SWAPDB, as in Redis 7.0.
  }

  afterSwap(a: Database, b: Database): void {
    // Clients stay blocked in their database; what it holds now may serve them.
    if (this.blocking.keyBlockedClients > 0) {
      this.blocking.signalAll(a);
      this.blocking.signalAll(b);
    }
  }
}
