import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Time as Redis's call() sees it: a transaction and a script judge TTLs at their start (a key alive
 * at the first command is alive at the last), an expiry is nobody's change for NOLOOP tracking, and
 * DEBUG PAUSE-CRON stops the periodic expiry. Every reply is compared with a real redis-server's.
 */
if (!hasRedisServer) console.warn(`frozen-clock tests skipped: ${REDIS_MISSING}`);

const text = (b: Buffer) => b.toString('latin1');

describe.skipIf(!hasRedisServer)('the expiry clock inside EXEC and scripts, as redis-server', () => {
  const servers = useRedisAndRedix({ enableDebugCommand: 'yes' }, ['--enable-debug-command', 'yes']);
  let pair: [RawConnection, RawConnection];
  beforeAll(async () => {
    pair = [await RawConnection.connect(servers.redis.port), await RawConnection.connect(servers.redix.port)];
  });
  afterAll(() => {
    for (const c of pair ?? []) c.close();
  });
  const same = async (...args: string[]) => {
    const [a, b] = await Promise.all(pair.map((c) => c.command(args)));
    expect(text(b), args.join(' ')).toBe(text(a));
    return text(b);
  };

  it('a key that expires during EXEC is still there for the later commands of the transaction', async () => {
    await same('FLUSHALL');
    await same('MULTI');
    await same('SET', 'k', 'v', 'PX', '1');
    await same('DEBUG', 'SLEEP', '0.02');
    await same('GET', 'k');
    await same('EXISTS', 'k');
    expect(await same('EXEC')).toBe('*4\r\n+OK\r\n+OK\r\n$1\r\nv\r\n:1\r\n');
    // After EXEC the clock runs again.
    expect(await same('GET', 'k')).toBe('$-1\r\n');
  });

  it('a script sees its keys as at its start however long it runs', async () => {
    await same('FLUSHALL');
    // Busy until TIME moved 5 ms past the SET (TIME is the real clock, in scripts too).
    const script = `redis.call('set', KEYS[1], 'v', 'px', 1)
      local t0 = redis.call('time')
      repeat local t = redis.call('time') until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 5000
      return {redis.call('get', KEYS[1]), redis.call('exists', KEYS[1])}`;
    expect(await same('EVAL', script, '1', 'k')).toBe('*2\r\n$1\r\nv\r\n:1\r\n');
    expect(await same('EXISTS', 'k')).toBe(':0\r\n');
  });

  it('BCAST NOLOOP: the lazy expiry of a key the client itself set is still sent to it', async () => {
    await same('FLUSHALL');
    const redirects = await Promise.all([servers.redis.port, servers.redix.port].map((p) => RawConnection.connect(p)));
    try {
      const ids = await Promise.all(redirects.map(async (r) => text(await r.command(['CLIENT', 'ID'])).slice(1, -2)));
      await Promise.all(redirects.map((r) => r.command(['SUBSCRIBE', '__redis__:invalidate'])));
      await Promise.all(pair.map((c, i) => c.command(['CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', ids[i], 'NOLOOP'])));
      // Its own SETs are filtered by NOLOOP; the expiry (after EXEC: the clock was frozen in it) is not.
      await same('SET', 'mykey{t}', 'myval', 'PX', '1');
      await same('SET', 'other{t}', 'myval');
      await same('DEBUG', 'SLEEP', '0.02');
      await same('GET', 'mykey{t}');
      const [a, b] = await Promise.all(redirects.map((r) => r.readReplies(1)));
      expect(text(b[0])).toBe(text(a[0]));
      expect(text(b[0])).toContain('mykey{t}');
      expect(text(b[0])).not.toContain('other{t}');
      await same('CLIENT', 'TRACKING', 'off');
    } finally {
      for (const r of redirects) r.close();
    }
  });

  it('DEBUG PAUSE-CRON 1 stops the active expiry until PAUSE-CRON 0', async () => {
    await same('FLUSHALL');
    await same('CONFIG', 'SET', 'hz', '100');
    try {
      await same('DEBUG', 'PAUSE-CRON', '1');
      await same('SET', 'k', 'v', 'PX', '1');
      // Ten cron periods at hz 100: nothing expires keys that nobody reads.
      await new Promise((r) => setTimeout(r, 100));
      expect(await same('DBSIZE')).toBe(':1\r\n');
      await same('DEBUG', 'PAUSE-CRON', '0');
      for (let i = 0; i < 200 && text(await pair[1].command(['DBSIZE'])) !== ':0\r\n'; i++) await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < 200 && text(await pair[0].command(['DBSIZE'])) !== ':0\r\n'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await same('DBSIZE')).toBe(':0\r\n');
      expect(await same('DEBUG', 'PAUSE-CRON', 'abc')).toBe('+OK\r\n');
    } finally {
      await same('DEBUG', 'PAUSE-CRON', '0');
      await same('CONFIG', 'SET', 'hz', '10');
    }
  });
});
