import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';

/**
 * Keyspace events of the list commands against redis-server: a client subscribed to every
 * keyspace and keyevent channel records what each command emits (names, order, the "del" when a
 * list empties, LMOVE as push then pop, served blocked clients), compared byte for byte.
 */
if (!hasRedisServer) console.warn(`lists events tests skipped: ${REDIS_MISSING}`);

const END = '__keyend__:done';

async function recordEvents(s: ScenarioSide, commands: string[][], blocked: string[][] = []): Promise<void> {
  await s.admin('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  try {
    await s.call(1, 'PSUBSCRIBE', '__key*__:*');
    for (let i = 0; i < blocked.length; i++) {
      s.send(2 + i, ...blocked[i]);
      await s.waitBlocked(i + 1);
    }
    for (const argv of commands) await s.call(0, ...argv);
    for (let i = 0; i < blocked.length; i++) await s.reply(2 + i);
    await s.call(0, 'PUBLISH', END, 'x');
    for (let n = 0; n < 500; n++) {
      if ((await s.reply(1)).includes(END)) break;
    }
  } finally {
    await s.admin('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
}

describe.skipIf(!hasRedisServer)('lists: keyspace events, Redix vs redis-server', () => {
  const servers = useRedisAndRedix();
  const compare = async (script: (s: ScenarioSide) => Promise<void>): Promise<void> => {
    const { redis, redix } = await compareScenario({ redis: servers.redis.port, redix: servers.redix.port }, script);
    expect(redix).toEqual(redis);
    // The transcript holds the events themselves, not only the command replies.
    expect(redis.filter((line) => line.includes('__keyevent@')).length).toBeGreaterThan(5);
  };

  it('emits each command’s events with Redis’s names, a del when a list empties', async () => {
    await compare((s) =>
      recordEvents(s, [
        ['RPUSH', 'k', 'a', 'b', 'c', 'd'],
        ['LPUSH', 'k', 'z'],
        ['LPUSHX', 'k', 'y'],
        ['RPUSHX', 'nokey', 'y'],
        ['LINSERT', 'k', 'BEFORE', 'b', 'bb'],
        ['LINSERT', 'k', 'BEFORE', 'nosuch', 'bb'],
        ['LSET', 'k', '0', 'first'],
        ['LREM', 'k', '0', 'bb'],
        ['LREM', 'k', '0', 'nosuch'],
        ['LTRIM', 'k', '0', '-1'],
        ['LTRIM', 'k', '1', '-2'],
        ['LPOP', 'k'],
        ['RPOP', 'k', '5'],
        ['RPUSH', 'm', '1', '2'],
        ['LMOVE', 'm', 'n', 'LEFT', 'RIGHT'],
        ['RPOPLPUSH', 'm', 'n'],
        ['LMOVE', 'n', 'n', 'LEFT', 'RIGHT'],
        ['LMPOP', '1', 'n', 'LEFT', 'COUNT', '5'],
        ['RPUSH', 't', 'x'],
        ['LTRIM', 't', '5', '6'],
        ['RPUSH', 'r', 'x'],
        ['LREM', 'r', '1', 'x'],
        ['RPUSH', 'b', 'v'],
        ['BLPOP', 'b', '0'],
        ['RPUSH', 'b', 'v'],
        ['BLMOVE', 'b', 'c', 'LEFT', 'LEFT', '0'],
      ]),
    );
  });

  it('emits the events of blocked clients served by a push after the push’s own', async () => {
    await compare((s) =>
      recordEvents(
        s,
        [['RPUSH', 'src', 'a', 'b', 'c']],
        [
          ['BLPOP', 'src', '0'],
          ['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'],
          ['BLMPOP', '0', '1', 'src', 'LEFT', 'COUNT', '3'],
        ],
      ),
    );
  });
});
