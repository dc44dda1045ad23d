import type { Database, StorageView } from '../keyspace/database';
import type { Keyspace } from '../keyspace/keyspace';
import type { StoredValue } from '../keyspace/value';
import type { DataTypeRegistry } from '../kernel/data-types';

/** One key as it was when the snapshot started. */
export interface SnapshotEntry {
  dbIndex: number;
  key: string;
  /**
   * The value. It may be the live object (when nothing changed it since the snapshot started):
   * use it within the visit call, do not keep it.
   */
  value: StoredValue;
  /** Absolute unix ms, or -1 without TTL. */
  expireAt: number;
}

/**
 * A point-in-time view of the whole keyspace, read in slices while the server keeps serving
 * (BGSAVE, BGREWRITEAOF, full syncs to replicas). Entries are visited database by database.
 */
export interface PointInTimeSnapshot {
  /** Visits up to `budget` entries; returns false once every entry has been visited. */
  next(budget: number, visit: (entry: SnapshotEntry) => void): boolean;
  /** Number of keys in the snapshot (for progress reporting). */
  readonly totalKeys: number;
  /** Releases the snapshot (call when done or aborted). */
  close(): void;
}

/** A database as the snapshot found it: its index and its sizes when the snapshot started. */
export interface SnapshotDatabase {
  index: number;
  keys: number;
  expires: number;
}

/** What takeSnapshot returns: the snapshot, plus what an RDB writer needs for RESIZEDB. */
export interface KeyspaceSnapshot extends PointInTimeSnapshot {
  /** The non-empty databases, in the order their entries are visited. */
  readonly databases: readonly SnapshotDatabase[];
  /** Entries visited so far. */
  readonly visited: number;
}

/*
 * How the snapshot stays point-in-time without copying the dataset (Redis gets this from fork()
 * and copy-on-write pages; a Node process cannot fork its heap):
 *
 * 1. Copy-on-write. Every change to a key first calls `keyspace.beforeWrite(db, key, old)`. The
 *    first time that happens to a key the snapshot has not emitted yet, the snapshot keeps the
 *    key's old state (a clone of the value and its expiry, or "absent" if the key is new) and
 *    emits that instead of the live value. Extra memory follows what is modified during the save.
 *
 * 2. Knowing what was emitted. A key changed after it was emitted must be left alone (emitting it
 *    twice makes Redis refuse the file), so the snapshot must know, for any key, whether it was
 *    emitted already. A JS Map cannot say where a key sits in its iteration order, and a set of
 *    emitted keys would grow with the dataset. Instead the order of emission is a function of the
 *    key: a hash splits keys into P buckets (one pass over the database each, P <= 16) and, within
 *    a pass, into groups of ~128 keys emitted group by group. A key whose bucket, or group in the
 *    current pass, is behind the cursor was emitted; ahead, it was not; in the current group, a
 *    scan of those ~128 keys answers. A pass first collects its bucket's keys with their values
 *    (a live iteration, in slices) into the groups, then emits them: only one pass's references
 *    (up to 512K key/value pairs, 8 MB, or a sixteenth of the keys for huge databases) are held
 *    at a time. An untouched key's collected value is still its value at the start.
 *
 * 3. FLUSHDB/FLUSHALL/SWAPDB. Databases replace or exchange their storage objects instead of
 *    clearing them (see Database.storageView). The snapshot holds the view each database had at
 *    the start and finds a change's view from the database it happens in, so after SWAPDB the
 *    change lands on the right original database, and after a flush the old view is simply
 *    frozen and still read in full.
 *
 * Several snapshots may run at once (BGSAVE and BGREWRITEAOF): one hook calls each of them.
 */

/** Keys per group, the unit within which "emitted yet?" is answered by a scan. */
const GROUP_SIZE = 128;
/** Keys one pass aims to hold references to. */
const PASS_KEYS = 512 * 1024;
const MAX_PASSES = 16;

/** Sizing knobs, for tests that want many passes and groups on small data. */
export interface SnapshotTuning {
  passKeys?: number;
  groupSize?: number;
}
/** Collected entries are stored in chunks of this many key/value pairs. */
const CHUNK_SHIFT = 13;
const PAIRS_PER_CHUNK = 1 << CHUNK_SHIFT;
const CHUNK_MASK = PAIRS_PER_CHUNK - 1;
/** Collection steps (a key looked at) allowed per visit of the budget. */
const SCAN_PER_VISIT = 32;

/** A key's state when the snapshot started, saved before its first change. */
interface SavedEntry {
  /** undefined: the key did not exist. */
  value: StoredValue | undefined;
  expireAt: number;
  emitted: boolean;
}

type Phase = 'pending' | 'collect' | 'emit' | 'drain' | 'done';

/** The part of the snapshot for one original database (one storage view). */
class DatabaseSnapshot {
  readonly passes: number;
  phase: Phase = 'pending';
  pass = -1;
  /** Saved old states by bucket; a bucket's map is dropped when its pass ends. */
  private readonly saved: (Map<string, SavedEntry> | undefined)[];
  private iterator: Iterator<[string, StoredValue]> | null = null;
  /*
   * The current pass's entries in collection order as [key, value, key, value, ...] in chunks of
   * PAIRS_PER_CHUNK, chained per group (head/tail of each group, next entry of each entry; -1 ends
   * a chain). Big chunks and typed arrays rather than an array per group: the garbage collector
   * does not copy them around, which keeps its pauses (and so the slices) short, and chunks are
   * allocated as the pass fills (one huge array takes milliseconds to allocate).
   */
  private chunks: unknown[][] = [];
  private nextInGroup = new Int32Array(0);
  private heads = new Int32Array(0);
  private tails = new Int32Array(0);
  private count = 0;
  private groupCount = 1;
  /** Emission cursor: the group being emitted and its next entry (-1: the group is done). */
  private cursorGroup = 0;
  private cursorEntry = -1;
  private drainIterator: Iterator<[string, SavedEntry]> | null = null;

  constructor(
    readonly info: SnapshotDatabase,
    readonly view: StorageView,
    private readonly dataTypes: DataTypeRegistry,
    private readonly groupSize: number,
    passKeys: number,
  ) {
    this.passes = Math.min(MAX_PASSES, Math.max(1, Math.ceil(info.keys / passKeys)));
    this.saved = new Array(this.passes).fill(undefined);
  }

  /** beforeWrite for a key of this view: save its old state if it is still to be emitted. */
  touch(key: string, old: StoredValue | undefined): void {
    if (this.phase === 'done') return;
    const h = keyHash(key);
    const bucket = h % this.passes;
    if (bucket < this.pass) return;
    let saved = this.saved[bucket];
    if (saved !== undefined && saved.has(key)) return;
    if (bucket === this.pass) {
      if (this.phase === 'drain') return;
      if (this.phase === 'emit' && !this.aheadOfCursor(key, h)) return;
    }
    if (saved === undefined) saved = this.saved[bucket] = new Map();
    saved.set(key, {
      value: old === undefined ? undefined : this.cloneOf(old),
      expireAt: old === undefined ? -1 : this.view.getExpire(key),
      emitted: false,
    });
  }

  /**
   * While emitting: true if `key` was collected and is not emitted yet. Groups before the
   * cursor's are done, later ones are not; the cursor's own group is scanned from the cursor.
   * A key that was not collected is newer than the snapshot.
   */
  private aheadOfCursor(key: string, h: number): boolean {
    const g = this.groupOf(h);
    if (g < this.cursorGroup) return false;
    for (let i = g === this.cursorGroup ? this.cursorEntry : this.heads[g]; i !== -1; i = this.nextInGroup[i]) {
      if (this.chunks[i >>> CHUNK_SHIFT][2 * (i & CHUNK_MASK)] === key) return true;
    }
    return false;
  }

  private cloneOf(value: StoredValue): StoredValue {
    if (typeof value === 'string') return value;
    const type = this.dataTypes.of(value);
    return type === undefined ? value : type.clone(value);
  }

  private groupOf(h: number): number {
    return Math.floor(h / this.passes) % this.groupCount;
  }

  /**
   * Does up to `budget` visits (and a bounded amount of collection work); returns the visits
   * made, or -1 once this database is finished.
   */
  step(budget: number, visit: (entry: SnapshotEntry) => void): number {
    let visits = 0;
    let scans = budget * SCAN_PER_VISIT;
    while (visits < budget) {
      switch (this.phase) {
        case 'pending':
          this.startPass(0);
          break;
        case 'collect': {
          const it = this.iterator!;
          const passes = this.passes;
          const pass = this.pass;
          const saved = this.saved[pass];
          for (; scans > 0; scans--) {
            const next = it.next();
            if (next.done === true) {
              this.iterator = null;
              this.phase = 'emit';
              this.cursorGroup = 0;
              this.cursorEntry = this.heads[0];
              break;
            }
            const key = next.value[0];
            const h = keyHash(key);
            if (h % passes !== pass) continue;
            const entry = saved?.get(key);
            if (entry !== undefined && entry.value === undefined) continue; // newer than the snapshot
            // The value is kept with the key: until the key is touched (and its old state saved),
            // it is the value the snapshot started with, and this saves a lookup when emitting.
            this.collect(key, next.value[1], this.groupOf(h));
          }
          if (this.phase === 'collect') return visits; // scan budget spent
          break;
        }
        case 'emit': {
          const i = this.cursorEntry;
          if (i === -1) {
            if (++this.cursorGroup < this.groupCount) {
              this.cursorEntry = this.heads[this.cursorGroup];
              break;
            }
            this.chunks = [];
            this.phase = 'drain';
            const saved = this.saved[this.pass];
            this.drainIterator = saved === undefined ? null : saved.entries();
            break;
          }
          this.cursorEntry = this.nextInGroup[i];
          const chunk = this.chunks[i >>> CHUNK_SHIFT];
          const slot = 2 * (i & CHUNK_MASK);
          const key = chunk[slot] as string;
          const saved = this.saved[this.pass]?.get(key);
          if (saved !== undefined) {
            if (saved.emitted || saved.value === undefined) break;
            saved.emitted = true;
            visit({ dbIndex: this.info.index, key, value: saved.value, expireAt: saved.expireAt });
          } else {
            const value = chunk[slot + 1] as StoredValue;
            visit({ dbIndex: this.info.index, key, value, expireAt: this.view.expiresCount === 0 ? -1 : this.view.getExpire(key) });
          }
          visits++;
          break;
        }
        case 'drain': {
          // Keys deleted before the pass reached them: only their saved state remains.
          const next = this.drainIterator?.next();
          if (next === undefined || next.done === true) {
            this.drainIterator = null;
            this.saved[this.pass] = undefined;
            if (this.pass + 1 < this.passes) this.startPass(this.pass + 1);
            else {
              this.phase = 'done';
              return visits === 0 ? -1 : visits;
            }
            break;
          }
          const [key, saved] = next.value;
          if (saved.emitted || saved.value === undefined) break;
          saved.emitted = true;
          visit({ dbIndex: this.info.index, key, value: saved.value, expireAt: saved.expireAt });
          visits++;
          break;
        }
        case 'done':
          return visits === 0 ? -1 : visits;
      }
    }
    return visits;
  }

  /** Appends an entry to the pass and to the end of its group's chain. */
  private collect(key: string, value: StoredValue, group: number): void {
    const i = this.count;
    if (i === this.nextInGroup.length) {
      const next = new Int32Array(Math.max(1024, i * 2));
      next.set(this.nextInGroup);
      this.nextInGroup = next;
    }
    const offset = i & CHUNK_MASK;
    if (offset === 0) this.chunks.push(new Array(2 * PAIRS_PER_CHUNK));
    const chunk = this.chunks[i >>> CHUNK_SHIFT];
    chunk[2 * offset] = key;
    chunk[2 * offset + 1] = value;
    this.nextInGroup[i] = -1;
    if (this.heads[group] === -1) this.heads[group] = i;
    else this.nextInGroup[this.tails[group]] = i;
    this.tails[group] = i;
    this.count = i + 1;
  }

  private startPass(pass: number): void {
    this.pass = pass;
    this.phase = 'collect';
    this.iterator = this.view.entries();
    const expected = Math.ceil(this.view.size / this.passes);
    this.groupCount = Math.max(1, Math.ceil(expected / this.groupSize));
    this.chunks = [];
    this.nextInGroup = new Int32Array(Math.ceil(expected * 1.1) + 64);
    this.heads = new Int32Array(this.groupCount).fill(-1);
    this.tails = new Int32Array(this.groupCount);
    this.count = 0;
    this.cursorGroup = 0;
    this.cursorEntry = -1;
  }

  release(): void {
    this.phase = 'done';
    this.iterator = null;
    this.drainIterator = null;
    this.chunks = [];
    this.nextInGroup = new Int32Array(0);
    this.heads = new Int32Array(0);
    this.count = 0;
    this.saved.fill(undefined);
  }
}

/** FNV-1a over the key (long keys: their length and both ends), as an unsigned 32-bit number. */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  const len = key.length;
  if (len <= 64) {
    for (let i = 0; i < len; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 32; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let i = len - 32; i < len; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ len, 0x01000193);
  }
  return h >>> 0;
}

class CopyOnWriteSnapshot implements KeyspaceSnapshot {
  readonly databases: SnapshotDatabase[] = [];
  readonly totalKeys: number;
  visited = 0;
  private readonly parts: DatabaseSnapshot[] = [];
  private readonly byView = new Map<StorageView, DatabaseSnapshot>();
  private current = 0;
  private closed = false;

  constructor(
    private readonly keyspace: Keyspace,
    dataTypes: DataTypeRegistry,
    tuning: SnapshotTuning,
  ) {
    let total = 0;
    for (const db of keyspace.databases) {
      const view = db.storageView!();
      if (view.size === 0) continue;
      const info = { index: db.index, keys: view.size, expires: view.expiresCount };
      const part = new DatabaseSnapshot(info, view, dataTypes, tuning.groupSize ?? GROUP_SIZE, tuning.passKeys ?? PASS_KEYS);
      this.databases.push(info);
      this.parts.push(part);
      this.byView.set(view, part);
      total += info.keys;
    }
    this.totalKeys = total;
    attach(keyspace, this);
  }

  /** Called (through the keyspace's hook) before any change to `key` in `db`. */
  beforeWrite(db: Database, key: string, old: StoredValue | undefined): void {
    const part = this.byView.get(db.storageView!());
    if (part !== undefined) part.touch(key, old);
  }

  next(budget: number, visit: (entry: SnapshotEntry) => void): boolean {
    let left = budget;
    while (left > 0 && this.current < this.parts.length) {
      const part = this.parts[this.current];
      const made = part.step(left, visit);
      if (made === -1) {
        this.byView.delete(part.view);
        part.release();
        this.current++;
        continue;
      }
      this.visited += made;
      left -= made;
      if (made === 0 || part.phase === 'collect') return true; // collection work used the slice
    }
    if (this.current >= this.parts.length) {
      this.close();
      return false;
    }
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const part of this.parts) part.release();
    this.byView.clear();
    this.current = this.parts.length;
    detach(this.keyspace, this);
  }
}

/** Snapshots taking changes from each keyspace, and the hook that was there before the first. */
const ACTIVE = new WeakMap<Keyspace, { snapshots: Set<CopyOnWriteSnapshot>; previous: Keyspace['beforeWrite'] }>();

function attach(keyspace: Keyspace, snapshot: CopyOnWriteSnapshot): void {
  let entry = ACTIVE.get(keyspace);
  if (entry === undefined) {
    const created = { snapshots: new Set<CopyOnWriteSnapshot>(), previous: keyspace.beforeWrite };
    entry = created;
    ACTIVE.set(keyspace, created);
    keyspace.beforeWrite = (db, key, old) => {
      for (const s of created.snapshots) s.beforeWrite(db, key, old);
      created.previous?.(db, key, old);
    };
  }
  entry.snapshots.add(snapshot);
}

function detach(keyspace: Keyspace, snapshot: CopyOnWriteSnapshot): void {
  const entry = ACTIVE.get(keyspace);
  if (entry === undefined) return;
  entry.snapshots.delete(snapshot);
  if (entry.snapshots.size === 0) {
    keyspace.beforeWrite = entry.previous;
    ACTIVE.delete(keyspace);
  }
}

/**
 * Takes a point-in-time snapshot of the keyspace that is read in slices while the server keeps
 * serving (see the design notes above). Storage engines without `storageView` get a snapshot that
 * copies every entry up front instead.
 */
export function takeSnapshot(keyspace: Keyspace, dataTypes: DataTypeRegistry, tuning: SnapshotTuning = {}): KeyspaceSnapshot {
  if (keyspace.databases.every((db) => typeof db.storageView === 'function')) return new CopyOnWriteSnapshot(keyspace, dataTypes, tuning);
  return takeCopyingSnapshot(keyspace, dataTypes);
}

/** The simple fallback: copies the key list and clones every value now (blocking, O(dataset) memory). */
function takeCopyingSnapshot(keyspace: Keyspace, dataTypes: DataTypeRegistry): KeyspaceSnapshot {
  const entries: SnapshotEntry[] = [];
  const databases: SnapshotDatabase[] = [];
  for (const db of keyspace.databases) {
    if (db.size === 0) continue;
    databases.push({ index: db.index, keys: db.size, expires: db.expiresCount });
    db.forEachEntry((value, key) => {
      const type = dataTypes.of(value);
      entries.push({ dbIndex: db.index, key, value: type ? type.clone(value) : value, expireAt: db.getExpire(key) });
    });
  }
  let position = 0;
  return {
    databases,
    totalKeys: entries.length,
    get visited() {
      return position;
    },
    next(budget, visit) {
      const end = Math.min(entries.length, position + budget);
      for (; position < end; position++) visit(entries[position]);
      return position < entries.length;
    },
    close() {
      position = entries.length;
      entries.length = 0;
    },
  };
}
