import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * oom-score-adj and oom-score-adj-values against redis-server: the same CONFIG SET/GET replies and
 * errors, and the same effect on each server process's /proc oom_score_adj (Redix runs in this
 * process, so its score is ours; it is put back when the setting is turned off).
 */
const linux = process.platform === 'linux';
if (!hasRedisServer) console.warn(`oom-score-adj tests skipped: ${REDIS_MISSING}`);

const score = (pid: number) => Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'latin1'));

describe.skipIf(!hasRedisServer || !linux)('oom-score-adj, as redis-server', () => {
  const servers = useRedisAndRedix();
  let conns: RawConnection[];
  let pids: number[];
  beforeAll(async () => {
    conns = [await RawConnection.connect(servers.redis.port), await RawConnection.connect(servers.redix.port)];
    pids = await Promise.all(conns.map(async (c) => Number(/process_id:(\d+)/.exec((await c.command(['INFO', 'server'])).toString())?.[1])));
  });
  afterAll(async () => {
    for (const c of conns ?? []) {
      await c.command(['CONFIG', 'SET', 'oom-score-adj', 'no']);
      c.close();
    }
  });
  const same = async (...args: string[]): Promise<string> => {
    const [redis, redix] = await Promise.all(conns.map((c) => c.command(args)));
    expect(redix.toString(), args.join(' ')).toBe(redis.toString());
    return redix.toString();
  };

  it('relative adds the class value to the score before, absolute replaces it, no restores it', async () => {
    const before = pids.map(score);
    expect(await same('CONFIG', 'GET', 'oom-score-adj-values')).toContain('0 200 800');
    await same('CONFIG', 'GET', 'oom-score-adj');
    await same('CONFIG', 'SET', 'oom-score-adj-values', '10 20 30');
    await same('CONFIG', 'SET', 'oom-score-adj', 'relative');
    await same('CONFIG', 'GET', 'oom-score-adj');
    expect(pids.map(score)).toEqual(before.map((b) => Math.min(1000, b + 10)));
    await same('CONFIG', 'SET', 'oom-score-adj-values', '015 20 30');
    await same('CONFIG', 'GET', 'oom-score-adj-values');
    expect(pids.map(score)).toEqual(before.map((b) => Math.min(1000, b + 15)));
    await same('CONFIG', 'SET', 'oom-score-adj', 'absolute');
    expect(pids.map(score)).toEqual([15, 15]);
    await same('CONFIG', 'SET', 'oom-score-adj', 'no');
    expect(pids.map(score)).toEqual(before);
    // Disabled: new values leave /proc alone.
    await same('CONFIG', 'SET', 'oom-score-adj-values', '1 1 1');
    expect(pids.map(score)).toEqual(before);
  });

  it('refuses values out of range, not numbers, or not three', async () => {
    for (const values of ['-2001 0 0', '0 2001 0', 'a b c', '1 2', '', '1 2 3 4']) await same('CONFIG', 'SET', 'oom-score-adj-values', values);
    await same('CONFIG', 'SET', 'oom-score-adj', 'maybe');
    await same('CONFIG', 'GET', 'oom-score-adj-values');
  });
});
