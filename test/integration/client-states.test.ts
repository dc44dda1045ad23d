import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { encodeCommand } from '../helpers/raw-connection';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Client-side caching (CLIENT TRACKING), CLIENT REPLY, CLIENT PAUSE and MONITOR against a real
 * redis-server: the same script on both, replies and pushes compared in order.
 */
if (!hasRedisServer) console.warn(`client state scenarios skipped: ${REDIS_MISSING}`);

/** Client 3 speaks RESP3 (tracking pushes arrive on its own connection). */
async function resp3(s: ScenarioSide, i: number): Promise<void> {
  const conn = await s.connection(i);
  await conn.command(['HELLO', '3']);
}

/** Reads until a sentinel PONG, so every push sent before it is in the transcript. */
async function drain(s: ScenarioSide, i: number): Promise<void> {
  s.send(i, 'PING', 'sentinel');
  for (let n = 0; n < 20; n++) if ((await s.reply(i)).includes('sentinel')) return;
}

const TRACKING: [string, (s: ScenarioSide) => Promise<void>][] = [
  ['a read key is invalidated once when another client writes it', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'GET', 'k');
    await s.call(1, 'MGET', 'a', 'b');
    await s.call(2, 'SET', 'k', '1');
    await s.call(2, 'SET', 'k', '2');
    await s.call(2, 'DEL', 'a');
    await s.call(2, 'HSET', 'b', 'f', 'v');
    await drain(s, 1);
  }],
  ['its own write: the reply first, then the invalidation; NOLOOP drops it', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'GET', 'k');
    await s.call(1, 'SET', 'k', 'mine');
    await drain(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'NOLOOP');
    await s.call(1, 'GET', 'k');
    await s.call(1, 'SET', 'k', 'again');
    await drain(s, 1);
  }],
  ['FLUSHALL and FLUSHDB send a null invalidation; SWAPDB sends nothing', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'GET', 'k');
    await s.call(2, 'FLUSHALL');
    await drain(s, 1);
    await s.call(2, 'FLUSHDB');
    await drain(s, 1);
    await s.call(1, 'GET', 'k');
    await s.call(2, 'SWAPDB', '0', '1');
    await drain(s, 1);
  }],
  ['redirect to a RESP2 subscriber of __redis__:invalidate; a broken redirect', async (s) => {
    const id = (await (await s.connection(2)).command(['CLIENT', 'ID'])).toString().slice(1, -2);
    s.note('redirect target subscribed');
    await s.call(2, 'SUBSCRIBE', '__redis__:invalidate');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    const one = await s.connection(1);
    s.note((await one.command(['CLIENT', 'GETREDIR'])).toString() === `:${id}\r\n` ? 'getredir is the target' : 'getredir differs');
    await s.call(1, 'GET', 'k');
    await s.call(3, 'SET', 'k', 'v');
    await s.reply(2);
    await s.call(3, 'FLUSHALL');
    await s.reply(2);
    (await s.connection(2)).close();
    await s.call(1, 'GET', 'k2');
    await s.call(3, 'SET', 'k2', 'v');
    await s.call(1, 'PING');
    const info = (await one.command(['CLIENT', 'TRACKINGINFO'])).toString().replace(`:${id}\r\n`, ':<id>\r\n');
    s.note(info);
  }],
  ['a flush frees the table even while no client tracks; tracking-table-max-keys evicts', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'GET', 'k');
    await s.call(1, 'CLIENT', 'TRACKING', 'OFF');
    await s.call(2, 'FLUSHALL');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(2, 'SET', 'k', 'v');
    await drain(s, 1);
    await s.call(1, 'MGET', 'a', 'b');
    s.note(/tracking_total_keys:\d+/.exec(await s.admin('INFO', 'stats'))?.[0] ?? 'no field');
    await s.admin('CONFIG', 'SET', 'tracking-table-max-keys', '1');
    try {
      await s.call(2, 'PING');
      // One of a, b was evicted (invalidated): which one is random in Redis.
      const [pushed] = await (await s.connection(1)).readReplies(1);
      s.note(/^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$1\r\n[ab]\r\n$/.test(pushed.toString('latin1')) ? 'a or b invalidated' : pushed.toString('latin1'));
      s.note(/tracking_total_keys:\d+/.exec(await s.admin('INFO', 'stats'))?.[0] ?? 'no field');
    } finally {
      await s.admin('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    }
  }],
  ['an unblocked BLMOVE gets its reply, then the invalidation of its destination', async (s) => {
    await resp3(s, 1);
    await s.call(2, 'RPUSH', 'list2', 'a');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'LRANGE', 'list2', '0', '-1');
    s.send(1, 'BLMOVE', 'list1', 'list2', 'LEFT', 'LEFT', '0');
    await s.waitBlocked(1);
    await s.call(2, 'RPUSH', 'list1', 'foo');
    await s.reply(1);
    await s.reply(1);
  }],
  ['a redirect target that QUIT is broken for the very next write', async (s) => {
    await resp3(s, 1);
    const id = (await (await s.connection(2)).command(['CLIENT', 'ID'])).toString().slice(1, -2);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    await s.call(1, 'GET', 'k');
    await s.call(2, 'QUIT');
    await s.call(3, 'SET', 'k', 'v');
    const one = await s.connection(1);
    one.write(encodeCommand(['PING']));
    const frames = await one.readReplies(2);
    s.note(frames.map((f) => f.toString('latin1').replace(`:${id}\r\n`, ':<id>\r\n')).join(' | '));
  }],
  ['scripts: a read command tracks the script\'s declared keys; writes and EVAL_RO itself track nothing', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON');
    await s.call(1, 'EVAL', "redis.call('set', 'k3', 'bar')", '2', 'k1', 'k2');
    await s.call(2, 'MSET', 'k1', '1', 'k2', '1', 'k3', '1');
    await drain(s, 1);
    await s.call(1, 'EVAL', "return redis.call('get', 'k3')", '2', 'k1', 'k2');
    await s.call(2, 'MSET', 'k3', '2', 'k2', '2', 'k1', '2');
    await drain(s, 1);
    await s.call(1, 'EVAL_RO', "return redis.call('ping')", '1', 'k1');
    await s.call(2, 'SET', 'k1', '3');
    await drain(s, 1);
    await s.call(1, 'FCALL_RO', 'nosuch', '1', 'k1');
    await s.call(1, 'EVAL_RO', "return redis.call('get', 'k3')", '1', 'k1');
    await s.call(2, 'SET', 'k1', '4');
    await drain(s, 1);
  }],
  ['BCAST with prefixes, OPTIN with CACHING yes, OPTOUT with CACHING no', async (s) => {
    await resp3(s, 1);
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'a');
    await s.call(2, 'SET', 'user:1', 'x');
    await s.call(2, 'MSET', 'user:2', 'y', 'b', 'z', 'ab', 'w');
    await drain(s, 1);
    await s.call(1, 'CLIENT', 'TRACKINGINFO');
    await s.call(1, 'CLIENT', 'TRACKING', 'OFF');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await s.call(1, 'GET', 'not-cached');
    await s.call(1, 'CLIENT', 'CACHING', 'YES');
    await s.call(1, 'GET', 'cached');
    await s.call(2, 'SET', 'not-cached', '1');
    await s.call(2, 'SET', 'cached', '1');
    await drain(s, 1);
    await s.call(1, 'CLIENT', 'TRACKINGINFO');
    await s.call(1, 'CLIENT', 'TRACKING', 'OFF');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    await s.call(1, 'CLIENT', 'CACHING', 'NO');
    await s.call(1, 'GET', 'skipped');
    await s.call(1, 'GET', 'kept');
    await s.call(2, 'SET', 'skipped', '1');
    await s.call(2, 'SET', 'kept', '1');
    await drain(s, 1);
  }],
  ['errors of CLIENT TRACKING and CLIENT CACHING', async (s) => {
    await s.call(1, 'CLIENT', 'CACHING', 'YES');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'NOSUCH');
    await s.call(1, 'CLIENT', 'TRACKING', 'MAYBE');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await s.call(1, 'CLIENT', 'CACHING', 'NO');
    await s.call(1, 'CLIENT', 'CACHING', 'MAYBE');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST');
    await s.call(1, 'CLIENT', 'TRACKING', 'OFF');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'x');
    await s.call(1, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'xy');
    await s.call(1, 'CLIENT', 'TRACKINGINFO');
    await s.call(1, 'CLIENT', 'GETREDIR');
    await s.call(1, 'CLIENT', 'TRACKING', 'OFF');
    await s.call(1, 'CLIENT', 'TRACKINGINFO');
    await s.call(1, 'CLIENT', 'GETREDIR');
  }],
];

describe.skipIf(!hasRedisServer)('client states as redis-server', () => {
  const servers = useRedisAndRedix();
  const ports = () => ({ redis: servers.redis.port, redix: servers.redix.port });

  for (const [name, script] of TRACKING) {
    it(`CLIENT TRACKING: ${name}`, async () => {
      const { redis, redix } = await compareScenario(ports(), script);
      expect(redix).toEqual(redis);
    });
  }

  it('CLIENT REPLY OFF, SKIP and ON', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      s.send(1, 'CLIENT', 'REPLY', 'OFF');
      s.send(1, 'SET', 'a', '1');
      s.send(1, 'GET', 'a');
      s.send(1, 'CLIENT', 'REPLY', 'SKIP');
      await s.call(1, 'CLIENT', 'REPLY', 'ON');
      s.send(1, 'CLIENT', 'REPLY', 'SKIP');
      s.send(1, 'INCR', 'a');
      await s.call(1, 'GET', 'a');
      await s.call(1, 'CLIENT', 'REPLY', 'MAYBE');
      // Pushes still arrive while replies are off.
      await s.call(1, 'SUBSCRIBE', 'c');
      s.send(1, 'CLIENT', 'REPLY', 'OFF');
      await s.call(2, 'PUBLISH', 'c', 'still delivered');
      await s.reply(1);
    });
    expect(redix).toEqual(redis);
  });

  it('CLIENT PAUSE WRITE holds writes (in order, after the pause), not reads; ALL holds everything', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'SET', 'k', '0');
      await s.call(1, 'CLIENT', 'PAUSE', '100000', 'WRITE');
      s.send(2, 'INCR', 'k');
      await s.waitBlocked(1);
      s.send(3, 'SET', 'k', 'x');
      await s.waitBlocked(2);
      await s.call(4, 'GET', 'k');
      s.send(4, 'PUBLISH', 'ch', 'm');
      await s.waitBlocked(3);
      s.send(4, 'SET', 'k', 'after');
      await s.call(1, 'CLIENT', 'PAUSE', 'x');
      await s.call(1, 'CLIENT', 'PAUSE', '10', 'SOME');
      await s.call(1, 'CLIENT', 'UNPAUSE');
      await s.reply(2);
      await s.reply(3);
      await s.reply(4);
      await s.reply(4);
      await s.call(1, 'GET', 'k');
      // Under ALL even UNPAUSE waits: the pause ends by its timeout.
      await s.call(1, 'CLIENT', 'PAUSE', '300', 'ALL');
      s.send(2, 'GET', 'k');
      s.send(2, 'PING');
      await s.reply(2);
      await s.reply(2);
    });
    expect(redix).toEqual(redis);
  });

  it('CLIENT PAUSE WRITE holds scripts that may write, not those declared no-writes (a call\'s own flags)', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'SCRIPT', 'LOAD', '#!lua flags=no-writes\nreturn 2');
      await s.call(1, 'FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}\nredis.register_function('rw', function() return 'rw' end)");
      await s.call(1, 'CLIENT', 'PAUSE', '100000', 'WRITE');
      // Read-only by their declared flags: answered at once.
      await s.call(4, 'EVAL', '#!lua flags=no-writes\nreturn 1', '0');
      await s.call(4, 'EVALSHA', 'ae33f9227913b24d053a555637f98260b23bd3a3', '0');
      await s.call(4, 'EVAL_RO', 'return 3', '0');
      await s.call(4, 'FCALL', 'ro', '0');
      await s.call(4, 'MULTI');
      await s.call(4, 'EVAL', '#!lua flags=no-writes\nreturn 4', '0');
      await s.call(4, 'EXEC');
      // May write: held until the pause ends.
      s.send(2, 'EVAL', 'return 5', '0');
      await s.waitBlocked(1);
      s.send(3, 'FCALL', 'rw', '0');
      await s.waitBlocked(2);
      await s.call(1, 'CLIENT', 'UNPAUSE');
      await s.reply(2);
      await s.reply(3);
    });
    expect(redix).toEqual(redis);
  });

  it('MONITOR shows each command once, with its database, quoted, and AUTH redacted', async () => {
    const normalize = (line: string) => line.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '+<time> [$1 <addr>]');
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'MONITOR');
      await s.call(1, 'GET', 'x');
      await s.call(2, 'SET', 'k', 'a "quoted"\nvalue\x01');
      await s.call(2, 'SELECT', '3');
      await s.call(2, 'AUTH', 'nopass');
      await s.call(2, 'MULTI');
      await s.call(2, 'INCR', 'n');
      await s.call(2, 'EXEC');
      await s.call(2, 'CONFIG', 'GET', 'port');
      await s.call(2, 'NOSUCHCOMMAND');
      await s.call(2, 'PING');
      for (let i = 0; i < 7; i++) s.note(normalize(await s.reply(1)));
    });
    expect(redix.filter((l) => l.startsWith('#'))).toEqual(redis.filter((l) => l.startsWith('#')));
  });

  it('MONITOR shows EVAL and FCALL before the commands their script runs, as [<db> lua]', async () => {
    const normalize = (line: string) => line.replace(/^\+\d+\.\d{6} \[(\d+) (?!lua\])[^\]]+\]/, '+<time> [$1 <addr>]').replace(/^\+\d+\.\d{6} /, '+<time> ');
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(2, 'FUNCTION', 'LOAD', 'REPLACE', "#!lua name=monlib\nredis.register_function('mf', function(keys) return redis.call('set', keys[1], 'bar') end)");
      await s.call(1, 'MONITOR');
      await s.call(2, 'SELECT', '2');
      await s.call(2, 'EVAL', "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])", '1', 'foo', 'bar');
      await s.call(2, 'EVAL', 'return 1', 'notanumber');
      await s.call(2, 'FCALL', 'mf', '1', 'k');
      await s.call(2, 'FCALL_RO', 'nosuch', '0');
      await s.call(2, 'PING');
      for (let i = 0; i < 9; i++) s.note(normalize(await s.reply(1)));
    });
    expect(redix.filter((l) => l.startsWith('#'))).toEqual(redis.filter((l) => l.startsWith('#')));
  });
});
