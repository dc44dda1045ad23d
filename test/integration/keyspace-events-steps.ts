import type { ScenarioSide } from '../helpers/scenario';

/**
 * Command sequences for the keyspace-events differential test. A step is a command run by the
 * writer (client 2), or a function for what needs more than one command (a sleep then a read, a
 * DUMP whose payload feeds RESTORE). The events one step causes are read before the next step.
 */
export type Step = string[] | ((s: ScenarioSide) => Promise<void>);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bulk reply's bytes (the reply is read as latin1 text by the scenario helper). */
function bulkBytes(raw: string): Buffer {
  return Buffer.from(raw.slice(raw.indexOf('\r\n') + 2, -2), 'latin1');
}

/** Waits for a key's TTL to pass, then reads it: "expired" comes from active or lazy expiry, then "keymiss". */
function expireThenRead(key: string, command = 'GET', ...rest: string[]): Step {
  return async (s) => {
    await sleep(30);
    await s.call(2, command, key, ...rest);
  };
}

function dumpRestore(source: string, target: string, ...rest: string[]): Step {
  return async (s) => {
    const payload = bulkBytes(await s.call(2, 'DUMP', source));
    await s.call(2, 'RESTORE', target, rest[0] ?? '0', payload, ...rest.slice(1));
  };
}

/** MULTI ... EXEC as one step (a marker published inside would only be queued). */
function transaction(...lines: string[]): Step {
  return async (s) => {
    await s.call(2, 'MULTI');
    for (const line of lines) await s.call(2, ...line.split(' '));
    await s.call(2, 'EXEC');
  };
}

const w = (line: string): string[] => line.split(' ');

export const STRING_STEPS: Step[] = [
  w('SET k v'), w('SET k v EX 100'), w('SET k v2 NX'), w('SET nokey v XX'), w('SET k v3 KEEPTTL GET'),
  w('SET fresh v GET'), w('SET k v4 PXAT 99999999999999'), w('SET k 1 EX notanumber'),
  w('SETNX k v'), w('SETNX n1 v'), w('SETEX se 100 v'), w('PSETEX pse 100000 v'), w('SETEX se 0 v'),
  w('GETSET k x'), w('GETSET gs y'), w('GETDEL k'), w('GETDEL nokey'), w('GETEX se EX 200'), w('GETEX se'),
  w('GETEX se PERSIST'), w('GETEX se PERSIST'), w('GETEX se PXAT 1'), w('GETEX nokey EX 5'),
  w('MSET a 1 b 2 a 3'), w('MSETNX a 1 c 3'), w('MSETNX c 3 d 4'),
  w('INCR cnt'), w('DECR cnt'), w('INCRBY cnt 5'), w('DECRBY cnt 2'), w('INCR gs'), w('INCRBYFLOAT f 1.5'),
  w('INCRBYFLOAT f 2'), w('APPEND ap x'), w('APPEND ap y'), ['SETRANGE', 'sr', '5', 'x'], ['SETRANGE', 'sr', '0', ''],
  ['SETRANGE', 'nosr', '3', ''], w('SETRANGE sr 1 yy'), w('GET nokey'), w('MGET a nokey'), w('STRLEN nokey'),
  w('GETRANGE nokey 0 1'), w('LCS a b'), w('HSET h f v'), w('INCR h'), w('APPEND h x'), w('GETDEL h'),
];

export const HASH_STEPS: Step[] = [
  w('HSET h f v f2 v2'), w('HSET h f v'), w('HMSET h f v'), w('HSETNX h f v'), w('HSETNX h f3 v'), w('HSETNX h2 f v'),
  w('HINCRBY h n 1'), w('HINCRBY h f 1'), w('HINCRBYFLOAT h fl 1.5'), w('HINCRBYFLOAT h3 fl 1'),
  w('HDEL h f'), w('HDEL h nosuch'), w('HDEL h f2 f3 n fl nosuch'), w('HDEL nokey f'),
  w('HGET nokey f'), w('HGETALL nokey'), w('HLEN nokey'), w('HEXISTS nokey f'), w('HRANDFIELD nokey'),
  w('SET s v'), w('HSET s f v'), w('HDEL h2 f'),
];

export const KEYSPACE_STEPS: Step[] = [
  w('SET a 1'), w('SET b 1'), w('DEL a b c'), w('SET a 1'), w('UNLINK a nokey'),
  w('EXPIRE x 100'), w('SET x 1'), w('EXPIRE x 100'), w('PEXPIRE x 200000 GT'), w('EXPIRE x 10 GT'),
  w('EXPIREAT x 99999999999'), w('PEXPIREAT x 99999999999999'), w('PERSIST x'), w('PERSIST x'), w('PERSIST nokey'),
  w('EXPIREAT x 1'), w('SET x 1'), w('PEXPIRE x -1'),
  w('SET x 1'), w('RENAME x y'), w('RENAME x y'), w('SET z 1'), w('RENAME y z'), w('RENAME z z'),
  w('SET w 1'), w('RENAMENX z w'), w('RENAMENX z v'), w('RENAMENX v v'),
  w('MOVE v 1'), w('MOVE v 1'), w('MOVE nokey 1'), w('SET v 2'), w('MOVE v 1'),
  w('SET s 1'), w('COPY s t'), w('COPY s t'), w('COPY s t REPLACE'), w('COPY s t DB 2'), w('COPY s t DB 2 REPLACE'),
  w('COPY nokey t'), w('HSET hc f v'), w('COPY hc hd'),
  dumpRestore('s', 'r'), dumpRestore('s', 'r'), dumpRestore('s', 'r', '0', 'REPLACE'),
  dumpRestore('s', 'r', '100000', 'REPLACE'), dumpRestore('s', 'r', '1', 'REPLACE', 'ABSTTL'), dumpRestore('s', 'r2', '1', 'ABSTTL'),
  w('DUMP nokey'),
  w('SET e 1 PX 1'), expireThenRead('e'), w('PSETEX e2 1 v'), expireThenRead('e2', 'EXISTS'),
  w('HSET he f v'), w('PEXPIRE he 1'), expireThenRead('he', 'HGET', 'f'),
  w('EXISTS nokey'), w('TYPE nokey'), w('TTL nokey'), w('PTTL nokey'), w('EXPIRETIME nokey'), w('TOUCH nokey'),
  w('OBJECT ENCODING nokey'), w('OBJECT FREQ nokey'), w('MEMORY USAGE nokey'),
  w('SWAPDB 0 1'), w('SWAPDB 0 1'), w('FLUSHDB'), w('SET a 1'), w('FLUSHALL'),
  transaction('SET m 1', 'INCR m', 'DEL m', 'EXPIRE nokey 1', 'HSET m f v', 'GET m'),
  ['EVAL', "redis.call('set', KEYS[1], 'v'); redis.call('hset', KEYS[2], 'f', 'v'); return redis.call('del', KEYS[1], KEYS[2])", '2', 'ek', 'eh'],
  w('SELECT 3'), w('SET d3 1'), w('RENAME d3 d3b'), w('MOVE d3b 0'), w('SELECT 0'), w('DEL d3b'),
];

/** One event of each class, for the filtering runs. */
export const MIX_STEPS: Step[] = [
  w('CONFIG GET notify-keyspace-events'),
  w('SET k v'), w('SET k v EX 100'), w('APPEND k x'), w('HSET h f v'), w('HDEL h f'), w('GET nokey'),
  w('EXPIRE k 100'), w('PERSIST k'), w('RENAME k k2'), w('DEL k2'), w('SET e 1 PX 1'), expireThenRead('e'),
];

/** notify-keyspace-events values for the filtering runs: each class alone, each channel alone, A with and without m/n. */
export const FLAG_SETS = ['KEA', 'Kg', 'E$', 'Kh', 'Ex', 'KEm', 'En', 'KA', 'EA', 'AKEmn', 'g$h', 'Klszet', 'Ed', 'KEgx'];

/** The data-type plugins' commands (each plugin emits through the same call): one pass over their write paths. */
export const TYPE_STEPS: Step[] = [
  w('RPUSH l a b c'), w('LPUSH l z'), w('LPUSHX nol a'), w('RPUSHX l d'), w('LINSERT l BEFORE a x'), w('LSET l 0 y'),
  w('LREM l 1 x'), w('LTRIM l 0 2'), w('LPOP l'), w('RPOP l 5'), w('RPUSH l a b'), w('LMOVE l l2 LEFT RIGHT'),
  w('RPOPLPUSH l l2'), w('LMPOP 1 l2 LEFT COUNT 5'), w('BLPOP nol 0.01'),
  w('SADD s a b c'), w('SADD s a'), w('SREM s a'), w('SMOVE s s2 b'), w('SADD one m'), w('SPOP one'), w('SADD s x y'),
  w('SINTERSTORE si s s2'), w('SUNIONSTORE su s s2'), w('SDIFFSTORE sd s nos'), w('SDIFFSTORE sd nos s'),
  w('ZADD z 1 a 2 b 3 c'), w('ZADD z XX 5 a'), w('ZINCRBY z 1 b'), w('ZREM z c'), w('ZPOPMIN z'), w('ZADD z 1 m 2 n'),
  w('ZREMRANGEBYSCORE z 0 1'), w('ZREMRANGEBYRANK z 0 0'), w('ZADD z 1 a'), w('ZUNIONSTORE zu 2 z nos'),
  w('ZINTERSTORE zi 2 z nos'), w('ZRANGESTORE zr z 0 -1'), w('ZMPOP 1 z MIN'),
  w('XADD x 1-1 f v'), w('XADD x MAXLEN 1 2-1 f v'), w('XDEL x 2-1'), w('XTRIM x MAXLEN 0'), w('XGROUP CREATE x g $'),
  w('XGROUP CREATECONSUMER x g c'), w('XADD x 3-1 f v'), w('XREADGROUP GROUP g c COUNT 1 STREAMS x >'),
  w('XGROUP SETID x g 0'), w('XGROUP DELCONSUMER x g c'), w('XGROUP DESTROY x g'), w('XSETID x 5-0'),
  w('SETBIT b 7 1'), w('BITOP NOT b2 b'), w('BITFIELD b SET u8 0 255'), w('PFADD h a b'), w('PFADD h a'), w('PFMERGE h2 h'),
  w('SET sk 1'), w('COPY l2 l3'), w('RENAME z z9'), w('DEL l2 s z9 x'),
];
