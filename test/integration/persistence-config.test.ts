import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/**
 * The persistence settings through CONFIG GET and CONFIG SET, byte for byte against a real
 * redis-server 7.0: defaults, which ones are immutable, and the errors for bad values.
 */
describe.skipIf(!hasRedisServer)('persistence settings over CONFIG like redis-server 7.0', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  beforeAll(async () => {
    // Both with Redis's defaults for what the helpers override (save points, appendonly).
    redis = await startRedisServer(['--save', '3600 1 300 100 60 10000']);
    redix = await startRedix({ save: '3600 1 300 100 60 10000', dir: redis.dir });
  });
  afterAll(async () => {
    await redix?.shutdown({ nosave: true });
    await redis?.stop();
  });

  const names = ['dbfilename', 'save', 'rdbcompression', 'rdbchecksum', 'stop-writes-on-bgsave-error', 'appendonly', 'appendfilename', 'appenddirname',
    'appendfsync', 'auto-aof-rewrite-percentage', 'auto-aof-rewrite-min-size', 'aof-load-truncated', 'aof-use-rdb-preamble', 'aof-timestamp-enabled', 'no-appendfsync-on-rewrite',
    'aof-rewrite-incremental-fsync', 'rdb-save-incremental-fsync', 'rdb-del-sync-files', 'sanitize-dump-payload', 'rdb-key-save-delay', 'key-load-delay'];

  it('CONFIG GET gives the same defaults', async () => {
    const a = await RawConnection.connect(redis.port);
    const b = await RawConnection.connect(redix.port);
    for (const name of names) {
      const [x, y] = await Promise.all([a.command(['CONFIG', 'GET', name]), b.command(['CONFIG', 'GET', name])]);
      expect(y.toString('latin1'), name).toBe(x.toString('latin1'));
    }
    a.close();
    b.close();
  });

  it('CONFIG SET: immutable settings, bad values and good ones answer the same', async () => {
    const cases: string[][] = [
      ['rdbchecksum', 'no'], ['appendfilename', 'other.aof'], ['appenddirname', 'other'], ['appendfsync', 'sometimes'], ['appendfsync', 'always'],
      ['rdbcompression', 'maybe'], ['rdbcompression', 'no'], ['save', '10'], ['save', 'x y'], ['save', '100 10'], ['auto-aof-rewrite-percentage', '-1'],
      ['auto-aof-rewrite-min-size', '1zb'], ['auto-aof-rewrite-min-size', '-1'], ['auto-aof-rewrite-percentage', '2147483648'], ['auto-aof-rewrite-min-size', '1mb'], ['aof-load-truncated', 'no'], ['aof-timestamp-enabled', 'bogus'],
      ['stop-writes-on-bgsave-error', 'no'], ['aof-use-rdb-preamble', 'no'],
      ['sanitize-dump-payload', 'bogus'], ['sanitize-dump-payload', 'clients'], ['rdb-del-sync-files', 'yes'], ['rdb-key-save-delay', '-5'],
      ['rdb-key-save-delay', 'x'], ['key-load-delay', '0'], ['aof-rewrite-incremental-fsync', 'no'], ['rdb-save-incremental-fsync', 'no'],
    ];
    const a = await RawConnection.connect(redis.port);
    const b = await RawConnection.connect(redix.port);
    for (const [name, value] of cases) {
      const args = ['CONFIG', 'SET', name, value];
      const [x, y] = await Promise.all([a.command(args), b.command(args)]);
      expect(y.toString('latin1'), args.join(' ')).toBe(x.toString('latin1'));
      const get = ['CONFIG', 'GET', name];
      const [gx, gy] = await Promise.all([a.command(get), b.command(get)]);
      expect(gy.toString('latin1'), get.join(' ')).toBe(gx.toString('latin1'));
    }
    a.close();
    b.close();
  });
});

if (!hasRedisServer) console.warn(REDIS_MISSING);
