import { describe, expect, it } from 'vitest';
import { DataTypeRegistry, Keyspace, type StoredValue } from '../../src/index';
import { takeSnapshot, type SnapshotEntry, type SnapshotTuning } from '../../src/api/persistence';
import { MemoryStorageEngine } from '../../src/keyspace/memory-engine';
import { hashDataType } from '../../plugins/hashes/hash-type';
import { HashValue } from '../../plugins/hashes/hash-value';
import { STRING_TYPE } from '../../plugins/strings/string-type';

function registry(): DataTypeRegistry {
  const types = new DataTypeRegistry();
  types.register(STRING_TYPE);
  types.register(hashDataType);
  return types;
}

/** A small deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function render(value: StoredValue): string {
  if (typeof value === 'string') return 's:' + value;
  const hash = value as HashValue;
  return 'h:' + [...hash.entries()].map(([f, v]) => `${f}=${v}`).join(',');
}

/** Every key of every database as "db/key" → "value|expiry". */
function state(keyspace: Keyspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const db of keyspace.databases) {
    db.forEachEntry((value, key) => out.set(`${db.index}/${key}`, `${render(value)}|${db.getExpire(key)}`));
  }
  return out;
}

function hashOf(pairs: string[]): HashValue {
  const h = new HashValue();
  for (let i = 0; i < pairs.length; i += 2) h.set(pairs[i], pairs[i + 1], 128, 64);
  return h;
}

/** Reads the whole snapshot, `between` running after each slice; fails on a duplicate key. */
function drain(snapshot: ReturnType<typeof takeSnapshot>, budget: number, between: () => void): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (e: SnapshotEntry) => {
    const id = `${e.dbIndex}/${e.key}`;
    if (seen.has(id)) throw new Error(`key ${id} emitted twice`);
    seen.set(id, `${render(e.value)}|${e.expireAt}`);
  };
  let guard = 0;
  while (snapshot.next(budget, visit)) {
    between();
    if (++guard > 1e6) throw new Error('snapshot does not end');
  }
  return seen;
}

function populate(keyspace: Keyspace, keys: number, random: () => number): void {
  for (let i = 0; i < keys; i++) {
    const db = keyspace.databases[Math.floor(random() * 3)];
    const key = `k${i}`;
    if (random() < 0.3) db.load(key, hashOf(['a', String(i), 'b', 'x'.repeat(i % 5)]), -1);
    else db.load(key, `v${i}`, random() < 0.2 ? Date.now() + 100_000 + i : -1);
  }
}

/** One random change through the Database API (every path calls beforeWrite first). */
function mutate(keyspace: Keyspace, random: () => number, keys: number, step: number): void {
  const r = random();
  const db = keyspace.databases[Math.floor(random() * 3)];
  const key = `k${Math.floor(random() * keys * 1.2)}`;
  if (r < 0.3) {
    db.set(key, `new${step}`, random() < 0.5);
  } else if (r < 0.5) {
    db.delete(key);
  } else if (r < 0.6) {
    if (db.peek(key) !== undefined) db.setExpire(key, Date.now() + 500_000 + step);
  } else if (r < 0.65) {
    db.persist(key);
  } else if (r < 0.8) {
    const value = db.lookupWrite(key);
    if (value instanceof HashValue) {
      value.set('a', `changed${step}`, 128, 64);
      value.delete('b');
      db.markDirty();
    } else if (value === undefined) {
      db.set(key, hashOf(['fresh', String(step)]));
    }
  } else if (r < 0.9) {
    // delete and re-create: the key moves to the end of the map's iteration order
    if (db.delete(key)) db.set(key, `reborn${step}`);
  } else if (r < 0.995) {
    db.set(`brand-new-${step}`, 'n');
  } else if (r < 0.997) {
    db.flush();
  } else if (r < 0.999) {
    keyspace.swap(0, 1 + Math.floor(random() * 2));
  } else {
    keyspace.flushAll();
  }
}

function scenario(seed: number, keys: number, tuning: SnapshotTuning, mutationsPerSlice: number, budget: number): void {
  const random = prng(seed);
  const keyspace = new Keyspace(new MemoryStorageEngine(), 4);
  const types = registry();
  populate(keyspace, keys, random);
  const expected = state(keyspace);
  const snapshot = takeSnapshot(keyspace, types, tuning);
  expect(snapshot.totalKeys).toBe(expected.size);
  let step = 0;
  const got = drain(snapshot, budget, () => {
    for (let i = 0; i < mutationsPerSlice; i++) mutate(keyspace, random, keys, step++);
  });
  expect(got.size).toBe(expected.size);
  for (const [id, value] of expected) expect(got.get(id), id).toBe(value);
  expect(keyspace.beforeWrite).toBeNull();
}

describe('copy-on-write snapshot', () => {
  it('is the dataset at the start whatever is written meanwhile (one pass)', () => {
    for (let seed = 1; seed <= 20; seed++) scenario(seed, 300, {}, 5, 7);
  });

  it('stays exact with many passes and small groups', () => {
    for (let seed = 100; seed <= 130; seed++) scenario(seed, 400, { passKeys: 37, groupSize: 3 }, 4, 3);
  });

  it('stays exact under heavy writes (more writes than reads)', () => {
    for (let seed = 200; seed <= 210; seed++) scenario(seed, 500, { passKeys: 100, groupSize: 8 }, 60, 2);
  });

  it('never emits a key twice when it is changed right after being emitted', () => {
    const keyspace = new Keyspace(new MemoryStorageEngine(), 1);
    const db = keyspace.databases[0];
    for (let i = 0; i < 50; i++) db.load(`k${i}`, `v${i}`, -1);
    const snapshot = takeSnapshot(keyspace, registry(), { passKeys: 10, groupSize: 2 });
    const seen = new Map<string, string>();
    while (
      snapshot.next(1, (e) => {
        expect(seen.has(e.key)).toBe(false);
        seen.set(e.key, e.value as string);
        // change, delete and re-create the key just emitted, and a neighbour
        db.set(e.key, 'after');
        db.delete(e.key);
        db.set(e.key, 'again');
      })
    );
    expect(seen.size).toBe(50);
    for (let i = 0; i < 50; i++) expect(seen.get(`k${i}`)).toBe(`v${i}`);
  });

  it('keeps the old data across FLUSHALL and SWAPDB', () => {
    const keyspace = new Keyspace(new MemoryStorageEngine(), 2);
    keyspace.databases[0].load('a', '1', -1);
    keyspace.databases[1].load('b', '2', 12345678901234);
    const snapshot = takeSnapshot(keyspace, registry());
    keyspace.swap(0, 1);
    keyspace.databases[0].set('b', 'changed after swap');
    keyspace.flushAll();
    keyspace.databases[0].set('a', 'new');
    const got = drain(snapshot, 10, () => undefined);
    expect([...got]).toEqual([['0/a', 's:1|-1'], ['1/b', 's:2|12345678901234']]);
  });

  it('serves two snapshots at once, each with its own start', () => {
    const keyspace = new Keyspace(new MemoryStorageEngine(), 1);
    const db = keyspace.databases[0];
    for (let i = 0; i < 100; i++) db.load(`k${i}`, `v${i}`, -1);
    const first = takeSnapshot(keyspace, registry(), { passKeys: 30, groupSize: 4 });
    for (let i = 0; i < 100; i += 2) db.set(`k${i}`, `second${i}`);
    const second = takeSnapshot(keyspace, registry(), { passKeys: 30, groupSize: 4 });
    let n = 0;
    const a = new Map<string, string>();
    const b = new Map<string, string>();
    let moreA = true;
    let moreB = true;
    while (moreA || moreB) {
      if (moreA) moreA = first.next(3, (e) => a.set(e.key, e.value as string));
      if (moreB) moreB = second.next(5, (e) => b.set(e.key, e.value as string));
      db.set(`k${n++ % 100}`, 'later');
      db.delete(`k${(n * 7) % 100}`);
    }
    expect(a.size).toBe(100);
    expect(b.size).toBe(100);
    for (let i = 0; i < 100; i++) {
      expect(a.get(`k${i}`)).toBe(`v${i}`);
      expect(b.get(`k${i}`)).toBe(i % 2 === 0 ? `second${i}` : `v${i}`);
    }
    expect(keyspace.beforeWrite).toBeNull();
  });

  it('keeps extra memory to what changed: untouched keys are not copied', () => {
    const keyspace = new Keyspace(new MemoryStorageEngine(), 1);
    const db = keyspace.databases[0];
    const big = hashOf(['f', 'v']);
    db.load('big', big, -1);
    const snapshot = takeSnapshot(keyspace, registry());
    let emitted: StoredValue | undefined;
    snapshot.next(10, (e) => (emitted = e.value));
    expect(emitted).toBe(big); // the live object, not a clone
    snapshot.close();
    expect(keyspace.beforeWrite).toBeNull();
  });

  it('chains a hook that was installed before it', () => {
    const keyspace = new Keyspace(new MemoryStorageEngine(), 1);
    const seen: string[] = [];
    const hook = (_db: unknown, key: string) => void seen.push(key);
    keyspace.beforeWrite = hook;
    keyspace.databases[0].set('x', '1');
    const snapshot = takeSnapshot(keyspace, registry());
    keyspace.databases[0].set('y', '2');
    snapshot.close();
    expect(seen).toEqual(['x', 'y']);
    expect(keyspace.beforeWrite).toBe(hook);
  });
});
