import { describe, expect, it } from 'vitest';
import { RawConnection } from '../helpers/raw-connection';
import { REDIS_MISSING, hasRedisServer } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';
import { lzfInputs, seededBytes } from './lzf-inputs';
import { bulk, call, pipeline } from './rdb-dataset';

type Arg = string | Buffer;

/** Runs the commands on a server and returns DUMP of each key, in order. */
async function dumps(port: number, commands: Arg[][], keys: string[]): Promise<(Buffer | null)[]> {
  const conn = await RawConnection.connect(port);
  try {
    await pipeline(conn, commands);
    const out: (Buffer | null)[] = [];
    for (const k of keys) out.push(bulk(await call(conn, ['DUMP', k])));
    return out;
  } finally {
    conn.close();
  }
}

describe.skipIf(!hasRedisServer)('LZF: DUMP payloads equal redis-server 7.0\'s byte for byte', () => {
  if (!hasRedisServer) console.warn(REDIS_MISSING);
  const servers = useRedisAndRedix();

  /** Sends the same commands to both servers and expects identical DUMPs of `keys`. */
  async function expectSameDumps(commands: Arg[][], keys: string[], names: string[] = keys): Promise<void> {
    const [theirs, ours] = await Promise.all([dumps(servers.redis.port, commands, keys), dumps(servers.redix.port, commands, keys)]);
    const differing = names.filter((_, i) => !theirs[i]!.equals(ours[i]!));
    expect(differing).toEqual([]);
  }

  /**
   * For hash-table encodings, whose iteration order is Redis's dict order (not something Redix
   * reproduces): the same commands, then each element's RDB string encoding (raw or LZF) compared
   * as a sorted list, fields with their values.
   */
  async function expectSameElements(commands: Arg[][], key: string, stringsPerElement: number): Promise<void> {
    const [[theirs], [ours]] = await Promise.all([dumps(servers.redis.port, commands, [key]), dumps(servers.redix.port, commands, [key])]);
    expect(theirs![0]).toBe(ours![0]);
    const [a, b] = [elementEncodings(theirs!, stringsPerElement), elementEncodings(ours!, stringsPerElement)];
    expect(a.filter((e) => e.includes('c3')).length).toBeGreaterThan(10); // some really are compressed
    expect(b).toEqual(a);
  }

  it('strings: every size, limit and pattern, compressed or stored raw as Redis chooses', async () => {
    const inputs = lzfInputs(true);
    const keys = inputs.map((_, i) => `lzf:s:${i}`);
    const commands: Arg[][] = inputs.map(([, v], i) => ['SET', keys[i], v]);
    await expectSameDumps(commands, keys, inputs.map(([name]) => name));
  });

  it('lists: every quicklist node (listpack) compressed as Redis compresses it', async () => {
    const commands = [...listCommands('lzf:l:text', 3000, (i) => `item-${i % 97}-${'xy'.repeat(i % 13)}`), ['RPUSH', 'lzf:l:small', 'aaaaaaaaaa', 'aaaaaaaaaa', 'bbbbbbbbbb']];
    commands.push(...listCommands('lzf:l:random', 400, (i) => rand(20 + (i % 50))));
    commands.push(['LPUSH', 'lzf:l:ints', ...Array.from({ length: 2000 }, (_, i) => String(i * 7))]);
    await expectSameDumps(commands, ['lzf:l:text', 'lzf:l:small', 'lzf:l:random', 'lzf:l:ints']);
  });

  it('lists with list-compress-depth: inner nodes saved as Redis holds them, compressed even with rdbcompression off', async () => {
    const keys: string[] = [];
    const commands: Arg[][] = [];
    for (const depth of [1, 2, 3]) {
      for (const variant of ['a', 'b']) {
        commands.push(['CONFIG', 'SET', 'list-compress-depth', String(depth)]);
        const key = `lzf:l:depth${depth}:${variant}`;
        commands.push(...listCommands(key, variant === 'a' ? 1500 : 400, (i) => (i % 3 === 0 ? rand(30) : `element ${i % 50} of the list`)));
        // A big element splits an inner node: a node of its own, the halves around it.
        commands.push(['LINSERT', key, 'AFTER', 'element 1 of the list', 'x'.repeat(9000)]);
        keys.push(key);
      }
    }
    // DUMP runs after all the commands, under these settings; each list keeps the depth it was made with.
    commands.push(['CONFIG', 'SET', 'list-compress-depth', '2'], ['CONFIG', 'SET', 'rdbcompression', 'no']);
    try {
      await expectSameDumps(commands, keys);
      await expectSameDumps([['CONFIG', 'SET', 'rdbcompression', 'yes']], keys);
    } finally {
      await expectSameDumps([['CONFIG', 'SET', 'list-compress-depth', '0'], ['CONFIG', 'SET', 'rdbcompression', 'yes']], []);
    }
  });

  it('hashes: a listpack blob, and a hash table\'s long fields and values one by one', async () => {
    const small = Array.from({ length: 60 }, (_, i) => [`field:${i}`, `value-${i % 5}-value`]).flat();
    const big = Array.from({ length: 300 }, (_, i) => [`field:${i}:${'f'.repeat(i % 30)}`, `${'value '.repeat(5 + (i % 7))}${i}`]).flat();
    const commands = [['HSET', 'lzf:h:lp', ...small], ['HSET', 'lzf:h:ht', ...big]];
    await expectSameDumps(commands, ['lzf:h:lp']);
    await expectSameElements(commands, 'lzf:h:ht', 2);
  });

  it('sets: intsets of each width, and a hash table\'s long members', async () => {
    const commands: Arg[][] = [
      ['SADD', 'lzf:set:16', ...Array.from({ length: 300 }, (_, i) => String(i * 3))],
      ['SADD', 'lzf:set:64', ...Array.from({ length: 200 }, (_, i) => String(2 ** 40 + i))],
      ['SADD', 'lzf:set:ht', ...Array.from({ length: 200 }, (_, i) => `member:${i}:${'m'.repeat(20 + (i % 40))}`)],
    ];
    await expectSameDumps(commands, ['lzf:set:16', 'lzf:set:64']);
    await expectSameElements(commands, 'lzf:set:ht', 1);
  });

  it('sorted sets: a listpack blob, and a skiplist\'s long members', async () => {
    const lp = Array.from({ length: 100 }, (_, i) => [String(i % 10), `member-${i}`]).flat();
    const sl = Array.from({ length: 300 }, (_, i) => [String(i / 4), `member:${i}:${'z'.repeat(20 + (i % 33))}`]).flat();
    await expectSameDumps([['ZADD', 'lzf:z:lp', ...lp], ['ZADD', 'lzf:z:sl', ...sl]], ['lzf:z:lp', 'lzf:z:sl']);
  });

  it('streams: each node\'s listpack, with a consumer group', async () => {
    const commands: Arg[][] = [];
    for (let i = 1; i <= 1500; i++) commands.push(['XADD', 'lzf:x', `1700000000000-${i}`, 'sensor', `s${i % 9}`, 'reading', String(i % 250), 'note', 'steady'.repeat(i % 4)]);
    // No consumers: their seen times and the PEL's delivery times are clock readings.
    commands.push(['XDEL', 'lzf:x', '1700000000000-7'], ['XGROUP', 'CREATE', 'lzf:x', 'g1', '0']);
    await expectSameDumps(commands, ['lzf:x']);
  });
});

const rand = seededBytes(7);

/**
 * The RDB string encodings (as hex) in a hash or set DUMP payload: after the type byte and the
 * element count, `per` strings per element, each a length and bytes, an integer or an LZF blob.
 */
function elementEncodings(payload: Buffer, per: number): string[] {
  let pos = 1;
  const length = (): number => {
    const b = payload[pos++];
    if (b >> 6 === 0) return b & 0x3f;
    if (b >> 6 === 1) return ((b & 0x3f) << 8) | payload[pos++];
    if (b === 0x80) return payload.readUInt32BE((pos += 4) - 4);
    throw new Error(`length byte 0x${b.toString(16)} at ${pos - 1}`);
  };
  const string = (): void => {
    const b = payload[pos];
    if (b === 0xc0 || b === 0xc1 || b === 0xc2) pos += 1 + (1 << (b - 0xc0));
    else if (b === 0xc3) {
      pos++;
      const compressed = length();
      length();
      pos += compressed;
    } else {
      const n = length(); // not `pos += length()`: that would add to the position before the read
      pos += n;
    }
  };
  const count = length();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = pos;
    for (let j = 0; j < per; j++) string();
    out.push(payload.subarray(start, pos).toString('hex'));
  }
  return out.sort();
}

/** RPUSH commands that build a list of `n` elements, 100 at a time. */
function listCommands(key: string, n: number, element: (i: number) => Arg): Arg[][] {
  const out: Arg[][] = [];
  for (let i = 0; i < n; i += 100) out.push(['RPUSH', key, ...Array.from({ length: Math.min(100, n - i) }, (_, j) => element(i + j))]);
  return out;
}
