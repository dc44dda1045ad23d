import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keyspace/keyspace';
import { MemoryDatabase } from '../../src/keyspace/memory-database';

/** Which lookups emit keyspace events: keymiss on a read miss (not for OBJECT's lookup), new on create. */
describe('database lookups and keyspace events', () => {
  function setup(): { db: MemoryDatabase; keyspace: Keyspace; events: string[] } {
    const keyspace = new Keyspace({ createDatabase: (index, env) => new MemoryDatabase(index, env) }, 1);
    const events: string[] = [];
    keyspace.notifier = { emit: (_type, event, key, db) => events.push(`${db}:${event}:${key}`) };
    return { db: keyspace.databases[0] as MemoryDatabase, keyspace, events };
  }

  it('lookupRead emits keymiss; lookupReadNoEvent counts the miss and emits nothing', () => {
    const { db, keyspace, events } = setup();
    expect(db.lookupRead('a')).toBeUndefined();
    expect(db.lookupReadNoEvent('b')).toBeUndefined();
    expect(db.lookupWrite('c')).toBeUndefined();
    db.set('d', 'v');
    db.set('d', 'w');
    expect(db.lookupReadNoEvent('d')).toBe('w');
    expect(events).toEqual(['0:keymiss:a', '0:new:d']);
    expect([keyspace.stats.keyspaceMisses, keyspace.stats.keyspaceHits]).toEqual([2, 1]);
  });
});
