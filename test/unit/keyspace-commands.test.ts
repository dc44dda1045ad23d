import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { absoluteExpire, expireConditionsAllow, EXPIRE_GT, EXPIRE_LT, storedExpireToBigInt } from '../../plugins/keyspace-ttl/expire-time';
import { allocationSize, keyOverhead, sdsAllocation } from '../../src/api/memory-estimate';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { parseReply } from '../helpers/resp-tree';

describe('keyspace-ttl helpers', () => {
  it('computes expire times exactly in int64, refusing overflow', () => {
    expect(absoluteExpire(10n, true, 1000)).toBe(11000n);
    expect(absoluteExpire(10n, false, 1000)).toBe(1010n);
    expect(absoluteExpire(9223372036854775n, true, 0)).toBe(9223372036854775000n);
    expect(absoluteExpire(9223372036854776n, true, 0)).toBeNull();
    expect(absoluteExpire(-9223372036854775n, true, 0)).toBe(-9223372036854775000n);
    expect(absoluteExpire(-9223372036854776n, true, 0)).toBeNull();
    expect(absoluteExpire(9223372036854775807n, false, 0)).toBe(9223372036854775807n);
    expect(absoluteExpire(9223372036854775807n, false, 1)).toBeNull();
    expect(absoluteExpire(-9223372036854775808n, false, 1000)).toBe(-9223372036854774808n);
  });

  it('keeps int64 max exact and compares GT/LT against the stored time', () => {
    expect(storedExpireToBigInt(Number(9223372036854775807n))).toBe(9223372036854775807n);
    expect(storedExpireToBigInt(1234.9)).toBe(1234n);
    const max = Number(9223372036854775807n);
    expect(expireConditionsAllow(EXPIRE_LT, 9223372036854775807n, max)).toBe(false);
    expect(expireConditionsAllow(EXPIRE_LT, 9223372036854775806n, max)).toBe(true);
    expect(expireConditionsAllow(EXPIRE_GT, 5n, -1)).toBe(false);
    expect(expireConditionsAllow(EXPIRE_LT, 5n, -1)).toBe(true);
  });

  it('rounds allocations to jemalloc size classes, as Redis\'s MEMORY USAGE sees them', () => {
    const classes: [number, number][] = [[1, 8], [8, 8], [9, 16], [17, 32], [128, 128], [129, 160], [257, 320], [1025, 1280], [14337, 16384], [16385, 20480]];
    for (const [n, size] of classes) expect(allocationSize(n)).toBe(size);
    // sds header by length class: 1 byte below 32, then 3, 5 ...
    expect(sdsAllocation(6)).toBe(8);
    expect(sdsAllocation(7)).toBe(16);
    expect(sdsAllocation(31)).toBe(48);
    expect(sdsAllocation(300)).toBe(320);
    expect(keyOverhead(1)).toBe(32);
  });
});

describe('keyspace-ttl commands (beyond the differential cases)', () => {
  let redix: RedixServer;
  let conn: RawConnection;
  const text = async (...argv: string[]): Promise<string> => (await conn.command(argv)).toString('latin1');

  beforeAll(async () => {
    redix = await startRedix();
    conn = await RawConnection.connect(redix.port);
  });

  afterAll(async () => {
    conn?.close();
    await redix?.shutdown();
  });

  beforeEach(async () => {
    await conn.command(['FLUSHALL']);
  });

  it('RANDOMKEY never returns an expired key, however many there are', async () => {
    const db = redix.keyspace.databases[0];
    const past = Date.now() - 1000;
    for (let i = 0; i < 2000; i++) db.load(`expired:${i}`, 'v', past);
    db.load('live', 'v', -1);
    for (let i = 0; i < 50; i++) expect(await text('RANDOMKEY')).toBe('$4\r\nlive\r\n');
    for (let i = 0; i < 2000; i++) db.load(`expired:${i}`, 'v', past);
    db.delete('live');
    expect(await text('RANDOMKEY')).toBe('$-1\r\n');
    expect(db.size).toBe(0);
  });

  it('RANDOMKEY on a replica whose keys are all logically expired gives up instead of looping', () => {
    const keyspace = redix.keyspace;
    const db = keyspace.databases[0];
    for (let i = 0; i < 500; i++) db.load(`expired:${i}`, 'v', Date.now() - 1000);
    keyspace.expiryMode = 'hide';
    try {
      expect(db.randomKey()).toMatch(/^expired:/);
      db.load('live', 'v', -1);
      for (let i = 0; i < 20; i++) expect(db.randomKey()).toBe('live');
    } finally {
      keyspace.expiryMode = 'delete';
    }
  });

  it('KEYS hides expired keys without deleting them (like Redis); SCAN deletes those it meets', async () => {
    const db = redix.keyspace.databases[0];
    // The active expiry cycle would race with the checks (DEBUG SET-ACTIVE-EXPIRE 0's switch).
    redix.keyspace.activeExpiry = false;
    try {
      db.load('gone', 'v', Date.now() - 1000);
      db.load('here', 'v', -1);
      expect(await text('KEYS', '*')).toBe('*1\r\n$4\r\nhere\r\n');
      expect(db.size).toBe(2);
      expect(await text('SCAN', '0')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$4\r\nhere\r\n');
      expect(db.size).toBe(1);
    } finally {
      redix.keyspace.activeExpiry = true;
    }
  });

  it('RENAME, COPY and MOVE carry the exact expiry time', async () => {
    const db0 = redix.keyspace.databases[0];
    await text('SET', 'k', 'v');
    await text('PEXPIREAT', 'k', '4102444800123');
    await text('RENAME', 'k', 'r');
    expect(db0.getExpire('r')).toBe(4102444800123);
    await text('COPY', 'r', 'c', 'DB', '5');
    expect(redix.keyspace.databases[5].getExpire('c')).toBe(4102444800123);
    await text('MOVE', 'r', '7');
    expect(redix.keyspace.databases[7].getExpire('r')).toBe(4102444800123);
    expect(db0.size).toBe(0);
  });

  it('COPY clones through the data type, so the copy changes independently', async () => {
    await text('HSET', 'h', 'f', 'v');
    expect(await text('COPY', 'h', 'h2')).toBe(':1\r\n');
    const [a, b] = [redix.keyspace.databases[0].peek('h'), redix.keyspace.databases[0].peek('h2')];
    expect(a).not.toBe(b);
    await text('HSET', 'h2', 'g', 'w');
    expect(await text('HEXISTS', 'h', 'g')).toBe(':0\r\n');
  });

  it('MEMORY USAGE is the type\'s estimate plus the key\'s sds and dict entry', async () => {
    const key = 'k'.repeat(100);
    await text('SET', key, 'v');
    const value = redix.keyspace.databases[0].peek(key)!;
    const valueBytes = redix.dataTypes.of(value)!.memoryUsage(value);
    expect(await text('MEMORY', 'USAGE', key)).toBe(`:${valueBytes + 112 + 24}\r\n`);
  });

  it('MEMORY STATS is a well-formed map with a section per non-empty database', async () => {
    await text('SET', 'a', 'v');
    await text('SELECT', '2');
    await text('SET', 'b', 'v');
    await text('SELECT', '0');
    const reply = parseReply(await conn.command(['MEMORY', 'STATS']));
    expect(reply.type).toBe('*');
    const items = reply.children!;
    expect(items).toHaveLength(2 * (27 + 2));
    const names = items.filter((_, i) => i % 2 === 0).map((n) => n.raw.toString('latin1').split('\r\n')[1]);
    expect(names).toContain('db.0');
    expect(names).toContain('db.2');
    expect(names).toContain('keys.count');
    const keysCount = items[names.indexOf('keys.count') * 2 + 1].raw.toString();
    expect(keysCount).toBe(':2\r\n');
    expect(await text('MEMORY', 'MALLOC-STATS')).toBe('$45\r\nStats not supported for the current allocator\r\n');
  });
});
