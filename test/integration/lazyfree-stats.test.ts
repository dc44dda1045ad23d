import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/** INFO lazyfreed_objects counts what Redis hands its lazy-free thread: UNLINK of costly values, FLUSHALL ASYNC's keys. */
if (!hasRedisServer) console.warn(`lazyfree stats tests skipped: ${REDIS_MISSING}`);

const lazyfreed = (info: Buffer) => Number(/lazyfreed_objects:(\d+)/.exec(info.toString('latin1'))![1]);

describe.skipIf(!hasRedisServer)('INFO lazyfreed_objects, as redis-server', () => {
  const servers = useRedisAndRedix();
  let pair: RawConnection[];
  beforeAll(async () => {
    pair = [await RawConnection.connect(servers.redis.port), await RawConnection.connect(servers.redix.port)];
  });
  afterAll(() => {
    for (const c of pair ?? []) c.close();
  });
  const both = (args: string[]) => Promise.all(pair.map((c) => c.command(args)));
  const counts = async () => (await both(['INFO', 'memory'])).map(lazyfreed);
  // Redis counts a value when its lazy-free thread is done with it: wait for that (bounded).
  const settled = async (expected: number) => {
    for (let i = 0; i < 200 && (await counts())[0] !== expected; i++) await new Promise((r) => setTimeout(r, 10));
    return counts();
  };

  it('counts UNLINK and lazy DEL of values above the free-effort threshold, and every key of an async flush', async () => {
    await both(['FLUSHALL', 'SYNC']);
    await both(['CONFIG', 'RESETSTAT']);
    await both(['CONFIG', 'SET', 'stream-node-max-entries', '5']);
    const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await both(['SADD', 'bigset', ...members]);
    await both(['SADD', 'smallset', 'a', 'b']);
    await both(['HSET', 'bighash', ...members.flatMap((m) => [m, 'x'.repeat(100)])]);
    await both(['ZADD', 'bigz', ...members.flatMap((m, i) => [String(i), m])]);
    for (let i = 0; i < 400; i++) await both(['XADD', 'stream', '*', 'foo', String(i)]);
    await both(['XADD', 'tiny', '*', 'a', 'b']);
    await both(['UNLINK', 'bigset', 'smallset', 'tiny']);
    let [a, b] = await settled(1);
    expect(b).toBe(a);
    expect(b).toBe(1);
    await both(['DEL', 'bighash']);
    [a, b] = await settled(1);
    expect(b).toBe(a);
    await both(['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes']);
    await both(['DEL', 'bigz', 'stream']);
    await both(['CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no']);
    [a, b] = await settled(3);
    expect(b).toBe(a);
    expect(b).toBe(3);
    for (let i = 0; i < 10; i++) await both(['SET', `k${i}`, 'v']);
    await both(['FLUSHALL', 'ASYNC']);
    [a, b] = await settled(13);
    expect(b).toBe(a);
    expect(b).toBe(13);
    await both(['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  });
});
