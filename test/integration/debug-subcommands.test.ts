import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { parseReply } from '../helpers/resp-tree';

/**
 * DEBUG's test-suite subcommands (CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, LISTPACK), its HELP,
 * DEBUG DIGEST over streams and MODULE when allowed, against a real redis-server holding the same data.
 */
if (!hasRedisServer) console.warn(`DEBUG subcommand tests skipped: ${REDIS_MISSING}`);

const text = (b: Buffer) => b.toString('latin1');

describe.skipIf(!hasRedisServer)('DEBUG subcommands, as redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let pair: [RawConnection, RawConnection];
  beforeAll(async () => {
    redis = await startRedisServer(['--enable-debug-command', 'yes', '--enable-module-command', 'yes']);
    redix = await startRedix({ enableDebugCommand: 'yes', enableModuleCommand: 'yes' });
    pair = [await RawConnection.connect(redis.port), await RawConnection.connect(redix.port)];
  });
  afterAll(async () => {
    for (const c of pair ?? []) c.close();
    await redix?.shutdown();
    await redis?.stop();
  });
  const same = async (...args: string[]) => {
    const [a, b] = await Promise.all(pair.map((c) => c.command(args)));
    expect(text(b), args.join(' ')).toBe(text(a));
    return text(b);
  };

  it('DEBUG DIGEST and DIGEST-VALUE equal Redis for streams: entries, deletions, trims, groups and PELs', async () => {
    await same('FLUSHALL');
    await same('XADD', 's', '1-1', 'f', 'v', 'f2', 'v2');
    await same('XADD', 's', '1-2', 'a', '1');
    for (let i = 0; i < 250; i++) await same('XADD', 'big', `${i + 1}-0`, 'field', `value:${i}`, 'n', String(i));
    const afterAdds = await same('DEBUG', 'DIGEST');
    await same('DEBUG', 'DIGEST-VALUE', 's', 'big');
    await same('XDEL', 'big', '5-0', '100-0');
    await same('XTRIM', 'big', 'MINID', '10');
    expect(await same('DEBUG', 'DIGEST')).not.toBe(afterAdds);
    await same('DEBUG', 'DIGEST-VALUE', 'big');
    // Consumer groups and pending entries are not part of the digest, in Redis either.
    const beforeGroups = await same('DEBUG', 'DIGEST-VALUE', 's');
    await same('XGROUP', 'CREATE', 's', 'g', '0');
    await same('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
    expect(await same('DEBUG', 'DIGEST-VALUE', 's')).toBe(beforeGroups);
    await same('XADD', 'empty', 'MAXLEN', '0', '1-1', 'x', 'y');
    await same('PEXPIRE', 's', '100000');
    await same('DEBUG', 'DIGEST');
    await same('DEBUG', 'DIGEST-VALUE', 's', 'big', 'empty', 'missing');
  });

  it('DEBUG QUICKLIST-PACKED-THRESHOLD takes what Redis takes', async () => {
    for (const size of ['100', '1k', '1kb', '1K', '1b', '3gb', '4095mb', '0', '4096mb', '4gb', '-1', 'abc', '1.5', ' 1', '1kbb']) {
      await same('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', size);
    }
    await same('DEBUG', 'QUICKLIST-PACKED-THRESHOLD');
    await same('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
  });

  it('DEBUG LISTPACK answers for listpack-encoded values only, as Redis', async () => {
    await same('FLUSHALL');
    await same('HSET', 'h', 'a', 'b');
    await same('ZADD', 'z', '1', 'm');
    await same('RPUSH', 'l', 'a', 'b');
    await same('SET', 's', '1');
    await same('SADD', 'set', 'x');
    await same('XADD', 'x', '1-1', 'f', 'v');
    for (const key of ['h', 'z', 'l', 's', 'set', 'x', 'missing']) await same('DEBUG', 'LISTPACK', key);
    await same('DEBUG', 'LISTPACK');
  });

  it('DEBUG CHANGE-REPL-ID gives a new replication id and clears the previous one', async () => {
    const replid = async () => {
      const info = text(await pair[1].command(['INFO', 'replication']));
      return [info.match(/master_replid:(\w+)/)![1], info.match(/master_replid2:(\w+)/)![1]];
    };
    const [before] = await replid();
    await same('DEBUG', 'CHANGE-REPL-ID');
    const [after, second] = await replid();
    expect(after).toMatch(/^[0-9a-f]{40}$/);
    expect(after).not.toBe(before);
    expect(second).toBe('0'.repeat(40));
    await same('DEBUG', 'CHANGE-REPL-ID', 'extra');
  });

  it('MODULE with enable-module-command yes: no modules listed, loading a missing file fails as in Redis', async () => {
    await same('MODULE', 'LIST');
    await same('MODULE', 'LOAD', '/nonexistent/module.so');
    await same('MODULE', 'LOAD', '/nonexistent/module.so', 'arg');
    await same('MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a', 'b');
    await same('MODULE', 'UNLOAD', 'nosuch');
    await same('MODULE', 'HELP');
  });

  it('DEBUG HELP lists Redis\'s own entries for the subcommands Redix has, word for word and in its order', async () => {
    const lines = async (c: RawConnection) => parseReply(await c.command(['DEBUG', 'HELP'])).children!.map((n) => text(n.raw).slice(1, -2));
    const [theirs, ours] = [await lines(pair[0]), await lines(pair[1])];
    expect(ours[0]).toBe(theirs[0]);
    expect(ours.at(-2)).toBe(theirs.at(-2));
    const entries = ours.slice(1, -2);
    for (const sub of ['CHANGE-REPL-ID', 'DIGEST', 'OBJECT <key>', 'RELOAD [option ...]', 'SLEEP <seconds>', 'LISTPACK <key>', 'QUICKLIST-PACKED-THRESHOLD <size>', 'PROTOCOL <type>', 'PAUSE-CRON <0|1>']) expect(entries).toContain(sub);
    // Every line of ours is one of Redis's, in the same order.
    let at = 1;
    for (const line of entries) {
      at = theirs.indexOf(line, at);
      expect(at, line).toBeGreaterThan(0);
      at++;
    }
    // Subcommands Redis 7.0 does not have answer its unknown-subcommand error.
    await same('DEBUG', 'STRINGMATCH-LEN');
    await same('DEBUG', 'JMAP');
  });

  it('DEBUG PROTOCOL sends each sample reply type as Redis, in RESP2 and RESP3', async () => {
    const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'nosuch'];
    for (const protocol of ['2', '3']) {
      await Promise.all(pair.map((c) => c.command(['HELLO', protocol])));
      for (const type of types) {
        // attrib and push are followed by a real reply: read both.
        const count = protocol === '3' && (type === 'push' || type === 'attrib') ? 2 : 1;
        const [a, b] = await Promise.all(pair.map(async (c) => {
          c.write(Buffer.from(`*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$${type.length}\r\n${type}\r\n`));
          return Buffer.concat(await c.readReplies(count));
        }));
        expect(text(b), `RESP${protocol} ${type}`).toBe(text(a));
      }
    }
    await Promise.all(pair.map((c) => c.command(['HELLO', '2'])));
  });

  it('scripts: DEBUG SET-DISABLE-DENY-SCRIPTS lets them call noscript commands; SORT BY a constant is sorted for them', async () => {
    const bignum = "redis.setresp(3); return redis.call('debug', 'protocol', 'bignum')";
    await same('EVAL', bignum, '0');
    await same('DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '1');
    try {
      // (map and set go through a Lua table, whose iteration order is the VM's own: not compared.)
      for (const type of ['bignum', 'attrib', 'verbatim', 'double', 'true', 'null', 'array']) await same('EVAL', `redis.setresp(3); return redis.call('debug', 'protocol', '${type}')`, '0');
    } finally {
      await same('DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0');
    }
    await same('EVAL', bignum, '0');
    await same('DEL', 'myset');
    await same('SADD', 'myset', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'l', 'm', 'n', 'z', 'aa', 'aaa', 'azz');
    expect(await same('EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'myset')).toMatch(/^\*16\r\n\$1\r\na\r\n\$2\r\naa\r\n/);
  });

  it('DEBUG OBJECT describes a key past its TTL that is not deleted yet; RELOAD NOFLUSH without MERGE fails and keeps everything', async () => {
    await same('FLUSHALL');
    await same('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await same('SET', 'key', 'value', 'PX', '1');
      await new Promise((r) => setTimeout(r, 5));
      const [a, b] = await Promise.all(pair.map((c) => c.command(['DEBUG', 'OBJECT', 'key'])));
      expect(text(a)).toMatch(/^\+Value at:/);
      expect(text(b)).toMatch(/^\+Value at:/);
      await same('EXISTS', 'key');
    } finally {
      await same('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
    await same('SET', 'x', '1');
    await same('FUNCTION', 'LOAD', "#!lua name=test\nredis.register_function('test', function() return 'hello' end)");
    expect(await same('DEBUG', 'RELOAD', 'NOFLUSH')).toBe('-ERR Error trying to load the RDB dump\r\n');
    await same('DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE');
    await same('FCALL', 'test', '0');
    await same('GET', 'x');
    await same('FUNCTION', 'FLUSH');
  });
});
