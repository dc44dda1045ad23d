import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';

/**
 * Keyspace events of the set commands and SORT ... STORE against redis-server: a client subscribed
 * to every keyspace and keyevent channel records what each command emits (SMOVE as srem + sadd,
 * the del when a set empties or a store result is empty), compared byte for byte.
 */
if (!hasRedisServer) console.warn(`sets events tests skipped: ${REDIS_MISSING}`);

const END = '__keyend__:done';

async function recordEvents(s: ScenarioSide, commands: string[][]): Promise<void> {
  await s.admin('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  try {
    await s.call(1, 'PSUBSCRIBE', '__key*__:*');
    // SPOP's replies are random: sent unrecorded, only their events are compared.
    for (const argv of commands) {
      if (argv[0] === 'SPOP') await s.admin(...argv);
      else await s.call(0, ...argv);
    }
    await s.call(0, 'PUBLISH', END, 'x');
    for (let n = 0; n < 500; n++) {
      if ((await s.reply(1)).includes(END)) break;
    }
  } finally {
    await s.admin('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
}

describe.skipIf(!hasRedisServer)('sets: keyspace events, Redix vs redis-server', () => {
  const servers = useRedisAndRedix();

  it('emits each command’s events with Redis’s names and order', async () => {
    const { redis, redix } = await compareScenario({ redis: servers.redis.port, redix: servers.redix.port }, (s) =>
      recordEvents(s, [
        ['SADD', 's', '1', '2', '3'],
        ['SADD', 's', '1'],
        ['SREM', 's', 'nosuch'],
        ['SREM', 's', '1'],
        ['SMOVE', 's', 'd', '2'],
        ['SMOVE', 's', 'd', '2'],
        ['SADD', 'd', '3'],
        ['SMOVE', 's', 'd', '3'],
        ['SPOP', 'd'],
        ['SADD', 'p', 'a', 'b', 'c', 'd', 'e', 'f'],
        ['SPOP', 'p', '0'],
        ['SPOP', 'p', '1'],
        ['SPOP', 'p', '4'],
        ['SPOP', 'p', '10'],
        ['SADD', 'x', '1', '2'],
        ['SADD', 'y', '2', '3'],
        ['SINTERSTORE', 'i', 'x', 'y'],
        ['SINTERSTORE', 'i', 'x', 'nokey'],
        ['SINTERSTORE', 'i', 'x', 'nokey'],
        ['SUNIONSTORE', 'u', 'x', 'y'],
        ['SDIFFSTORE', 'u', 'x', 'x'],
        ['SDIFFSTORE', 'df', 'x', 'y'],
        ['SORT', 'x', 'STORE', 'sorted'],
        ['SORT', 'nokey', 'STORE', 'sorted'],
        ['SREM', 'x', '1', '2'],
      ]));
    expect(redix).toEqual(redis);
    expect(redis.filter((line) => line.includes('__keyevent@')).length).toBeGreaterThan(10);
  });
});
