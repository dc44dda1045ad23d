import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/keyspace/database';
import { Keyspace } from '../../src/keyspace/keyspace';
import { MemoryDatabase } from '../../src/keyspace/memory-database';
import { ShardedMap } from '../../src/keyspace/sharded-map';

/** A keyspace whose databases spill into a new shard every `capacity` keys. */
function smallShardKeyspace(capacity: number): Keyspace {
  return new Keyspace({ createDatabase: (index, env) => new MemoryDatabase(index, env, capacity) }, 2);
}

describe('ShardedMap across shards', () => {
  it('gets, sets and counts across shards', () => {
    const map = new ShardedMap<number>(4);
    for (let i = 0; i < 50; i++) expect(map.set(`k${i}`, i)).toBe(true);
    expect(map.size).toBe(50);
    expect(map.shardCount).toBeGreaterThan(10);
    for (let i = 0; i < 50; i++) expect(map.get(`k${i}`)).toBe(i);
    expect(map.get('missing')).toBeUndefined();
    expect(map.has('k0')).toBe(true);
    expect(map.has('k49')).toBe(true);
    expect(map.has('missing')).toBe(false);
    // Updating a key of an early shard changes it in place: no new entry.
    expect(map.set('k0', 100)).toBe(false);
    expect(map.set('k25', 125)).toBe(false);
    expect(map.size).toBe(50);
    expect(map.get('k0')).toBe(100);
    expect(map.get('k25')).toBe(125);
  });

  it('deletes from any shard and drops emptied shards', () => {
    const map = new ShardedMap<number>(4);
    for (let i = 0; i < 20; i++) map.set(`k${i}`, i);
    const shards = map.shardCount;
    for (let i = 0; i < 4; i++) expect(map.delete(`k${i}`)).toBe(true); // the whole first shard
    expect(map.delete('k0')).toBe(false);
    expect(map.shardCount).toBe(shards - 1);
    expect(map.size).toBe(16);
    expect(map.delete('k10')).toBe(true);
    expect(map.get('k10')).toBeUndefined();
    expect(map.get('k11')).toBe(11);
    // A deleted key comes back as a new entry.
    expect(map.set('k10', 10)).toBe(true);
    expect(map.size).toBe(16);
    expect([...map.keys()].sort()).toEqual(Array.from({ length: 16 }, (_, i) => `k${i + 4}`).sort());
  });

  it('iterates every entry once, in entries(), keys() and forEach()', () => {
    const map = new ShardedMap<number>(3);
    for (let i = 0; i < 31; i++) map.set(`k${i}`, i);
    const expected = Array.from({ length: 31 }, (_, i) => `k${i}`);
    expect([...map.keys()]).toEqual(expected);
    expect([...map.entries()].map(([k, v]) => `${k}=${v}`)).toEqual(expected.map((k) => `${k}=${k.slice(1)}`));
    const seen: string[] = [];
    map.forEach((_v, k) => seen.push(k));
    expect(seen).toEqual(expected);
  });

  it('iterates live: keys added meanwhile (even into new shards) are visited, deleted ones skipped', () => {
    const map = new ShardedMap<number>(4);
    for (let i = 0; i < 10; i++) map.set(`old${i}`, i);
    const seen: string[] = [];
    let added = 0;
    for (const key of map.keys()) {
      seen.push(key);
      if (key === 'old2') {
        map.delete('old7');
        map.delete('old8');
      }
      if (added < 10) map.set(`new${added++}`, 0);
    }
    expect(seen).not.toContain('old7');
    expect(seen).not.toContain('old8');
    for (let i = 0; i < 10; i++) if (i !== 7 && i !== 8) expect(seen).toContain(`old${i}`);
    for (let i = 0; i < 10; i++) expect(seen).toContain(`new${i}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('picks random entries from every shard', () => {
    const map = new ShardedMap<number>(2);
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const entry = map.randomEntry()!;
      expect(map.get(entry[0])).toBe(entry[1]);
      seen.add(entry[0]);
    }
    expect(seen.size).toBe(10);
    expect(new ShardedMap<number>(2).randomEntry()).toBeUndefined();
  });

  it('clears back to one empty shard', () => {
    const map = new ShardedMap<number>(2);
    for (let i = 0; i < 9; i++) map.set(`k${i}`, i);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.shardCount).toBe(1);
    expect([...map.keys()]).toEqual([]);
  });
});

describe('a database larger than one shard', () => {
  const capacity = 8;
  const count = 200;

  function filled(): { keyspace: Keyspace; db: Database } {
    const keyspace = smallShardKeyspace(capacity);
    const db = keyspace.databases[0];
    for (let i = 0; i < count; i++) db.set(`key:${i}`, `value:${i}`);
    return { keyspace, db };
  }

  it('stores, reads, overwrites and deletes every key', () => {
    const { db } = filled();
    expect(db.size).toBe(count);
    for (let i = 0; i < count; i++) expect(db.lookupRead(`key:${i}`)).toBe(`value:${i}`);
    db.set('key:3', 'changed');
    expect(db.size).toBe(count);
    expect(db.peek('key:3')).toBe('changed');
    for (let i = 0; i < count; i += 2) expect(db.delete(`key:${i}`)).toBe(true);
    expect(db.size).toBe(count / 2);
    expect(db.exists('key:0')).toBe(false);
    expect(db.exists('key:1')).toBe(true);
  });

  it('keeps TTLs in sharded expires, expires them actively and lazily', () => {
    const { keyspace, db } = filled();
    const past = Date.now() - 1000;
    for (let i = 0; i < 50; i++) db.setExpire(`key:${i}`, past);
    for (let i = 50; i < 60; i++) db.setExpire(`key:${i}`, Date.now() + 100_000);
    expect(db.expiresCount).toBe(60);
    expect(db.exists('key:0')).toBe(false); // lazy
    let expired = 0;
    for (let round = 0; round < 20; round++) expired += db.expireSome(20)[1];
    expect(expired).toBe(49);
    expect(db.size).toBe(count - 50);
    expect(db.expiresCount).toBe(10);
    expect(keyspace.stats.expiredKeys).toBe(50);
    expect(db.getExpire('key:55')).toBeGreaterThan(Date.now());
  });

  it('scans, lists and picks random keys across shards', () => {
    const { keyspace, db } = filled();
    const scanned = new Set<string>();
    let cursor = '0';
    do {
      cursor = db.scan(cursor, 7, (key) => scanned.add(key));
    } while (cursor !== '0');
    expect(scanned.size).toBe(count);
    const listed: string[] = [];
    db.forEachEntry((_v, k) => listed.push(k));
    expect(listed).toHaveLength(count);
    const random = new Set<string>();
    for (let i = 0; i < 3000; i++) random.add(db.randomKey()!);
    // Keys from the first, a middle and the last shard all come up.
    expect(random.has('key:0') || random.has('key:1')).toBe(true);
    expect([...random].some((k) => Number(k.slice(4)) >= count - capacity)).toBe(true);
    expect(random.size).toBeGreaterThan(count / 2);
    expect(keyspace.totalKeys).toBe(count);
  });

  it('swaps and flushes whole sharded databases', () => {
    const { keyspace, db } = filled();
    keyspace.swap(0, 1);
    expect(db.size).toBe(0);
    expect(keyspace.databases[1].size).toBe(count);
    expect(keyspace.databases[1].peek('key:150')).toBe('value:150');
    expect(keyspace.databases[1].flush()).toBe(count);
    expect(keyspace.totalKeys).toBe(0);
  });
});
