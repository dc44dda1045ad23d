import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { startRedix } from '../helpers/redix';
import { usePropagationHarness } from '../helpers/propagation';

/**
 * What the keyspace-ttl commands publish to the change feed (AOF, replicas): EXPIRE and friends as
 * PEXPIREAT with an absolute time, a TTL already past as DEL, and nothing for commands that
 * changed nothing.
 */
describe('keyspace-ttl: propagation', () => {
  const h = usePropagationHarness();
  const run = h.run;

  /** Asserts argv is `PEXPIREAT key <abs ms> rest...` with the time about `deltaMs` from now. */
  const expectPexpireat = (argv: string[], key: string, deltaMs: number, rest: string[] = []): void => {
    expect(argv[0]).toBe('PEXPIREAT');
    expect(argv[1]).toBe(key);
    const at = Number(argv[2]);
    const expected = Date.now() + deltaMs;
    expect(at).toBeGreaterThan(expected - 5000);
    expect(at).toBeLessThanOrEqual(expected);
    expect(argv.slice(3)).toEqual(rest);
  };

  it('publishes EXPIRE, PEXPIRE and EXPIREAT as PEXPIREAT with an absolute time, options kept', async () => {
    const out = await run(
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100'],
      ['PEXPIRE', 'k', '200000', 'gt'],
      ['EXPIREAT', 'k', '4102444800', 'XX'],
      ['PEXPIREAT', 'k', '4102444800123'],
      ['EXPIRE', 'k', '9000000000000000'],
    );
    expect(out[0]).toEqual(['SET', 'k', 'v']);
    expectPexpireat(out[1], 'k', 100_000);
    expectPexpireat(out[2], 'k', 200_000, ['gt']);
    expect(out[3]).toEqual(['PEXPIREAT', 'k', '4102444800000', 'XX']);
    expect(out[4]).toEqual(['PEXPIREAT', 'k', '4102444800123']);
    // Past 2^53 ms the published time is still exact (computed in int64, as Redis does).
    const huge = BigInt(out[5][2]) - 9_000_000_000_000_000_000n;
    expect(huge > BigInt(Date.now() - 5000) && huge <= BigInt(Date.now())).toBe(true);
    expect(out).toHaveLength(6);
  });

  it('publishes a time already past as DEL of the key', async () => {
    const out = await run(
      ['SET', 'a', 'v'], ['EXPIRE', 'a', '-1'],
      ['SET', 'b', 'v'], ['PEXPIREAT', 'b', '1'],
      ['SET', 'c', 'v'], ['EXPIREAT', 'c', '0', 'NX'],
      ['SET', 'd', 'v'], ['PEXPIRE', 'd', '0'],
    );
    expect(out).toEqual([
      ['SET', 'a', 'v'], ['DEL', 'a'],
      ['SET', 'b', 'v'], ['DEL', 'b'],
      ['SET', 'c', 'v'], ['DEL', 'c'],
      ['SET', 'd', 'v'], ['DEL', 'd'],
    ]);
  });

  it('publishes nothing when a command changed nothing', async () => {
    await run(['SET', 'k', 'v'], ['EXPIRE', 'k', '100']);
    h.clear();
    const out = await run(
      ['EXPIRE', 'missing', '100'],
      ['EXPIRE', 'k', '100', 'NX'],
      ['EXPIRE', 'k', '1', 'GT'],
      ['EXPIRE', 'k', 'abc'],
      ['PERSIST', 'missing'],
      ['DEL', 'missing'],
      ['UNLINK', 'missing'],
      ['RENAME', 'k', 'k'],
      ['RENAMENX', 'k', 'k'],
      ['COPY', 'missing', 'x'],
      ['MOVE', 'missing', '1'],
      ['TTL', 'k'], ['EXISTS', 'k'], ['TOUCH', 'k'], ['TYPE', 'k'], ['KEYS', '*'], ['SCAN', '0'],
      ['OBJECT', 'ENCODING', 'k'], ['MEMORY', 'USAGE', 'k'], ['RANDOMKEY'],
    );
    expect(out).toEqual([]);
  });

  it('publishes key commands as they were sent, in the database they ran in', async () => {
    await run(['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3']);
    h.clear();
    await run(
      ['DEL', 'a', 'missing'],
      ['UNLINK', 'b'],
      ['RENAME', 'c', 'd'],
      ['COPY', 'd', 'e', 'DB', '2'],
      ['MOVE', 'd', '3'],
      ['SELECT', '3'],
      ['PERSIST', 'd'],
      ['EXPIRE', 'd', '100'],
      ['PERSIST', 'd'],
      ['SWAPDB', '0', '0'],
      ['FUNCTION', 'FLUSH'],
    );
    expect(h.changes.map((p) => [p.db, p.argv.join(' ')])).toEqual([
      [0, 'DEL a missing'],
      [0, 'UNLINK b'],
      [0, 'RENAME c d'],
      [0, 'COPY d e DB 2'],
      [0, 'MOVE d 3'],
      [3, expect.stringMatching(/^PEXPIREAT d \d+$/)],
      [3, 'PERSIST d'],
      [3, 'SWAPDB 0 0'],
      [3, 'FUNCTION FLUSH'],
    ]);
  });

  it('publishes one DEL when a key\'s TTL passes (found by a lookup or by the active cycle)', async () => {
    await run(['SET', 'k', 'v'], ['PEXPIRE', 'k', '20']);
    await new Promise((r) => setTimeout(r, 50));
    const out = await run(['EXISTS', 'k'], ['EXISTS', 'k']);
    expect(out.slice(2)).toEqual([['DEL', 'k']]);
  });
});

describe('keyspace-ttl: replay and replica paths', () => {
  let redix: RedixServer;

  beforeAll(async () => {
    redix = await startRedix();
  });

  afterAll(async () => {
    await redix?.shutdown();
  });

  it('a time already past sets the TTL rather than deleting while replaying (AOF) or from a master', () => {
    const db = redix.keyspace.databases[0];
    for (const client of [redix.createInternalClient(), redix.createInternalClient({ masterLink: true })]) {
      db.flush();
      db.set('k', 'v');
      redix.execute(client, [Buffer.from('PEXPIREAT'), Buffer.from('k'), Buffer.from('1')]);
      // Still stored, logically expired: reads will delete it (and publish the DEL).
      expect(db.size).toBe(1);
      expect(db.getExpire('k')).toBe(1);
      expect(db.isExpired('k')).toBe(true);
      expect(db.exists('k')).toBe(false);
      expect(db.size).toBe(0);
    }
  });

  it('DEL from the master removes a key a replica only hides as expired', () => {
    const keyspace = redix.keyspace;
    const db = keyspace.databases[0];
    db.flush();
    db.load('hidden', 'v', Date.now() - 1000);
    keyspace.expiryMode = 'hide';
    try {
      expect(db.exists('hidden')).toBe(false);
      expect(db.size).toBe(1);
      const master = redix.createInternalClient({ masterLink: true });
      redix.execute(master, [Buffer.from('DEL'), Buffer.from('hidden')]);
      expect(db.size).toBe(0);
    } finally {
      keyspace.expiryMode = 'delete';
    }
  });
});
