import { afterEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { hasRedisServer } from '../helpers/redis-server';
import { connect, datasetDifferences, dumpDataset, info, makeTempDir, removeDir, replicationServers, waitFor, waitInSync } from './replication-test-support';

/**
 * Scripting with real clients and real redis-server processes: ioredis' defineCommand (EVALSHA,
 * then EVAL on NOSCRIPT), queue/lock/rate-limit scripts as libraries ship them, a redis-server
 * replica of a Redix master while scripts and functions write (effects replication), and function
 * libraries through RDB files and FUNCTION DUMP/RESTORE in both directions.
 */

/** A job queue's "add job" and "take job" in the style of BullMQ's scripts (strings, hashes, cjson). */
const ADD_JOB = `
local id = redis.call('INCR', KEYS[1])
local jobKey = KEYS[2] .. id
local data = cjson.decode(ARGV[1])
redis.call('HSET', jobKey, 'name', ARGV[2], 'data', ARGV[1], 'attempts', 0, 'priority', data.priority or 0)
redis.call('HSET', KEYS[3], id, ARGV[3])
return id
`;
const TAKE_JOB = `
local waiting = redis.call('HGETALL', KEYS[1])
if #waiting == 0 then return false end
local id = waiting[1]
redis.call('HDEL', KEYS[1], id)
local jobKey = KEYS[2] .. id
redis.call('HINCRBY', jobKey, 'attempts', 1)
redis.call('HSET', jobKey, 'lockedBy', ARGV[1])
redis.call('SET', jobKey .. ':lock', ARGV[1], 'PX', ARGV[2])
local job = redis.call('HGETALL', jobKey)
local out = {}
for i = 1, #job, 2 do out[job[i]] = job[i + 1] end
return cjson.encode({id = tonumber(id), name = out.name, attempts = tonumber(out.attempts)})
`;
/** redlock's unlock and extend. */
const UNLOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** rate-limiter-flexible's fixed window. */
const RATE = `
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then redis.call('pexpire', KEYS[1], ARGV[2]) ttl = tonumber(ARGV[2]) end
return {consumed, ttl}
`;

const LIBRARY = `#!lua name=counters
local function bump(keys, args)
  local n = redis.call('INCRBY', keys[1], args[1])
  redis.call('HSET', keys[2], 'last', n)
  return n
end
redis.register_function('bump', bump)
redis.register_function{function_name = 'peek', callback = function(keys) return redis.call('GET', keys[1]) end, flags = {'no-writes'}}
`;

interface QueueCommands {
  addJob(counter: string, prefix: string, waiting: string, data: string, name: string, when: string): Promise<number>;
  takeJob(waiting: string, prefix: string, worker: string, lockMs: string): Promise<string | null>;
  unlock(key: string, token: string): Promise<number>;
  extend(key: string, token: string, ms: string): Promise<number>;
  rate(key: string, points: string, windowMs: string): Promise<[number, number]>;
}

describe.skipIf(!hasRedisServer)('scripting with clients and redis-server', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  function defineQueue(client: Redis): Redis & QueueCommands {
    client.defineCommand('addJob', { numberOfKeys: 3, lua: ADD_JOB });
    client.defineCommand('takeJob', { numberOfKeys: 2, lua: TAKE_JOB });
    client.defineCommand('unlock', { numberOfKeys: 1, lua: UNLOCK });
    client.defineCommand('extend', { numberOfKeys: 1, lua: EXTEND });
    client.defineCommand('rate', { numberOfKeys: 1, lua: RATE });
    return client as Redis & QueueCommands;
  }

  async function run(client: Redis & QueueCommands): Promise<unknown[]> {
    const out: unknown[] = [];
    out.push(await client.addJob('q:id', 'q:job:', 'q:wait', JSON.stringify({ priority: 3 }), 'send-mail', '100'));
    out.push(await client.addJob('q:id', 'q:job:', 'q:wait', JSON.stringify({}), 'resize', '200'));
    out.push(await client.takeJob('q:wait', 'q:job:', 'worker-1', '30000'));
    out.push(await client.takeJob('q:wait', 'q:job:', 'worker-2', '30000'));
    out.push(await client.takeJob('q:wait', 'q:job:', 'worker-3', '30000'));
    out.push(await client.hgetall('q:job:1'));
    await client.set('lock', 'token-1', 'PX', 10_000);
    out.push(await client.extend('lock', 'token-2', '20000'));
    out.push(await client.extend('lock', 'token-1', '20000'));
    out.push(await client.unlock('lock', 'token-2'));
    out.push(await client.unlock('lock', 'token-1'));
    out.push(await client.exists('lock'));
    const [consumed, ttl] = await client.rate('rl:user', '2', '60000');
    out.push(consumed, ttl > 59_000 && ttl <= 60_000);
    out.push((await client.rate('rl:user', '3', '60000'))[0]);
    return out;
  }

  it('ioredis defineCommand scripts (EVALSHA, EVAL after NOSCRIPT) give what redis-server gives', async () => {
    const redix = await servers.redix();
    const real = await servers.real();
    const a = defineQueue(new Redis(redix.server.port, '127.0.0.1', { lazyConnect: false }));
    const b = defineQueue(new Redis(real.proc.port, '127.0.0.1', { lazyConnect: false }));
    servers.defer(() => {
      a.disconnect();
      b.disconnect();
    });
    const [fromRedix, fromRedis] = [await run(a), await run(b)];
    expect(fromRedix).toEqual(fromRedis);
    expect(fromRedix[2]).toBe(JSON.stringify({ id: 1, name: 'send-mail', attempts: 1 }));
    // A SCRIPT FLUSH makes ioredis fall back to EVAL, which caches the script again.
    await a.script('FLUSH');
    expect(await a.unlock('nolock', 'x')).toBe(0);
    expect(await a.script('EXISTS', '' + (await a.script('LOAD', UNLOCK)))).toEqual([1]);
  });

  it('a redis-server replica of Redix stays identical while scripts and functions write', async () => {
    const master = await servers.redix();
    const replica = await servers.real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    const m = defineQueue(master.client);
    await m.call('FUNCTION', 'LOAD', LIBRARY);
    for (let i = 0; i < 50; i++) {
      await m.addJob('q:id', 'q:job:', 'q:wait', JSON.stringify({ i }), 'job', String(i));
      await m.call('FCALL', 'bump', 2, 'fn:counter', 'fn:hash', String(i));
      if (i % 3 === 0) await m.takeJob('q:wait', 'q:job:', `w${i}`, '60000');
      await m.eval("redis.call('select', 1) redis.call('set', KEYS[1], ARGV[1]) return 1", 1, `db1:${i}`, String(i));
      await m.eval("redis.set_repl(redis.REPL_NONE) redis.call('set', 'not-replicated', 'x') redis.set_repl(redis.REPL_ALL) redis.call('set', 'replicated', ARGV[1])", 0, String(i));
      await m.eval("local t = redis.call('time') redis.call('set', 'random-' .. ARGV[1], math.random()) return 1", 0, String(i));
    }
    await waitInSync(master.client, replica.client);
    const [a, b] = await Promise.all([dumpDataset(master.client), dumpDataset(replica.client)]);
    // REPL_NONE: the key exists on the master only.
    const notReplicated = `0:${Buffer.from('not-replicated').toString('hex')}`;
    expect(a.has(notReplicated)).toBe(true);
    expect(b.has(notReplicated)).toBe(false);
    a.delete(notReplicated);
    expect(datasetDifferences(a, b)).toEqual([]);
    expect(a.size).toBeGreaterThan(150);
    // Functions are replicated (FUNCTION LOAD) and run on the replica.
    expect(await replica.client.call('FCALL_RO', 'peek', 1, 'fn:counter')).toBe(await master.client.get('fn:counter'));
    const list = (await replica.client.call('FUNCTION', 'LIST')) as unknown[];
    expect(JSON.stringify(list)).toContain('counters');
  });

  it('function libraries survive RDB files and FUNCTION DUMP/RESTORE in both directions', async () => {
    const dir = makeTempDir('redix-scripting-rdb-');
    servers.defer(() => removeDir(dir));
    const redix = await servers.redix({ dir });
    const real = await servers.real();
    await redix.client.call('FUNCTION', 'LOAD', LIBRARY);
    await redix.client.set('k', '5');
    // FUNCTION DUMP from Redix restored by redis-server, and the reverse.
    const fromRedix = (await redix.client.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    expect(await real.client.callBuffer('FUNCTION', 'RESTORE', fromRedix)).toEqual(Buffer.from('OK'));
    expect(await real.client.call('FCALL', 'bump', 2, 'c', 'h', '2')).toBe(2);
    await real.client.call('FUNCTION', 'LOAD', '#!lua name=other\nredis.register_function("hello", function() return "hi" end)');
    const fromRedis = (await real.client.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    expect(await redix.client.callBuffer('FUNCTION', 'RESTORE', fromRedis, 'REPLACE')).toEqual(Buffer.from('OK'));
    expect(await redix.client.call('FCALL', 'hello', 0)).toBe('hi');
    await expect(redix.client.callBuffer('FUNCTION', 'RESTORE', fromRedis)).rejects.toThrow(/Library (counters|other) already exists/);
    // A real redis-server loads a dump.rdb Redix saved, functions included.
    await redix.client.save();
    const loaded = await servers.real(['--dbfilename', 'dump.rdb'], { dir });
    expect(await loaded.client.call('FCALL', 'hello', 0)).toBe('hi');
    expect(await loaded.client.call('FCALL_RO', 'peek', 1, 'k')).toBe('5');
    // And Redix loads the dump redis-server writes.
    await loaded.client.call('FUNCTION', 'LOAD', '#!lua name=third\nredis.register_function("third", function() return 3 end)');
    await loaded.client.save();
    await loaded.client.quit();
    const again = await servers.redix({ dir, dbfilename: 'dump.rdb' });
    expect(await again.client.call('FCALL', 'third', 0)).toBe(3);
    expect(await again.client.call('FCALL', 'hello', 0)).toBe('hi');
    expect(((await again.client.call('FUNCTION', 'LIST')) as unknown[]).length).toBe(3);
  });
});

/** BUSY, SCRIPT KILL and the order of a held client's replies, sent the same way to both servers. */
describe.skipIf(!hasRedisServer)('long scripts, on Redix as on redis-server', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  async function killScenario(port: number): Promise<string[]> {
    const admin = connect(port);
    const runner = new Redis(port, '127.0.0.1');
    const out: string[] = [];
    try {
      await admin.config('SET', 'busy-reply-threshold', '50');
      // A read-only script that loops in a pcall, and a PING pipelined behind it.
      const pipeline = runner.pipeline();
      pipeline.eval("local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", 0);
      pipeline.ping();
      const pending = pipeline.exec();
      await waitFor(async () => {
        try {
          await admin.ping();
          return false;
        } catch (e) {
          out.push((e as Error).message);
          return true;
        }
      }, 10_000, 'BUSY');
      // Only SHUTDOWN NOSAVE may stop a server running a long script.
      out.push(String(await admin.call('SHUTDOWN').catch((e: Error) => e.message)));
      out.push(String(await admin.call('FUNCTION', 'KILL').catch((e: Error) => e.message)));
      out.push(String(await admin.call('FUNCTION', 'STATS').catch((e: Error) => e.message)));
      out.push(String(await admin.script('KILL')));
      const results = (await pending) ?? [];
      for (const [err, value] of results) out.push(err !== null ? err.message : String(value));
      out.push(await admin.ping());
      await admin.config('SET', 'busy-reply-threshold', '5000');
    } finally {
      admin.disconnect();
      runner.disconnect();
    }
    return out;
  }

  it('a long script gets others BUSY, is killed by SCRIPT KILL, and the caller gets its replies in order', async () => {
    const redix = await servers.redix();
    const real = await servers.real();
    const [a, b] = [await killScenario(redix.server.port), await killScenario(real.proc.port)];
    const sha = /script: ([0-9a-f]{40})/;
    expect(a.map((s) => s.replace(sha, 'script: SHA'))).toEqual(b.map((s) => s.replace(sha, 'script: SHA')));
    expect(a[0]).toBe('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
    expect(a[1]).toBe(a[0]);
    expect(a.at(-3)).toMatch(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(a.at(-2)).toBe('PONG');
  });
});
