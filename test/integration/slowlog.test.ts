import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { compareScenario } from '../helpers/scenario';
import { parseReply, type RespNode } from '../helpers/resp-tree';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * SLOWLOG against redis-server: which commands are logged, their arguments (at most 32, 128 bytes
 * each, with Redis's markers, AUTH redacted), the client name, GET/LEN/RESET/HELP and their errors.
 * Ids, times, durations and addresses differ by nature and are left out.
 */
if (!hasRedisServer) console.warn(`SLOWLOG tests skipped: ${REDIS_MISSING}`);

/** A SLOWLOG GET reply as [arguments..., client name] per entry, newest first. */
function entries(raw: string): string[] {
  const reply = parseReply(Buffer.from(raw, 'latin1'));
  const text = (n: RespNode) => n.raw.toString('latin1').split('\r\n')[1];
  return (reply.children ?? []).map((e) => [...e.children![3].children!.map(text), `name=${text(e.children![5])}`].join(' | '));
}

describe.skipIf(!hasRedisServer)('SLOWLOG as redis-server', () => {
  const servers = useRedisAndRedix();

  it('logs every command over the threshold, trimmed as Redis trims them', async () => {
    const { redis, redix } = await compareScenario({ redis: servers.redis.port, redix: servers.redix.port }, async (s) => {
      await s.call(1, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await s.call(1, 'CONFIG', 'SET', 'slowlog-max-len', '20');
      await s.call(1, 'SLOWLOG', 'RESET');
      await s.call(1, 'CLIENT', 'SETNAME', 'logged');
      await s.call(1, 'SET', 'k', 'x'.repeat(200));
      await s.call(1, 'MSET', ...Array.from({ length: 40 }, (_, i) => `a${i}`));
      await s.call(1, 'AUTH', 'nopass');
      await s.call(1, 'MULTI');
      await s.call(1, 'INCR', 'n');
      await s.call(1, 'EXEC');
      // Read on the same connection without recording the raw replies (their ids and times differ).
      const get = async (...args: string[]) => entries((await (await s.connection(1)).command(['SLOWLOG', 'GET', ...args])).toString('latin1'));
      s.note((await get()).join('\n'));
      s.note((await get('2')).join('\n'));
      s.note((await get('-1')).length > 10 ? 'all entries' : 'some entries');
      await s.call(1, 'SLOWLOG', 'GET', '-2');
      await s.call(1, 'SLOWLOG', 'GET', 'x');
      await s.call(1, 'SLOWLOG', 'GET', '1', '2');
      await s.call(1, 'SLOWLOG', 'HELP');
      await s.call(1, 'SLOWLOG', 'RESET');
      await s.call(1, 'CONFIG', 'SET', 'slowlog-log-slower-than', '100000000');
      await s.call(1, 'PING');
      await s.call(1, 'SLOWLOG', 'LEN');
      await s.call(1, 'CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await s.call(1, 'PING');
      await s.call(1, 'SLOWLOG', 'LEN');
      await s.call(1, 'CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    });
    expect(redix).toEqual(redis);
  });
});
