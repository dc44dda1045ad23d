import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/index';
import { CORE_OPTIONS } from '../../src/config/core-options';
import { RdbBufferWriter } from '../../src/persistence/rdb-buffer-writer';
import { RdbBufferReader } from '../../src/persistence/rdb-reader';
import { HashValue } from '../../plugins/hashes/hash-value';
import { hashDataType } from '../../plugins/hashes/hash-type';
import { RawConnection } from '../helpers/raw-connection';
import { usePropagationHarness } from '../helpers/propagation';
import { parseReply, type RespNode } from '../helpers/resp-tree';
import { hasRedisServer } from '../helpers/redis-server';
import { useRedisAndRedix } from '../helpers/server-pair';

/** Bulk strings of a flat array reply (nested arrays flattened). */
function strings(node: RespNode): string[] {
  if (node.children === null) {
    const raw = node.raw.toString('latin1');
    const header = raw.indexOf('\r\n');
    return [raw.slice(header + 2, raw.length - 2)];
  }
  return node.children.flatMap(strings);
}

function hashOf(entries: [string, string][]): HashValue {
  const hash = new HashValue();
  for (const [f, v] of entries) hash.set(f, v, 128, 64);
  return hash;
}

describe('hashes: commands on a running server', () => {
  const h = usePropagationHarness();
  const run = h.run;

  it('publishes HINCRBYFLOAT as HSET of the result, other writes as sent, no-ops not at all', async () => {
    const out = await run(
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HINCRBYFLOAT', 'h', 'a', '0.1'],
      ['HINCRBYFLOAT', 'h', 'a', '0.2'],
      ['HINCRBYFLOAT', 'h', 'b', 'abc'],
      ['HINCRBY', 'h', 'b', '5'],
      ['HSETNX', 'h', 'a', 'x'],
      ['HDEL', 'h', 'nosuch'],
      ['HDEL', 'h', 'a', 'b'],
      ['HGET', 'h', 'a'],
    );
    expect(out).toEqual([
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSET', 'h', 'a', '1.1'],
      ['HSET', 'h', 'a', '1.3'],
      ['HINCRBY', 'h', 'b', '5'],
      ['HDEL', 'h', 'a', 'b'],
    ]);
  });

  it('holds thousands of fields and replies with all of them', async () => {
    const n = 20_000;
    for (let start = 0; start < n; start += 1000) {
      const argv = ['HSET', 'big'];
      for (let i = start; i < start + 1000; i++) argv.push(`field:${i}`, `value:${i}`);
      await h.conn.command(argv);
    }
    expect((await h.conn.command(['HLEN', 'big'])).toString()).toBe(`:${n}\r\n`);
    const all = strings(parseReply(await h.conn.command(['HGETALL', 'big'])));
    expect(all).toHaveLength(2 * n);
    const map = new Map<string, string>();
    for (let i = 0; i < all.length; i += 2) map.set(all[i], all[i + 1]);
    for (let i = 0; i < n; i += 997) expect(map.get(`field:${i}`)).toBe(`value:${i}`);
    expect(strings(parseReply(await h.conn.command(['HKEYS', 'big'])))).toHaveLength(n);
    expect(strings(parseReply(await h.conn.command(['HVALS', 'big'])))).toHaveLength(n);
    expect((await h.conn.command(['OBJECT', 'ENCODING', 'big'])).toString()).toBe('$9\r\nhashtable\r\n');
    const sample = strings(parseReply(await h.conn.command(['HRANDFIELD', 'big', '50'])));
    expect(new Set(sample).size).toBe(50);
  });

  it('stores and returns multi-megabyte values byte for byte', async () => {
    const value = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 0xff;
    await h.conn.command(['HSET', 'h', 'blob', value]);
    expect((await h.conn.command(['HSTRLEN', 'h', 'blob'])).toString()).toBe(`:${value.length}\r\n`);
    const reply = await h.conn.command(['HGET', 'h', 'blob']);
    const header = `$${value.length}\r\n`;
    expect(reply.subarray(0, header.length).toString()).toBe(header);
    expect(reply.subarray(header.length, header.length + value.length).equals(value)).toBe(true);
  });

  it('HSCAN returns every field present throughout a full iteration, whatever changes meanwhile', async () => {
    const n = 3000;
    const argv = ['HSET', 'h'];
    for (let i = 0; i < n; i++) argv.push(`f${i}`, String(i));
    await h.conn.command(argv);
    const seen = new Map<string, number>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, items] = parseReply(await h.conn.command(['HSCAN', 'h', cursor, 'COUNT', '50'])).children!;
      cursor = strings(next)[0];
      const flat = strings(items);
      for (let i = 0; i < flat.length; i += 2) seen.set(flat[i], (seen.get(flat[i]) ?? 0) + 1);
      // Churn while iterating: delete the top fields, add new ones.
      round++;
      await h.conn.command(['HDEL', 'h', `f${n - round}`]);
      await h.conn.command(['HSET', 'h', `new${round}`, 'x']);
    } while (cursor !== '0');
    for (let i = 0; i < n - round; i++) expect(seen.get(`f${i}`)).toBe(1);
    expect(round).toBeGreaterThan(10);
  });

  it('HSCAN MATCH filters fields, and a small hash comes back whole', async () => {
    await h.conn.command(['HSET', 'h', 'apple', '1', 'banana', '2', 'avocado', '3']);
    const [cursor, items] = parseReply(await h.conn.command(['HSCAN', 'h', '0', 'MATCH', 'a*', 'COUNT', '1'])).children!;
    expect(strings(cursor)).toEqual(['0']);
    expect(strings(items)).toEqual(['apple', '1', 'avocado', '3']);
  });

  it('keeps the TTL of a hash changed in place', async () => {
    await run(['HSET', 'h', 'a', '1'], ['PEXPIRE', 'h', '100000'], ['HSET', 'h', 'b', '2'], ['HINCRBY', 'h', 'c', '1'], ['HDEL', 'h', 'a']);
    const ttl = Number((await h.conn.command(['PTTL', 'h'])).toString().slice(1));
    expect(ttl).toBeGreaterThan(90_000);
  });
});

describe('hashes: data type spec', () => {
  const config = new ConfigStore(CORE_OPTIONS);

  it('rewrites as HSET commands of at most 64 pairs', () => {
    const entries: [string, string][] = [];
    for (let i = 0; i < 150; i++) entries.push([`f${i}`, `v${i}`]);
    const emitted: (string | Buffer)[][] = [];
    hashDataType.rewrite('key', hashOf(entries), (argv) => emitted.push(argv));
    expect(emitted.map((argv) => argv.length)).toEqual([2 + 128, 2 + 128, 2 + 44]);
    expect(emitted[0].slice(0, 4)).toEqual(['HSET', 'key', 'f0', 'v0']);
    expect(emitted[2].slice(-2)).toEqual(['f149', 'v149']);
  });

  it('clones deeply', () => {
    const original = hashOf([['a', '1']]);
    original.convert();
    const copy = hashDataType.clone(original);
    original.set('b', '2', 128, 64);
    original.set('a', 'changed', 128, 64);
    expect([...copy.entries()]).toEqual([['a', '1']]);
    expect(copy.isListpack).toBe(false);
    const packed = hashOf([['a', '1']]);
    const packedCopy = hashDataType.clone(packed);
    packed.set('a', 'changed', 128, 64);
    packed.delete('a');
    expect([...packedCopy.entries()]).toEqual([['a', '1']]);
    expect(packedCopy.isListpack).toBe(true);
  });

  it('reports listpack within the limits, hashtable beyond them and for good', () => {
    const small = hashOf([['a', 'x'.repeat(64)]]);
    expect(hashDataType.encoding(small, config)).toBe('listpack');
    const long = hashOf([['a', 'x'.repeat(65)]]);
    expect(hashDataType.encoding(long, config)).toBe('hashtable');
    long.set('a', 'short', 128, 64);
    expect(hashDataType.encoding(long, config)).toBe('hashtable');
    const many = hashOf(Array.from({ length: 513 }, (_, i): [string, string] => [`f${i}`, 'v']));
    expect(hashDataType.encoding(many, config)).toBe('hashtable');
  });

  it('round-trips through its RDB codec, binary safe', () => {
    const hash = hashOf([['a', '1'], ['\x00\xff', 'x'.repeat(1000)], ['', ''], ['n', '-12345']]);
    const out = new RdbBufferWriter();
    expect(hashDataType.writeRdb(hash, out)).toBe(4);
    const back = hashDataType.readRdb(4, new RdbBufferReader(out.take()));
    expect([...back.entries()]).toEqual([...hash.entries()]);
    expect(hashDataType.owns(back)).toBe(true);
    expect(hashDataType.owns('string')).toBe(false);
  });

  it('estimates memory growing with content', () => {
    const small = hashDataType.memoryUsage(hashOf([['a', '1']]));
    const big = hashDataType.memoryUsage(hashOf([['a', 'x'.repeat(10_000)]]));
    expect(small).toBeGreaterThan(50);
    expect(big - small).toBeGreaterThan(9_900);
    // A listpack hash is one packed string: its estimate is exact and far below a Map's.
    const pairs = Array.from({ length: 10 }, (_, i): [string, string] => [`field:${i}`, 'v'.repeat(16)]);
    const packed = hashOf(pairs);
    expect(packed.isListpack).toBe(true);
    expect(hashDataType.memoryUsage(packed)).toBe(40 + packed.packed!.memoryBytes);
    expect(packed.packed!.byteLength).toBe(10 * (1 + 7 + 1 + 16));
    const table = hashOf(pairs);
    table.convert();
    expect(hashDataType.memoryUsage(packed) * 2).toBeLessThan(hashDataType.memoryUsage(table));
  });

  it('converts to a hashtable by hashTypeSet rules, keeping every field and their order', () => {
    const hash = hashOf([['a', '1'], ['b', '2'], ['c', '3']]);
    // An update under a lowered entry limit converts too.
    expect(hash.set('a', '1', 2, 64)).toBe(false);
    expect(hash.isListpack).toBe(false);
    expect([...hash.entries()]).toEqual([['a', '1'], ['b', '2'], ['c', '3']]);
    const long = hashOf([['a', '1']]);
    expect(long.set('b', 'x'.repeat(65), 128, 64)).toBe(true);
    expect(long.isListpack).toBe(false);
    const field = hashOf([['a', '1']]);
    field.set('f'.repeat(65), '1', 128, 64);
    expect(field.isListpack).toBe(false);
    expect(field.get('a')).toBe('1');
    const kept = hashOf([['a', '1'], ['b', '2']]);
    expect(kept.delete('a')).toBe(true);
    expect(kept.delete('a')).toBe(false);
    kept.set('a', 'again', 128, 64);
    expect([...kept.entries()]).toEqual([['b', '2'], ['a', 'again']]);
    expect(kept.isListpack).toBe(true);
  });
});

describe.skipIf(!hasRedisServer)('hashes: command table matches redis-server', () => {
  const servers = useRedisAndRedix();

  const NAMES = ['hset', 'hsetnx', 'hget', 'hmset', 'hmget', 'hdel', 'hexists', 'hlen', 'hstrlen', 'hkeys', 'hvals', 'hgetall', 'hincrby', 'hincrbyfloat', 'hrandfield', 'hscan'];

  it('COMMAND INFO: name, arity, flags, key positions and ACL categories', async () => {
    const a = await RawConnection.connect(servers.redis.port);
    const b = await RawConnection.connect(servers.redix.port);
    try {
      for (const name of NAMES) {
        const [real] = parseReply(await a.command(['COMMAND', 'INFO', name])).children!;
        const ours = parseReply(await b.command(['COMMAND', 'INFO', name])).children![0];
        for (const i of [0, 1, 2, 3, 4, 5, 6]) {
          expect(ours.children![i].raw.toString('latin1'), `${name} field ${i}`).toBe(real.children![i].raw.toString('latin1'));
        }
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it('COMMAND DOCS: summary, since, group and complexity', async () => {
    const a = await RawConnection.connect(servers.redis.port);
    const b = await RawConnection.connect(servers.redix.port);
    try {
      for (const name of NAMES) {
        const pick = (node: RespNode): Record<string, string> => {
          const docs = node.children![1].children!;
          const out: Record<string, string> = {};
          for (let i = 0; i < docs.length; i += 2) {
            const key = strings(docs[i])[0];
            if (['summary', 'since', 'group', 'complexity'].includes(key)) out[key] = strings(docs[i + 1])[0];
          }
          return out;
        };
        const real = pick(parseReply(await a.command(['COMMAND', 'DOCS', name])));
        const ours = pick(parseReply(await b.command(['COMMAND', 'DOCS', name])));
        expect(ours, name).toEqual(real);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
