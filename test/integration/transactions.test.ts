import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * WATCH and MULTI across clients, against a real redis-server: client 1 watches, client 2 changes
 * the key in some way, client 1's EXEC must fail (nil) exactly when Redis's does.
 */
if (!hasRedisServer) console.warn(`transaction scenarios skipped: ${REDIS_MISSING}`);

/** Client 1 watches `key` (after `setup`), client 2 runs `change`, then client 1 tries a transaction. */
function watchScenario(setup: string[][], key: string, change: string[][]) {
  return async (s: ScenarioSide) => {
    for (const c of setup) await s.call(2, ...c);
    await s.call(1, 'WATCH', key);
    for (const c of change) await s.call(2, ...c);
    await s.call(1, 'MULTI');
    await s.call(1, 'PING');
    await s.call(1, 'EXEC');
  };
}

const CHANGES: [string, string[][], string, string[][]][] = [
  ['SET by another client', [['SET', 'k', '1']], 'k', [['SET', 'k', '2']]],
  ['SET of the same value', [['SET', 'k', '1']], 'k', [['SET', 'k', '1']]],
  ['DEL', [['SET', 'k', '1']], 'k', [['DEL', 'k']]],
  ['UNLINK', [['SET', 'k', '1']], 'k', [['UNLINK', 'k']]],
  ['DEL of another key', [['SET', 'k', '1'], ['SET', 'o', '1']], 'k', [['DEL', 'o']]],
  ['INCR', [['SET', 'k', '1']], 'k', [['INCR', 'k']]],
  ['APPEND', [['SET', 'k', 'a']], 'k', [['APPEND', 'k', 'b']]],
  ['SETRANGE', [['SET', 'k', 'abc']], 'k', [['SETRANGE', 'k', '1', 'x']]],
  ['HSET on a hash', [['HSET', 'k', 'f', 'v']], 'k', [['HSET', 'k', 'g', 'w']]],
  ['HDEL of a missing field', [['HSET', 'k', 'f', 'v']], 'k', [['HDEL', 'k', 'nosuch']]],
  ['HINCRBY', [['HSET', 'k', 'f', '1']], 'k', [['HINCRBY', 'k', 'f', '2']]],
  ['HSETNX on an existing field', [['HSET', 'k', 'f', 'v']], 'k', [['HSETNX', 'k', 'f', 'w']]],
  ['creating the watched key', [], 'k', [['SET', 'k', '1']]],
  ['EXPIRE', [['SET', 'k', '1']], 'k', [['EXPIRE', 'k', '100']]],
  ['PEXPIREAT in the past (deletes)', [['SET', 'k', '1']], 'k', [['PEXPIREAT', 'k', '1']]],
  ['PERSIST of a TTL', [['SET', 'k', '1', 'EX', '100']], 'k', [['PERSIST', 'k']]],
  ['RENAME away', [['SET', 'k', '1']], 'k', [['RENAME', 'k', 'other']]],
  ['RENAME onto it', [['SET', 'k', '1'], ['SET', 'src', '2']], 'k', [['RENAME', 'src', 'k']]],
  ['MOVE to another db', [['SET', 'k', '1']], 'k', [['MOVE', 'k', '3']]],
  ['COPY onto it', [['SET', 'k', '1'], ['SET', 'src', '2']], 'k', [['COPY', 'src', 'k', 'REPLACE']]],
  ['GETDEL', [['SET', 'k', '1']], 'k', [['GETDEL', 'k']]],
  ['GETEX with EX', [['SET', 'k', '1']], 'k', [['GETEX', 'k', 'EX', '100']]],
  ['GET (a read)', [['SET', 'k', '1']], 'k', [['GET', 'k']]],
  ['FLUSHDB', [['SET', 'k', '1']], 'k', [['FLUSHDB']]],
  ['FLUSHALL', [['SET', 'k', '1']], 'k', [['FLUSHALL']]],
  ['FLUSHALL with the key missing', [['SET', 'o', '1']], 'k', [['FLUSHALL']]],
  ['SWAPDB with the key on the other side', [['SELECT', '1'], ['SET', 'k', '1'], ['SELECT', '0']], 'k', [['SWAPDB', '0', '1']]],
  ['SWAPDB with the key on neither side', [['SET', 'o', '1']], 'k', [['SWAPDB', '0', '1']]],
  ['SWAPDB of other databases', [['SET', 'k', '1']], 'k', [['SWAPDB', '2', '3']]],
  ['MSET', [['SET', 'k', '1']], 'k', [['MSET', 'a', '1', 'k', '2']]],
  ['MSETNX that sets nothing', [['SET', 'k', '1']], 'k', [['MSETNX', 'k', '2', 'a', '1']]],
  ['SET NX on an existing key', [['SET', 'k', '1']], 'k', [['SET', 'k', '2', 'NX']]],
  ['SET XX on a missing key', [], 'k', [['SET', 'k', '2', 'XX']]],
];

describe.skipIf(!hasRedisServer)('transactions across clients, as redis-server', () => {
  const servers = useRedisAndRedix();
  const ports = () => ({ redis: servers.redis.port, redix: servers.redix.port });

  for (const [name, setup, key, change] of CHANGES) {
    it(`WATCH then ${name}`, async () => {
      const { redis, redix } = await compareScenario(ports(), watchScenario(setup, key, change));
      expect(redix).toEqual(redis);
    });
  }

  it('RESTORE onto a watched key', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(2, 'SET', 'src', 'value');
      const dump = await s.admin('DUMP', 'src');
      const payload = Buffer.from(dump.slice(dump.indexOf('\r\n') + 2, -2), 'latin1');
      await s.call(1, 'WATCH', 'k');
      await s.call(2, 'RESTORE', 'k', '0', payload);
      await s.call(1, 'MULTI');
      await s.call(1, 'EXEC');
    });
    expect(redix).toEqual(redis);
  });

  it('a watched key that expires (actively or at EXEC) fails the EXEC', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(2, 'SET', 'k', '1', 'PX', '30');
      await s.call(1, 'WATCH', 'k');
      // Either the active cycle deletes it or EXEC finds it expired: nil both ways, as in Redis.
      const until = Date.now() + 5000;
      while ((await s.admin('PTTL', 'k')) !== ':-2\r\n' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await s.call(1, 'MULTI');
      await s.call(1, 'GET', 'k');
      await s.call(1, 'EXEC');
    });
    expect(redix).toEqual(redis);
  });

  it('WATCH remembers the database; a write in another database does not touch it', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'SELECT', '5');
      await s.call(1, 'SET', 'x', '30');
      await s.call(1, 'WATCH', 'x');
      await s.call(2, 'SELECT', '1');
      await s.call(2, 'SET', 'x', '10');
      await s.call(1, 'MULTI');
      await s.call(1, 'GET', 'x');
      await s.call(1, 'EXEC');
      await s.call(2, 'SELECT', '5');
      await s.call(1, 'WATCH', 'x');
      await s.call(2, 'SET', 'x', '11');
      await s.call(1, 'MULTI');
      await s.call(1, 'GET', 'x');
      await s.call(1, 'EXEC');
    });
    expect(redix).toEqual(redis);
  });

  it('a transaction runs whole: another client sees all of it or none', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'MULTI');
      for (let i = 0; i < 50; i++) await s.call(1, 'SET', `k${i}`, String(i));
      // Pipelined behind EXEC on another connection: runs before or after, never in between.
      s.send(1, 'EXEC');
      await s.call(2, 'MGET', 'k0', 'k49');
      await s.reply(1);
      await s.call(2, 'MGET', 'k0', 'k49');
    });
    // The MGET between may land before or after EXEC; compare what must hold on each side.
    for (const transcript of [redis, redix]) {
      const between = transcript[transcript.length - 3];
      expect(['2: *2\r\n$-1\r\n$-1\r\n', '2: *2\r\n$1\r\n0\r\n$2\r\n49\r\n']).toContain(between);
    }
    expect(redix.slice(0, -3)).toEqual(redis.slice(0, -3));
    expect(redix.slice(-2)).toEqual(redis.slice(-2));
  });

  it('CLIENT LIST shows multi=N and the x and d flags; INFO counts EXEC and its commands', async () => {
    const clientFields = (line: string) => {
      const m = /flags=(\S+) .*multi=(-?\d+) .*multi-mem=(\d+)/.exec(line);
      return m === null ? line : `flags=${m[1]} multi=${m[2]} multi-mem-nonzero=${m[3] !== '0'}`;
    };
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'CONFIG', 'RESETSTAT');
      await s.call(1, 'MULTI');
      await s.call(1, 'SET', 'a', '1');
      await s.call(1, 'INCR', 'a');
      s.note(clientFields(await s.call(1, 'CLIENT', 'INFO')));
      await s.call(1, 'DISCARD');
      await s.call(1, 'WATCH', 'a');
      await s.call(2, 'SET', 'a', '2');
      s.note(clientFields(await s.call(1, 'CLIENT', 'INFO')));
      await s.call(1, 'UNWATCH');
      await s.call(1, 'MULTI');
      await s.call(1, 'SET', 'a', '1');
      await s.call(1, 'INCR', 'a');
      await s.call(1, 'EXEC');
      const stats = await s.admin('INFO', 'commandstats');
      for (const cmd of ['exec', 'multi', 'set', 'incr']) s.note(/cmdstat_\w+:calls=\d+/.exec(stats.split('\r\n').find((l) => l.startsWith(`cmdstat_${cmd}:`)) ?? '')?.[0] ?? `no ${cmd}`);
    });
    // CLIENT INFO lines differ in ids and addresses: only the notes are compared for them.
    const notes = (t: string[]) => t.filter((l) => l.startsWith('#'));
    expect(notes(redix)).toEqual(notes(redis));
  });
});
