import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';

/**
 * Keyspace events, WATCH and OBJECT ENCODING of the bitmap and HyperLogLog commands against
 * redis-server: a client subscribed to every keyspace and keyevent channel records what each
 * command emits (setbit only on a change, BITOP's set/del, PFMERGE's pfadd, none for a cached
 * PFCOUNT), compared byte for byte.
 */
if (!hasRedisServer) console.warn(`bitmaps/HLL events tests skipped: ${REDIS_MISSING}`);

const END = '__keyend__:done';

async function recordEvents(s: ScenarioSide, commands: string[][]): Promise<void> {
  await s.admin('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  try {
    await s.call(1, 'PSUBSCRIBE', '__key*__:*');
    for (const argv of commands) await s.call(0, ...argv);
    await s.call(0, 'PUBLISH', END, 'x');
    for (let n = 0; n < 500; n++) {
      if ((await s.reply(1)).includes(END)) break;
    }
  } finally {
    await s.admin('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
}

describe.skipIf(!hasRedisServer)('bitmaps and HyperLogLog: events, WATCH, encodings vs redis-server', () => {
  const servers = useRedisAndRedix();
  const compare = async (script: (s: ScenarioSide) => Promise<void>): Promise<string[]> => {
    const { redis, redix } = await compareScenario({ redis: servers.redis.port, redix: servers.redix.port }, script);
    expect(redix).toEqual(redis);
    return redis;
  };

  it('emits setbit, set, del and pfadd as Redis 7.0 names them, only when something changed', async () => {
    const transcript = await compare((s) =>
      recordEvents(s, [
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '0'],
        ['SETBIT', 'b', '100', '0'],
        ['SETBIT', 'b', 'x', '1'],
        ['GETBIT', 'b', '3'],
        ['BITFIELD', 'f', 'SET', 'u8', '0', '1'],
        ['BITFIELD', 'f', 'SET', 'u8', '0', '1'],
        ['BITFIELD', 'f', 'INCRBY', 'u8', '0', '1', 'INCRBY', 'u8', '8', '2'],
        ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'],
        ['BITFIELD', 'f', 'GET', 'u8', '0'],
        ['BITOP', 'OR', 'dest', 'b', 'f'],
        ['BITOP', 'AND', 'dest', 'nokey'],
        ['BITOP', 'AND', 'dest', 'nokey'],
        ['PFADD', 'h', 'a', 'b'],
        ['PFADD', 'h', 'a'],
        ['PFADD', 'h2'],
        ['PFCOUNT', 'h'],
        ['PFCOUNT', 'h'],
        ['PFCOUNT', 'h', 'h2'],
        ['PFMERGE', 'h3', 'h', 'h2'],
        ['PFMERGE', 'h3'],
        ['PFDEBUG', 'TODENSE', 'h3'],
      ]),
    );
    expect(transcript.filter((line) => line.includes('__keyevent@')).length).toBeGreaterThan(5);
  });

  it('a change fails the EXEC of a client WATCHing the key; no change (or a cached PFCOUNT) does not', async () => {
    const watch = (key: string, ...write: string[]) => async (s: ScenarioSide): Promise<void> => {
      await s.call(0, 'WATCH', key);
      await s.call(1, ...write);
      await s.call(0, 'MULTI');
      await s.call(0, 'PING');
      await s.call(0, 'EXEC');
    };
    await compare(async (s) => {
      await s.call(1, 'SETBIT', 'w', '3', '1');
      await watch('w', 'SETBIT', 'w', '3', '1')(s);
      await watch('w', 'SETBIT', 'w', '3', '0')(s);
      await watch('w', 'BITFIELD', 'w', 'SET', 'u4', '0', '0')(s);
      await watch('w', 'BITFIELD', 'w', 'INCRBY', 'u4', '0', '1')(s);
      await s.call(1, 'PFADD', 'hw', 'x');
      await watch('hw', 'PFADD', 'hw', 'x')(s);
      await watch('hw', 'PFADD', 'hw', 'y')(s);
      await watch('hw', 'PFCOUNT', 'hw')(s);
      await watch('hw', 'PFCOUNT', 'hw')(s);
      await watch('hw', 'PFMERGE', 'hw')(s);
    });
  });

  // Not compared: a string of up to 44 bytes made by SETBIT, BITOP, BITFIELD or PFADD, which Redis
  // reports "raw" and Redix "embstr" (a JS string keeps no record of how it was built).
  it('OBJECT ENCODING and TYPE of bitmap and HyperLogLog values', async () => {
    await compare(async (s) => {
      await s.call(0, 'PFADD', 'h', ...Array.from({ length: 30 }, (_, i) => `e${i}`));
      await s.call(0, 'OBJECT', 'ENCODING', 'h');
      await s.call(0, 'TYPE', 'h');
      await s.call(0, 'SETBIT', 'big', '1000', '1');
      await s.call(0, 'OBJECT', 'ENCODING', 'big');
      await s.call(0, 'BITOP', 'NOT', 'nb', 'big');
      await s.call(0, 'OBJECT', 'ENCODING', 'nb');
      await s.call(0, 'SET', 'n', '12345');
      await s.call(0, 'GETBIT', 'n', '3');
      await s.call(0, 'OBJECT', 'ENCODING', 'n');
      await s.call(0, 'BITCOUNT', 'n');
      await s.call(0, 'OBJECT', 'ENCODING', 'n');
      await s.call(0, 'TYPE', 'big');
    });
  });
});
