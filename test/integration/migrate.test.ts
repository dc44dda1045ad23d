import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { freePort } from '../helpers/free-port';

/**
 * MIGRATE between Redix and a real redis-server, both ways: the keys arrive with their values,
 * TTLs and database, the source keeps them only with COPY, and the errors are Redis's.
 */
if (!hasRedisServer) console.warn(`MIGRATE interop skipped: ${REDIS_MISSING}`);

describe.skipIf(!hasRedisServer)('MIGRATE between Redix and redis-server', () => {
  const servers = useRedisAndRedix();
  let redix: Redis;
  let redis: Redis;

  beforeAll(() => {
    redix = new Redis(servers.redix.port, { lazyConnect: false });
    redis = new Redis(servers.redis.port, { lazyConnect: false });
  });
  afterAll(() => {
    redix.disconnect();
    redis.disconnect();
  });
  beforeEach(async () => {
    await redix.flushall();
    await redis.flushall();
  });

  for (const direction of ['Redix → redis-server', 'redis-server → Redix'] as const) {
    const source = () => (direction === 'Redix → redis-server' ? redix : redis);
    const target = () => (direction === 'Redix → redis-server' ? redis : redix);
    const targetPort = () => (direction === 'Redix → redis-server' ? servers.redis.port : servers.redix.port);

    describe(direction, () => {
      it('moves one key of each type, with its TTL, into the destination database', async () => {
        const s = source();
        await s.set('str', 'hello');
        await s.rpush('list', 'a', 'b', 'c');
        await s.sadd('set', 'x', 'y');
        await s.zadd('zset', 1, 'm', 2, 'n');
        await s.hset('hash', 'f', 'v');
        await s.xadd('stream', '1-1', 'f', 'v');
        await s.pexpire('list', 100_000);
        expect(await s.migrate('127.0.0.1', targetPort(), 'str', 2, 1000)).toBe('OK');
        expect(await s.exists('str')).toBe(0);
        const t = target();
        await t.select(2);
        expect(await t.get('str')).toBe('hello');
        expect(await s.call('MIGRATE', '127.0.0.1', targetPort(), '', 2, 1000, 'KEYS', 'list', 'set', 'zset', 'hash', 'stream', 'missing')).toBe('OK');
        expect(await s.exists('list', 'set', 'zset', 'hash', 'stream')).toBe(0);
        expect(await t.lrange('list', 0, -1)).toEqual(['a', 'b', 'c']);
        const ttl = await t.pttl('list');
        expect(ttl).toBeGreaterThan(90_000);
        expect(ttl).toBeLessThanOrEqual(100_000);
        expect((await t.smembers('set')).sort()).toEqual(['x', 'y']);
        expect(await t.zrange('zset', '0', '-1', 'WITHSCORES')).toEqual(['m', '1', 'n', '2']);
        expect(await t.hgetall('hash')).toEqual({ f: 'v' });
        expect(await t.xrange('stream', '-', '+')).toEqual([['1-1', ['f', 'v']]]);
        await t.select(0);
      });

      it('keeps the source with COPY, refuses an existing target key without REPLACE', async () => {
        const s = source();
        await s.set('k', 'v1');
        expect(await s.migrate('127.0.0.1', targetPort(), 'k', 0, 1000, 'COPY')).toBe('OK');
        expect(await s.get('k')).toBe('v1');
        await s.set('k', 'v2');
        await expect(s.migrate('127.0.0.1', targetPort(), 'k', 0, 1000, 'COPY')).rejects.toThrow('ERR Target instance replied with error: BUSYKEY Target key name already exists.');
        expect(await s.get('k')).toBe('v2');
        expect(await s.migrate('127.0.0.1', targetPort(), 'k', 0, 1000, 'REPLACE')).toBe('OK');
        expect(await s.exists('k')).toBe(0);
        expect(await target().get('k')).toBe('v2');
      });

      it('answers NOKEY when no key exists, and Redis\'s argument errors', async () => {
        const s = source();
        expect(await s.migrate('127.0.0.1', targetPort(), 'nokey', 0, 1000)).toBe('NOKEY');
        await expect(s.migrate('127.0.0.1', targetPort(), 'k', 0, 1000, 'KEYS', 'a')).rejects.toThrow('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
        await expect(s.call('MIGRATE', '127.0.0.1', targetPort(), 'k', 0, 1000, 'AUTH')).rejects.toThrow('ERR syntax error');
        await expect(s.migrate('127.0.0.1', targetPort(), 'k', 'x', 1000)).rejects.toThrow('ERR value is not an integer or out of range');
      });

      it('authenticates with AUTH and AUTH2, and reports the target\'s AUTH error', async () => {
        const s = source();
        const t = target();
        await s.set('k1', '1');
        await s.set('k2', '2');
        await s.set('k3', '3');
        await expect(s.migrate('127.0.0.1', targetPort(), 'k1', 0, 1000, 'AUTH', 'nopass')).rejects.toThrow('ERR Target instance replied with error: ERR AUTH <password> called without any password configured');
        // As Redis: the AUTH error fails the whole MIGRATE (the source keeps the key), though the
        // target, needing no password, ran the RESTORE anyway.
        expect(await s.exists('k1')).toBe(1);
        expect(await t.get('k1')).toBe('1');
        await t.config('SET', 'requirepass', 'secret');
        try {
          expect(await s.migrate('127.0.0.1', targetPort(), 'k1', 0, 1000, 'REPLACE', 'AUTH', 'secret')).toBe('OK');
          expect(await s.migrate('127.0.0.1', targetPort(), 'k2', 0, 1000, 'AUTH2', 'default', 'secret')).toBe('OK');
          await expect(s.migrate('127.0.0.1', targetPort(), 'k3', 0, 1000, 'AUTH', 'wrong')).rejects.toThrow('ERR Target instance replied with error: WRONGPASS');
          expect(await s.exists('k1', 'k2', 'k3')).toBe(1);
        } finally {
          await t.config('SET', 'requirepass', '');
        }
      });
    });
  }

  it('Redix counts its cached links in INFO (migrate_cached_sockets), one per target', async () => {
    await redix.set('c1', 'v');
    await redix.set('c2', 'v');
    expect(await redix.migrate('127.0.0.1', servers.redis.port, 'c1', 0, 1000)).toBe('OK');
    expect(await redix.migrate('127.0.0.1', servers.redis.port, 'c2', 0, 1000)).toBe('OK');
    expect(await redix.info('stats')).toContain('migrate_cached_sockets:1\r\n');
  });

  it('Redix answers IOERR for a closed port, and serves other clients meanwhile', async () => {
    await redix.set('k', 'v');
    const closed = await freePort();
    await expect(redix.migrate('127.0.0.1', closed, 'k', 0, 500)).rejects.toThrow('IOERR error or timeout writing to target instance');
    expect(await redix.get('k')).toBe('v');
  });

  it('Redix times out on a target that never answers, without holding other clients', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      await redix.set('k', 'v');
      const other = new Redis(servers.redix.port);
      const started = Date.now();
      const migrating = redix.migrate('127.0.0.1', port, 'k', 0, 300).catch((e: Error) => e.message);
      expect(await other.ping()).toBe('PONG'); // the server is not held while the caller waits
      expect(await migrating).toBe('IOERR error or timeout reading to target instance');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(await redix.get('k')).toBe('v');
      other.disconnect();
    } finally {
      silent.close();
    }
  });

  it('Redix publishes the deletion as DEL of the migrated keys in the client\'s database (what replicas and the AOF get)', async () => {
    const published: { db: number; argv: string[] }[] = [];
    const unsubscribe = servers.redix.keyspace.feed.subscribe((db, argv) => {
      published.push({ db, argv: argv.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))) });
    });
    try {
      await redix.select(4);
      await redix.set('gone1', 'v');
      await redix.set('gone2', 'v');
      published.length = 0;
      expect(await redix.call('MIGRATE', '127.0.0.1', servers.redis.port, '', 0, 1000, 'KEYS', 'gone1', 'gone2')).toBe('OK');
      expect(published).toEqual([{ db: 4, argv: ['DEL', 'gone1', 'gone2'] }]);
      published.length = 0;
      await redix.set('kept', 'v');
      published.length = 0;
      expect(await redix.migrate('127.0.0.1', servers.redis.port, 'kept', 1, 1000, 'COPY')).toBe('OK');
      expect(published).toEqual([]);
    } finally {
      unsubscribe();
      await redix.select(0);
    }
  });
});
