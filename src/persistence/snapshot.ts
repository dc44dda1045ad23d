import type { Keyspace } from '../keyspace/keyspace';
import type { StoredValue } from '../keyspace/value';
import type { DataTypeRegistry } from '../kernel/data-types';

/** One key as it was when the snapshot started. */
export interface SnapshotEntry {
  dbIndex: number;
  key: string;
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

/**
 * Takes a snapshot. This first version copies the key list and clones every value up front: it is
 * point-in-time and correct, but blocks and costs memory proportional to the dataset.
 * TODO(rdb): copy-on-write via keyspace.beforeWrite so the cost follows what is modified.
 */
export function takeSnapshot(keyspace: Keyspace, dataTypes: DataTypeRegistry): PointInTimeSnapshot {
  const entries: SnapshotEntry[] = [];
  for (const db of keyspace.databases) {
    db.forEachEntry((value, key) => {
      const type = dataTypes.of(value);
      entries.push({ dbIndex: db.index, key, value: type ? type.clone(value) : value, expireAt: db.getExpire(key) });
    });
  }
  let position = 0;
  return {
    totalKeys: entries.length,
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
