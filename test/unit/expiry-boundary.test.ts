import { afterEach, describe, expect, it, vi } from 'vitest';
import { Keyspace } from '../../src/keyspace/keyspace';
import { MemoryDatabase } from '../../src/keyspace/memory-database';

/**
 * Redis keeps a key during the millisecond its TTL names (keyIsExpired: now > when; the active
 * cycle: now > t), so PTTL can answer 0 there. Found by the random differential test, where the
 * window is too short to hit on purpose: here the clock is pinned.
 */
describe('expiry boundary millisecond', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function database(): MemoryDatabase {
    const keyspace = new Keyspace({ createDatabase: (index, env) => new MemoryDatabase(index, env) }, 1);
    return keyspace.databases[0] as MemoryDatabase;
  }

  it('a key is still there at its expiry time, and gone one millisecond later', () => {
    const at = 1_800_000_000_000;
    const db = database();
    db.load('k', 'v', at);
    const clock = vi.spyOn(Date, 'now').mockReturnValue(at);
    expect(db.isExpired('k')).toBe(false);
    expect(db.lookupRead('k')).toBe('v');
    expect(db.expireSome(10)).toEqual([1, 0]);
    clock.mockReturnValue(at + 1);
    expect(db.isExpired('k')).toBe(true);
    expect(db.lookupRead('k')).toBeUndefined();
    expect(db.size).toBe(0);
  });

  it('the active cycle deletes only keys whose time has passed', () => {
    const at = 1_800_000_000_000;
    const db = database();
    db.load('due', 'v', at - 1);
    db.load('now', 'v', at);
    vi.spyOn(Date, 'now').mockReturnValue(at);
    expect(db.expireSome(10)).toEqual([2, 1]);
    expect(db.exists('now')).toBe(true);
    expect(db.exists('due')).toBe(false);
  });
});
