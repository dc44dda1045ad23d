import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedixServer } from '../../src/index';
import { ExpiryCycle } from '../../src/keyspace/expiry-cycle';
import { Keyspace } from '../../src/keyspace/keyspace';
import { MemoryDatabase } from '../../src/keyspace/memory-database';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

/** Databases as the default memory engine makes them. */
function newKeyspace(count: number): Keyspace {
  return new Keyspace({ createDatabase: (index, env) => new MemoryDatabase(index, env) }, count);
}

/** The value of one INFO field, as a number. */
async function infoField(conn: RawConnection, section: string, field: string): Promise<number> {
  const text = (await conn.command(['INFO', section])).toString('latin1');
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(text);
  expect(m, `${field} in INFO ${section}`).not.toBeNull();
  return Number(m![1]);
}

async function dbsize(conn: RawConnection): Promise<number> {
  return Number(/^:(\d+)/.exec((await conn.command(['DBSIZE'])).toString())![1]);
}

describe('active expiry on a running server', () => {
  let redix: RedixServer;
  let conn: RawConnection;

  beforeAll(async () => {
    redix = await startRedix();
    conn = await RawConnection.connect(redix.port);
  });

  afterAll(async () => {
    conn?.close();
    await redix?.shutdown();
  });

  it('removes 10k keys with a short PX that nobody reads, within seconds', async () => {
    const count = 10_000;
    const expiredBefore = await infoField(conn, 'stats', 'expired_keys');
    const batch: Buffer[] = [];
    for (let i = 0; i < count; i++) batch.push(encodeCommand(['SET', `ttl:${i}`, 'v', 'PX', '1500']));
    conn.write(Buffer.concat(batch));
    const replies = await conn.readReplies(count);
    expect(replies.every((r) => r.toString() === '+OK\r\n')).toBe(true);
    await conn.command(['SET', 'forever', 'v']);
    // (On a loaded machine the first keys may already be going.)
    expect(await dbsize(conn)).toBeGreaterThan(count / 2);
    // DBSIZE and INFO read no key, so only the active cycle can make the count drop.
    const deadline = Date.now() + 15_000;
    let size = count + 1;
    while (Date.now() < deadline) {
      size = await dbsize(conn);
      if (size === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(size).toBe(1);
    expect(await infoField(conn, 'stats', 'expired_keys')).toBeGreaterThanOrEqual(expiredBefore + count);
    expect((await conn.command(['GET', 'forever'])).toString()).toBe('$1\r\nv\r\n');
  });
});

describe('expiry cycle cost', () => {
  it('never samples databases without TTL keys, even with a million keys', () => {
    const keyspace = newKeyspace(16);
    const big = keyspace.databases[0];
    for (let i = 0; i < 1_000_000; i++) big.load(`key:${i}`, 'v', -1);
    expect(big.size).toBe(1_000_000);
    const spies = keyspace.databases.map((db) => vi.spyOn(db, 'expireSome'));
    const cycle = new ExpiryCycle(keyspace, 10);
    for (let i = 0; i < 100; i++) expect(cycle.run()).toBe(0);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(cycle.work).toEqual({ cycles: 100, databasesSampled: 0, keysSampled: 0, keysExpired: 0 });

    // One TTL key in another database: only that database is sampled, and only that key.
    keyspace.databases[3].load('volatile', 'v', Date.now() + 60_000);
    cycle.run();
    expect(spies[0]).not.toHaveBeenCalled();
    expect(spies[3]).toHaveBeenCalled();
    expect(cycle.work.databasesSampled).toBe(1);
    expect(cycle.work.keysSampled).toBe(1);
    expect(cycle.work.keysExpired).toBe(0);
  });

  it('samples only keys with a TTL, and keeps going while many of them have expired', () => {
    const keyspace = newKeyspace(1);
    const db = keyspace.databases[0];
    for (let i = 0; i < 100_000; i++) db.load(`plain:${i}`, 'v', -1);
    const past = Date.now() - 1;
    for (let i = 0; i < 1000; i++) db.load(`gone:${i}`, 'v', past);
    for (let i = 0; i < 50; i++) db.load(`later:${i}`, 'v', Date.now() + 60_000);
    const cycle = new ExpiryCycle(keyspace, 10);
    let deleted = 0;
    for (let i = 0; i < 50 && deleted < 1000; i++) deleted += cycle.run();
    expect(deleted).toBe(1000);
    expect(db.size).toBe(100_050);
    expect(db.expiresCount).toBe(50);
    expect(keyspace.stats.expiredKeys).toBe(1000);
    // Only TTL keys were ever looked at: at most every one of them once per pass.
    expect(cycle.work.keysSampled).toBeLessThanOrEqual(1050 * cycle.work.cycles);
    expect(cycle.work.keysExpired).toBe(1000);
  });

  it('does nothing where expiry is the master\'s business (a replica hides expired keys)', () => {
    const keyspace = newKeyspace(1);
    keyspace.expiryMode = 'hide';
    const db = keyspace.databases[0];
    db.load('gone', 'v', Date.now() - 1);
    const cycle = new ExpiryCycle(keyspace, 10);
    expect(cycle.run()).toBe(0);
    expect(db.size).toBe(1);
    expect(db.exists('gone')).toBe(false);
    expect(cycle.work.keysSampled).toBe(0);
  });
});
