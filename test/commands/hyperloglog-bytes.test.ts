import { describe, expect, it } from 'vitest';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * HyperLogLog bytes against a real redis-server: the same PFADD/PFMERGE sequences leave the same
 * string (GET, byte for byte) and the same PFCOUNT at sizes from 1 to 10 million elements, in
 * both encodings; HLLs move between the servers by DUMP/RESTORE; corrupted HLLs get the same
 * replies and never crash Redix.
 */
if (!hasRedisServer) console.warn(`HyperLogLog differential tests skipped: ${REDIS_MISSING}`);

/** Sends commands pipelined and returns their raw replies. */
async function pipeline(conn: RawConnection, commands: (string | Buffer)[][]): Promise<Buffer[]> {
  conn.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  return conn.readReplies(commands.length, 120_000);
}

/** PFADD commands adding elements prefix0 .. prefix(n-1), `batch` per command, from `from`. */
function adds(key: string, prefix: string, from: number, to: number, batch = 1000): string[][] {
  const commands: string[][] = [];
  for (let i = from; i < to; i += batch) {
    const cmd = ['PFADD', key];
    for (let j = i; j < Math.min(to, i + batch); j++) cmd.push(prefix + j);
    commands.push(cmd);
  }
  return commands;
}

describe.skipIf(!hasRedisServer)('HyperLogLog bytes: Redix vs redis-server', () => {
  const servers = useRedisAndRedix();

  async function both(run: (conn: RawConnection) => Promise<Buffer[]>): Promise<[string[], string[]]> {
    const redis = await RawConnection.connect(servers.redis.port);
    const redix = await RawConnection.connect(servers.redix.port);
    try {
      const a = (await run(redis)).map((b) => b.toString('latin1'));
      const b = (await run(redix)).map((b) => b.toString('latin1'));
      return [a, b];
    } finally {
      redis.close();
      redix.close();
    }
  }

  it('same bytes and PFCOUNT after PFADD at sizes 1 to 10 million (sparse, promotion, dense)', async () => {
    const checkpoints = [1, 2, 5, 10, 50, 100, 200, 500, 1000, 2000, 3000, 5000, 10_000, 50_000, 100_000, 1_000_000, 10_000_000];
    const [redis, redix] = await both(async (conn) => {
      const out: Buffer[] = [];
      out.push(...(await pipeline(conn, [['FLUSHALL'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']])));
      let done = 0;
      for (const n of checkpoints) {
        // Single elements below 100, so the sparse editing sees every step; batches above.
        const batch = n <= 100 ? 1 : 1000;
        await pipeline(conn, adds('hll', 'el:', done, n, batch));
        done = n;
        out.push(...(await pipeline(conn, [['GET', 'hll'], ['PFCOUNT', 'hll'], ['GET', 'hll'], ['PFDEBUG', 'ENCODING', 'hll']])));
      }
      return out;
    });
    expect(redix.length).toBe(redis.length);
    for (let i = 0; i < redis.length; i++) expect(redix[i], `reply ${i}`).toBe(redis[i]);
  }, 600_000);

  it('PFADD replies 1/0 exactly as Redis, element by element, and PFDEBUG DECODE/GETREG agree', async () => {
    const [redis, redix] = await both(async (conn) => {
      const commands: string[][] = [['FLUSHALL'], ['PFADD', 'one']];
      for (let i = 0; i < 3000; i++) commands.push(['PFADD', 'one', `x${i % 1700}`, `y${i % 13}`]);
      commands.push(['GET', 'one'], ['PFDEBUG', 'DECODE', 'one'], ['PFCOUNT', 'one'], ['PFADD', 'one'], ['PFADD', 'one', ''], ['PFADD', 'one', '']);
      commands.push(['PFADD', 'small', 'a', 'b', 'c'], ['PFDEBUG', 'DECODE', 'small'], ['PFDEBUG', 'GETREG', 'small'], ['PFDEBUG', 'ENCODING', 'small'], ['GET', 'small']);
      commands.push(['PFADD', 'small2', 'q'], ['PFDEBUG', 'TODENSE', 'small2'], ['PFDEBUG', 'TODENSE', 'small2'], ['PFDEBUG', 'DECODE', 'small2'], ['GET', 'small2']);
      commands.push(['PFDEBUG', 'FOO', 'small'], ['PFDEBUG', 'ENCODING', 'nokey'], ['PFDEBUG', 'FOO', 'nokey'], ['SET', 'str', 'hello'], ['PFDEBUG', 'ENCODING', 'str']);
      return pipeline(conn, commands);
    });
    expect(redix).toEqual(redis);
  }, 120_000);

  it('PFMERGE and multi-key PFCOUNT: bytes of sparse, mixed and dense merges', async () => {
    const [redis, redix] = await both(async (conn) => {
      const commands: string[][] = [['FLUSHALL']];
      commands.push(...adds('s1', 'a', 0, 100, 7), ...adds('s2', 'b', 50, 300, 11), ...adds('d1', 'c', 0, 20_000));
      commands.push(['PFMERGE', 'm1', 's1', 's2'], ['GET', 'm1'], ['PFCOUNT', 'm1'], ['PFCOUNT', 's1', 's2'], ['PFCOUNT', 's1', 's2', 'nokey']);
      commands.push(['PFMERGE', 's1', 's2'], ['GET', 's1'], ['PFCOUNT', 's1']);
      commands.push(['PFMERGE', 'm2', 's2', 'd1'], ['GET', 'm2'], ['PFCOUNT', 'm2'], ['PFCOUNT', 's2', 'd1'], ['PFDEBUG', 'ENCODING', 'm2']);
      commands.push(['PFMERGE', 'm3'], ['GET', 'm3'], ['PFMERGE', 'm3', 'nokey'], ['GET', 'm3'], ['PFCOUNT', 'm3']);
      commands.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'], ['PFMERGE', 'm4', 's1', 's2'], ['PFDEBUG', 'ENCODING', 'm4'], ['GET', 'm4']);
      commands.push(...adds('s3', 'z', 0, 200, 1), ['GET', 's3'], ['PFDEBUG', 'ENCODING', 's3'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
      commands.push(['SET', 'str', 'x'], ['PFMERGE', 'm1', 'str'], ['PFCOUNT', 'm1', 'str'], ['PFCOUNT', 'str'], ['PFADD', 'str', 'a'], ['HSET', 'h', 'f', 'v'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'm1'], ['PFMERGE', 'h', 'm1']);
      return pipeline(conn, commands);
    });
    expect(redix).toEqual(redis);
  }, 120_000);

  it('an HLL dumped by Redis restores into Redix and counts the same, and the reverse', async () => {
    const redis = await RawConnection.connect(servers.redis.port);
    const redix = await RawConnection.connect(servers.redix.port);
    try {
      for (const [from, to] of [[redis, redix], [redix, redis]]) {
        await pipeline(from, [['FLUSHALL'], ...adds('s', 'r', 0, 150, 10), ...adds('d', 'r', 0, 50_000)]);
        await pipeline(to, [['FLUSHALL']]);
        for (const key of ['s', 'd']) {
          const dump = (await from.command(['DUMP', key])).toString('latin1');
          const payload = Buffer.from(dump.slice(dump.indexOf('\r\n') + 2, -2), 'latin1');
          expect((await to.command(['RESTORE', key, '0', payload])).toString()).toBe('+OK\r\n');
          const [a, b] = [await from.command(['PFCOUNT', key]), await to.command(['PFCOUNT', key])];
          expect(b.toString()).toBe(a.toString());
          expect((await to.command(['GET', key])).equals(await from.command(['GET', key]))).toBe(true);
        }
      }
    } finally {
      redis.close();
      redix.close();
    }
  }, 120_000);

  it('corrupted HLLs get the same replies as from Redis and never crash', async () => {
    // A deterministic generator, so both servers get the same corruptions.
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const commands: (string | Buffer)[][] = [['FLUSHALL']];
    const sparse = (await (async () => {
      const conn = await RawConnection.connect(servers.redis.port);
      try {
        await pipeline(conn, [['DEL', 'src'], ...adds('src', 'k', 0, 300, 10), ['DEL', 'dense'], ...adds('dense', 'k', 0, 5000)]);
        const get = async (key: string): Promise<Buffer> => {
          const raw = (await conn.command(['GET', key])).toString('latin1');
          return Buffer.from(raw.slice(raw.indexOf('\r\n') + 2, -2), 'latin1');
        };
        return [await get('src'), await get('dense')];
      } finally {
        conn.close();
      }
    })());
    for (let i = 0; i < 300; i++) {
      const base = Buffer.from(sparse[i % 2]);
      const edits = 1 + random(8);
      for (let e = 0; e < edits; e++) base[16 + random(base.length - 16)] = random(256);
      if (i % 7 === 0) base[4] = random(3);
      if (i % 11 === 0) base[15] = 0;
      const hll = i % 13 === 0 ? base.subarray(0, 16 + random(base.length - 16)) : base;
      const key = `c${i}`;
      commands.push(['SET', key, hll], ['PFCOUNT', key], ['PFADD', key, `e${i}`, `f${i}`], ['PFCOUNT', key], ['PFCOUNT', key, 'c0'], ['PFMERGE', `m${i}`, key], ['GET', key]);
      // GETREG answers 16384 integers: a sample of keys is enough.
      if (i % 20 === 0) commands.push(['PFDEBUG', 'GETREG', key], ['PFDEBUG', 'DECODE', key]);
    }
    commands.push(['SET', 'magic', 'HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'], ['PFCOUNT', 'magic'], ['SET', 'short', 'HYLL'], ['PFADD', 'short', 'a'], ['SET', 'enc', 'HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'], ['PFCOUNT', 'enc']);
    commands.push(['SET', 'densewrong', Buffer.concat([Buffer.from('HYLL\x00'), Buffer.alloc(100)])], ['PFCOUNT', 'densewrong'], ['PING']);
    const [redis, redix] = await both((conn) => pipeline(conn, commands));
    for (let i = 0; i < redis.length; i++) expect(redix[i], `reply ${i} to ${commands[i].slice(0, 2).join(' ')}`).toBe(redis[i]);
  }, 120_000);
});
