import { describe, expect, it } from 'vitest';
import { RDB_TYPE } from 'redix-server';
import { RdbBufferReader, RdbBufferWriter, encodeListpack } from '../../src/api/persistence';
import { readZsetRdb, writeZsetRdb } from '../../plugins/zsets/zset-rdb-codec';
import { zsetDataType } from '../../plugins/zsets/zset-type';
import { ZSetValue } from '../../plugins/zsets/zset-value';

function payload(items: (string | number)[]): RdbBufferReader {
  const w = new RdbBufferWriter({ compression: false });
  w.writeString(encodeListpack(items));
  return new RdbBufferReader(w.take());
}

function built(pairs: [string, number][]): ZSetValue {
  const z = new ZSetValue();
  for (const [m, s] of pairs) z.insertNew(m, s);
  return z;
}

const PAIRS: [string, number][] = [['a', -2.5], ['b', 0], ['c', 1.5], ['d', 3], ['e', 2 ** 40], ['f', 1e300]];
const ITEMS = PAIRS.flatMap(([m, s]) => [m, Number.isInteger(s) && Math.abs(s) < 2 ** 53 ? s : String(s)]);

describe('a listpack sorted set loaded packed, expanded on first use', () => {
  it('answers size and memory usage before expanding, and the same afterwards', () => {
    const loaded = readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(ITEMS));
    const reference = built(PAIRS);
    expect(loaded.size).toBe(6);
    expect(zsetDataType.memoryUsage(loaded)).toBe(zsetDataType.memoryUsage(reference));
    const copy = zsetDataType.clone(loaded);
    expect([...loaded.members()]).toEqual([...reference.members()]);
    expect(loaded.score('e')).toBe(2 ** 40);
    expect(loaded.score('f')).toBe(1e300);
    expect(zsetDataType.memoryUsage(loaded)).toBe(zsetDataType.memoryUsage(reference));
    // The clone shares the packed items, not the expanded state: changing one leaves the other.
    loaded.set('a', 100);
    loaded.remove('b');
    expect(copy.size).toBe(6);
    expect(copy.score('a')).toBe(-2.5);
    expect(copy.score('b')).toBe(0);
    expect(loaded.list.rankOfNode(loaded.dict.get('a')!)).toBe(3); // c, d, a, e, f
  });

  it('writes the same RDB payload as a set built by commands, expanded or not', () => {
    const out = (z: ZSetValue) => {
      const w = new RdbBufferWriter({ compression: false });
      expect(writeZsetRdb(z, w)).toBe(RDB_TYPE.ZSET_LISTPACK);
      return w.take();
    };
    expect(out(readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(ITEMS)))).toEqual(out(built(PAIRS)));
  });

  it('refuses what the expanded load refused: odd counts, repeated members, NaN scores', () => {
    expect(() => readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(['a', 1, 'b']))).toThrow('odd number of entries (3)');
    expect(() => readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(['a', 1, 'b', 2, 'a', 3]))).toThrow("duplicate zset member 'a'");
    expect(() => readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(['a', 1, 'b', 'nan']))).toThrow("NaN score for 'b'");
    expect(() => readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(['a', 'x1']))).toThrow("NaN score for 'a'");
    // A member may look like a score; equal scores are fine.
    expect(readZsetRdb(RDB_TYPE.ZSET_LISTPACK, payload(['1.5', 1, 'nan', 1])).size).toBe(2);
  });
});
