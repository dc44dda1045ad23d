import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { Keyspace } from '../../src/keyspace/keyspace';
import { MemoryDatabase } from '../../src/keyspace/memory-database';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { parseReply, type RespNode } from '../helpers/resp-tree';

/** The text of a bulk string node. */
function bulkText(node: RespNode): string {
  const raw = node.raw.toString('latin1');
  return raw.slice(raw.indexOf('\r\n') + 2, raw.length - 2);
}

/** A SCAN reply as [cursor, keys]. */
function scanReply(reply: Buffer): [string, string[]] {
  const node = parseReply(reply);
  expect(node.children, reply.toString('latin1')).not.toBeNull();
  const [cursor, keys] = node.children!;
  return [bulkText(cursor), keys.children!.map(bulkText)];
}

/** A tiny deterministic PRNG, so a failing interleaving can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('SCAN guarantees on the live iterator (database level)', () => {
  for (const [label, capacity] of [['one shard', 1 << 23], ['many small shards', 16]] as const) {
    it(`returns every key present throughout, with adds and deletes in between (${label})`, () => {
      const keyspace = new Keyspace({ createDatabase: (i, env) => new MemoryDatabase(i, env, capacity) }, 1);
      const db = keyspace.databases[0];
      const random = prng(42);
      const stable = new Set<string>();
      const churn: string[] = [];
      for (let i = 0; i < 2000; i++) {
        db.set(`stable:${i}`, 'v');
        stable.add(`stable:${i}`);
      }
      for (let i = 0; i < 500; i++) {
        db.set(`churn:${i}`, 'v');
        churn.push(`churn:${i}`);
      }
      const seen = new Set<string>();
      let cursor = '0';
      let added = 0;
      let steps = 0;
      do {
        cursor = db.scan(cursor, 1 + Math.floor(random() * 20), (key) => seen.add(key));
        steps++;
        // Between steps: new keys, deleted keys, and keys deleted then added back.
        for (let j = 0; j < 5; j++) {
          const key = `new:${added++}`;
          db.set(key, 'v');
          churn.push(key);
        }
        for (let j = 0; j < 4 && churn.length > 0; j++) {
          const [victim] = churn.splice(Math.floor(random() * churn.length), 1);
          db.delete(victim);
          if (random() < 0.3) {
            db.set(victim, 'again');
            churn.push(victim);
          }
        }
      } while (cursor !== '0' && steps < 100_000);
      expect(cursor).toBe('0');
      for (const key of stable) expect(seen.has(key), key).toBe(true);
      expect(seen.size).toBeGreaterThanOrEqual(stable.size);
    });
  }

  it('ends an iteration given an unknown cursor or one from another database', () => {
    const keyspace = new Keyspace({ createDatabase: (i, env) => new MemoryDatabase(i, env) }, 2);
    const [db0, db1] = keyspace.databases;
    for (let i = 0; i < 100; i++) {
      db0.set(`a${i}`, 'v');
      db1.set(`b${i}`, 'v');
    }
    const cursor = db0.scan('0', 10, () => undefined);
    expect(cursor).not.toBe('0');
    const visited: string[] = [];
    expect(db1.scan(cursor, 10, (k) => visited.push(k))).toBe('0');
    expect(db0.scan('987654321', 10, (k) => visited.push(k))).toBe('0');
    expect(visited).toEqual([]);
  });
});

describe('SCAN over the wire', () => {
  let redix: RedixServer;
  let conn: RawConnection;
  let writer: RawConnection;

  beforeAll(async () => {
    redix = await startRedix();
    conn = await RawConnection.connect(redix.port);
    writer = await RawConnection.connect(redix.port);
  });

  afterAll(async () => {
    conn?.close();
    writer?.close();
    await redix?.shutdown();
  });

  beforeEach(async () => {
    await conn.command(['FLUSHALL']);
  });

  it('a full iteration returns every key present throughout while another client adds and deletes', async () => {
    const db = redix.keyspace.databases[0];
    for (let i = 0; i < 3000; i++) db.set(`stable:${i}`, 'v');
    for (let i = 0; i < 1000; i++) db.set(`temp:${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, keys] = scanReply(await conn.command(['SCAN', cursor, 'COUNT', '37']));
      for (const k of keys) seen.add(k);
      cursor = next;
      // Another client changes the keyspace between SCAN calls.
      await writer.command(['DEL', `temp:${round * 3}`, `temp:${round * 3 + 1}`]);
      await writer.command(['SET', `added:${round}`, 'v']);
      await writer.command(['RENAME', `temp:${round * 3 + 2}`, `renamed:${round}`]);
      round++;
    } while (cursor !== '0' && round < 10_000);
    expect(cursor).toBe('0');
    for (let i = 0; i < 3000; i++) expect(seen.has(`stable:${i}`)).toBe(true);
  });

  it('filters by MATCH and TYPE, skips expired keys, and counts COUNT as work per call', async () => {
    const db = redix.keyspace.databases[0];
    for (let i = 0; i < 100; i++) db.set(`user:${i}`, 'v');
    for (let i = 0; i < 100; i++) db.set(`other:${i}`, 'v');
    for (let i = 0; i < 10; i++) db.setExpire(`user:${i}`, Date.now() - 1);
    await conn.command(['HSET', 'user:hash', 'f', 'v']);
    const all = async (...options: string[]): Promise<string[]> => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = scanReply(await conn.command(['SCAN', cursor, ...options]));
        expect(batch.length).toBeLessThanOrEqual(25);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      return keys.sort();
    };
    const users = await all('MATCH', 'user:*', 'COUNT', '25');
    expect(users).toHaveLength(91);
    expect(users).not.toContain('user:0');
    expect(await all('MATCH', 'user:*', 'TYPE', 'hash', 'COUNT', '25')).toEqual(['user:hash']);
    expect(await all('TYPE', 'STRING', 'COUNT', '25')).toHaveLength(190);
    // The expired keys were deleted by the scan that met them.
    expect(db.size).toBe(191);
  });

  it('answers cursors it does not know with an empty last page, and bad ones with an error', async () => {
    await conn.command(['SET', 'k', 'v']);
    expect(scanReply(await conn.command(['SCAN', '123456789']))).toEqual(['0', []]);
    expect((await conn.command(['SCAN', 'x1'])).toString()).toBe('-ERR invalid cursor\r\n');
    expect((await conn.command(['SCAN', '-'])).toString()).toBe('-ERR invalid cursor\r\n');
    expect(scanReply(await conn.command(['SCAN', '000']))).toEqual(['0', ['k']]);
  });
});
