import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/**
 * DEBUG (behind enable-debug-command), the latency monitor and LOLWUT against a real redis-server:
 * digests of the same dataset must be equal, fixed texts byte for byte, timed figures by range.
 */
if (!hasRedisServer) console.warn(`DEBUG/LATENCY tests skipped: ${REDIS_MISSING}`);

const text = (b: Buffer) => b.toString('latin1');

describe.skipIf(!hasRedisServer)('DEBUG and LATENCY, as redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let locked: RealRedis;
  let lockedRedix: RedixServer;
  const conns: RawConnection[] = [];
  beforeAll(async () => {
    redis = await startRedisServer(['--enable-debug-command', 'yes']);
    redix = await startRedix({ enableDebugCommand: 'yes' });
    locked = await startRedisServer();
    lockedRedix = await startRedix();
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await redix?.shutdown();
    await lockedRedix?.shutdown();
    await redis?.stop();
    await locked?.stop();
  });
  const both = async (): Promise<[RawConnection, RawConnection]> => {
    const pair: [RawConnection, RawConnection] = [await RawConnection.connect(redis.port), await RawConnection.connect(redix.port)];
    conns.push(...pair);
    return pair;
  };
  const same = async (pair: RawConnection[], ...args: string[]) => {
    const [a, b] = await Promise.all(pair.map((c) => c.command(args)));
    expect(text(b)).toBe(text(a));
    return text(b);
  };

  it('DEBUG DIGEST and DIGEST-VALUE equal Redis for the same strings, hashes, lists, sets, sorted sets, TTLs and databases', async () => {
    const pair = await both();
    await same(pair, 'FLUSHALL');
    expect(await same(pair, 'DEBUG', 'DIGEST')).toBe('+' + '0'.repeat(40) + '\r\n');
    await same(pair, 'SET', 'int', '12345');
    await same(pair, 'SET', 'str', 'hello world');
    await same(pair, 'SET', 'ttl', 'v', 'EX', '1000');
    await same(pair, 'HSET', 'small', 'f1', 'v1', 'f2', 'v2');
    const big: string[] = [];
    for (let i = 0; i < 300; i++) big.push(`field:${i}`, `value:${i}`.repeat(i % 7));
    await same(pair, 'HSET', 'big', ...big);
    await same(pair, 'RPUSH', 'list', 'a', 'b', '3', 'a');
    await same(pair, 'SADD', 'intset', '5', '1', '300');
    await same(pair, 'SADD', 'strset', 'x', 'y', 'z');
    await same(pair, 'ZADD', 'zsmall', '1.5', 'a', '0.1', 'b', '-inf', 'c');
    const zbig: string[] = [];
    for (let i = 0; i < 200; i++) zbig.push(String(i / 7), `m${i}`);
    await same(pair, 'ZADD', 'zbig', ...zbig);
    await same(pair, 'DEBUG', 'DIGEST-VALUE', 'list', 'intset', 'strset', 'zsmall', 'zbig');
    await same(pair, 'SELECT', '5');
    await same(pair, 'SET', 'other-db', 'x');
    await same(pair, 'SELECT', '0');
    await same(pair, 'DEBUG', 'DIGEST');
    await same(pair, 'DEBUG', 'DIGEST-VALUE', 'int', 'str', 'ttl', 'small', 'big', 'missing');
    // The digest depends on the database a key is in.
    await same(pair, 'MOVE', 'str', '3');
    await same(pair, 'DEBUG', 'DIGEST');
    // RELOAD takes every value through its RDB codec and back: nothing changes.
    const before = await same(pair, 'DEBUG', 'DIGEST');
    await same(pair, 'DEBUG', 'RELOAD');
    expect(await same(pair, 'DEBUG', 'DIGEST')).toBe(before);
    // Small hashes come back listpack-encoded, in their order, with Redis's DUMP bytes (LZF too):
    // 'big' has 300 fields of at most 54 bytes, a listpack under the default 512 entries.
    for (const key of ['small', 'big']) {
      expect(await same(pair, 'OBJECT', 'ENCODING', key)).toBe('$8\r\nlistpack\r\n');
      await same(pair, 'HGETALL', key);
      await same(pair, 'DUMP', key);
    }
  });

  it('DEBUG: its errors and the enable-debug-command refusal as Redis words them', async () => {
    const pair = await both();
    await same(pair, 'DEBUG', 'NO-SUCH-THING');
    await same(pair, 'DEBUG', 'OBJECT', 'missing');
    await same(pair, 'DEBUG');
    await same(pair, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    await same(pair, 'SET', 'k', 'some value');
    const [a, b] = await Promise.all(pair.map((c) => c.command(['DEBUG', 'OBJECT', 'k'])));
    const pattern = /^\+Value at:0x[0-9a-f]+ refcount:\d+ encoding:embstr serializedlength:(\d+) lru:\d+ lru_seconds_idle:\d+/;
    expect(text(b)).toMatch(pattern);
    expect(text(b).match(pattern)![1]).toBe(text(a).match(pattern)![1]);
    const lockedPair = [await RawConnection.connect(locked.port), await RawConnection.connect(lockedRedix.port)];
    conns.push(...lockedPair);
    await same(lockedPair, 'DEBUG', 'DIGEST');
  });

  it('DEBUG OBJECT: lru is the access stamp (the LRU clock) and lru_seconds_idle its age, as Redis', async () => {
    const pair = await both();
    await same(pair, 'SET', 'src', 'v');
    const payloads = await Promise.all(pair.map((c) => c.command(['DUMP', 'src'])));
    const lines: string[] = [];
    for (let i = 0; i < 2; i++) {
      // A bulk reply: the payload is what follows the "$n\r\n" header, without the final CRLF.
      const raw = payloads[i];
      const body = raw.subarray(raw.indexOf('\r\n') + 2, raw.length - 2);
      await pair[i].command(['RESTORE', 'idle', '0', body, 'IDLETIME', '1000']);
      lines.push(text(await pair[i].command(['DEBUG', 'OBJECT', 'idle'])));
    }
    const fields = lines.map((line) => / lru:(\d+) lru_seconds_idle:(\d+)\r\n$/.exec(line));
    expect(fields[0]).not.toBeNull();
    expect(fields[1]).not.toBeNull();
    // Redis's clock is cached per cron tick: within a couple of seconds of ours.
    expect(Math.abs(Number(fields[1]![1]) - Number(fields[0]![1]))).toBeLessThanOrEqual(2);
    for (const m of fields) {
      expect(Number(m![2])).toBeGreaterThanOrEqual(999);
      expect(Number(m![2])).toBeLessThanOrEqual(1002);
    }
  });

  it('LATENCY: a slow command is recorded as Redis records it (LATEST, HISTORY, GRAPH, RESET)', async () => {
    const pair = await both();
    await same(pair, 'CONFIG', 'SET', 'latency-monitor-threshold', '100');
    await same(pair, 'LATENCY', 'RESET');
    await same(pair, 'LATENCY', 'LATEST');
    await same(pair, 'LATENCY', 'GRAPH', 'command');
    await same(pair, 'LATENCY', 'HISTORY', 'command');
    await same(pair, 'DEBUG', 'SLEEP', '0.15');
    for (const c of pair) {
      const latest = text(await c.command(['LATENCY', 'LATEST']));
      const m = latest.match(/^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n$/);
      expect(m, latest).not.toBeNull();
      expect(Math.abs(Number(m![1]) - Date.now() / 1000)).toBeLessThan(5);
      expect(Number(m![2])).toBeGreaterThanOrEqual(150);
      expect(m![3]).toBe(m![2]);
      expect(text(await c.command(['LATENCY', 'HISTORY', 'command']))).toMatch(/^\*1\r\n\*2\r\n:\d+\r\n:\d+\r\n$/);
      const graph = text(await c.command(['LATENCY', 'GRAPH', 'command']));
      expect(graph).toMatch(/^\$\d+\r\ncommand - high \d+ ms, low \d+ ms \(all time high \d+ ms\)\n-{80}\n/);
      expect(text(await c.command(['LATENCY', 'DOCTOR']))).toContain('1. command: 1 latency spikes');
    }
    await same(pair, 'LATENCY', 'RESET', 'nothing', 'command');
    await same(pair, 'LATENCY', 'LATEST');
    await same(pair, 'CONFIG', 'SET', 'latency-monitor-threshold', '0');
    await same(pair, 'LATENCY', 'DOCTOR');
    await same(pair, 'LATENCY', 'HELP');
    await same(pair, 'LATENCY', 'HELP', 'x');
    await same(pair, 'LATENCY', 'NOPE');
  });

  it('LATENCY HISTOGRAM: the commands asked for (a container gives its subcommands), calls counted', async () => {
    const pair = await both();
    await same(pair, 'CONFIG', 'RESETSTAT');
    await same(pair, 'SET', 'a', 'b');
    await same(pair, 'SET', 'c', 'd');
    for (const c of pair) await c.command(['CLIENT', 'ID']);
    for (const c of pair) {
      const reply = text(await c.command(['LATENCY', 'HISTOGRAM', 'set', 'blabla', 'client']));
      expect(reply).toMatch(/^\*4\r\n\$3\r\nset\r\n\*4\r\n\$5\r\ncalls\r\n:2\r\n\$14\r\nhistogram_usec\r\n\*\d+\r\n(:\d+\r\n)+\$9\r\nclient\|id\r\n\*4\r\n\$5\r\ncalls\r\n:1\r\n/);
    }
    await same(pair, 'LATENCY', 'HISTOGRAM', 'blabla');
    await same(pair, 'CONFIG', 'RESETSTAT');
    const [a, b] = await Promise.all(pair.map((c) => c.command(['LATENCY', 'HISTOGRAM'])));
    // Only CONFIG RESETSTAT ran since the reset: it is recorded after it runs.
    expect(text(b).split('\r\n').slice(0, 6)).toEqual(text(a).split('\r\n').slice(0, 6));
  });

  it('LOLWUT ends with the version line Redis prints', async () => {
    const pair = await both();
    await same(pair, 'LOLWUT');
    await same(pair, 'LOLWUT', 'VERSION', '7');
    await same(pair, 'LOLWUT', 'VERSION', 'x');
    for (const c of pair) expect(text(await c.command(['LOLWUT', 'VERSION', '5']))).toMatch(/Redis ver\. 7\.0\.15\n\r\n$/);
  });
});
