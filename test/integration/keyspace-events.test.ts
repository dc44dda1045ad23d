import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';
import { useRedisAndRedix } from '../helpers/server-pair';
import { FLAG_SETS, HASH_STEPS, KEYSPACE_STEPS, MIX_STEPS, STRING_STEPS, TYPE_STEPS, type Step } from './keyspace-events-steps';

/**
 * Keyspace notifications against a real redis-server: a subscriber on every __keyspace@*__ and
 * __keyevent@*__ channel while a writer runs the same commands on both servers; every frame the
 * subscriber receives (and every reply the writer gets) must match byte for byte, in order, in
 * RESP2 and RESP3. After each step the writer publishes a marker, so the events of one command
 * stay grouped with it in the transcript.
 */
if (!hasRedisServer) console.warn(`keyspace events scenarios skipped: ${REDIS_MISSING}`);

const MARK = 'ks-mark';

/** One line per frame (JSON-quoted, so still exact), for readable diffs. */
const lines = (t: string[]): string[] => t.map((l) => JSON.stringify(l));
const MARK_FRAME = `$${MARK.length}\r\n${MARK}\r\n`;

/** Records the subscriber's frames up to and including the marker's message. */
async function drainToMarker(s: ScenarioSide, client: number): Promise<void> {
  for (;;) if ((await s.reply(client)).includes(MARK_FRAME)) return;
}

function eventsScript(flags: string, steps: Step[]): (s: ScenarioSide) => Promise<void> {
  return async (s) => {
    await s.admin('CONFIG', 'SET', 'notify-keyspace-events', flags);
    try {
      await s.call(1, 'PSUBSCRIBE', '__key*__:*');
      await s.call(1, 'SUBSCRIBE', MARK);
      for (const step of steps) {
        if (typeof step === 'function') await step(s);
        else await s.call(2, ...step);
        await s.call(2, 'PUBLISH', MARK, 'next');
        await drainToMarker(s, 1);
      }
    } finally {
      await s.admin('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  };
}

describe.skipIf(!hasRedisServer)('keyspace events as redis-server', () => {
  const servers = useRedisAndRedix();
  const ports = () => ({ redis: servers.redis.port, redix: servers.redix.port });

  const GROUPS: [string, Step[]][] = [
    ['strings', STRING_STEPS], ['hashes', HASH_STEPS], ['keyspace and TTL', KEYSPACE_STEPS], ['lists, sets, sorted sets, streams, bitmaps, HyperLogLog', TYPE_STEPS],
  ];
  for (const protocol of [2, 3] as const) {
    for (const [name, steps] of GROUPS) {
      it(`${name}: every event, in order (KEA + m n, RESP${protocol})`, async () => {
        const { redis, redix } = await compareScenario(ports(), eventsScript('KEAmn', steps), { protocol });
        expect(lines(redix)).toEqual(lines(redis));
      });
    }
  }

  it('class letters and channels filter as Redis does', async () => {
    for (const flags of FLAG_SETS) {
      const { redis, redix } = await compareScenario(ports(), eventsScript(flags, MIX_STEPS), { protocol: 2 });
      expect(lines(redix), `notify-keyspace-events ${flags}`).toEqual(lines(redis));
    }
  });

  it('RESP3: a subscriber that writes gets its events and replies interleaved as Redis sends them', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.admin('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      try {
        await s.call(1, 'SUBSCRIBE', '__keyevent@0__:set', '__keyevent@0__:expire', '__keyevent@0__:del', '__keyspace@0__:k');
        for (const line of ['SET k v', 'SET k v EX 100', 'GETEX k EX 50', 'GETDEL k', 'HSET k f v', 'DEL k', 'GET k']) {
          s.send(1, ...line.split(' '));
          s.send(1, 'PING', 'end');
          while (!(await s.reply(1)).includes('end')) { /* every frame up to the PING's reply is recorded */ }
        }
      } finally {
        await s.admin('CONFIG', 'SET', 'notify-keyspace-events', '');
      }
    }, { protocol: 3 });
    expect(lines(redix)).toEqual(lines(redis));
  });
});
