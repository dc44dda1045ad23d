import { describe, expect, it } from 'vitest';
import { IntSet, parseIntMember } from '../../plugins/sets/int-set';
import { MemberTable } from '../../plugins/sets/member-table';
import { SetValue } from '../../plugins/sets/set-value';
import { readSetRdb, writeSetRdb } from '../../plugins/sets/set-rdb-codec';
import { setDataType } from '../../plugins/sets/set-type';
import { RDB_TYPE } from '../../src/index';
import { RdbBufferReader, RdbBufferWriter } from '../../src/api/persistence';

function randomBelow(max: bigint): bigint {
  return BigInt(Math.floor(Math.random() * Number(max)));
}

describe('parseIntMember', () => {
  it('accepts what Redis stores in an intset and nothing else', () => {
    expect(parseIntMember('0')).toBe(0);
    expect(parseIntMember('-12')).toBe(-12);
    expect(parseIntMember('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseIntMember('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(parseIntMember('9007199254740991')).toBe(9007199254740991);
    for (const bad of ['', '-', '01', '-0', '+1', ' 1', '1 ', '1.0', '9223372036854775808', 'abc']) {
      expect(parseIntMember(bad), bad).toBeNull();
    }
  });
});

describe('IntSet', () => {
  it('keeps members sorted and unique across 16/32/64-bit widths', () => {
    for (let round = 0; round < 50; round++) {
      const set = new IntSet();
      const reference = new Set<bigint>();
      for (let i = 0; i < 300; i++) {
        const r = Math.random();
        let v = r < 0.4 ? randomBelow(65536n) : r < 0.8 ? randomBelow(4294967296n) : randomBelow(1n << 62n);
        if (Math.random() < 0.5) v = -v;
        const member = parseIntMember(String(v))!;
        expect(set.add(member)).toBe(!reference.has(v));
        reference.add(v);
        if (Math.random() < 0.2) {
          const drop = set.at(Math.floor(Math.random() * set.size));
          expect(set.remove(drop)).toBe(true);
          reference.delete(BigInt(drop));
        }
      }
      const expected = [...reference].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
      expect(set.members()).toEqual(expected);
    }
  });

  it('widens only as needed', () => {
    const set = new IntSet();
    set.add(1);
    expect(set.width).toBe(2);
    set.add(70000);
    expect(set.width).toBe(4);
    set.add(-5000000000);
    expect(set.width).toBe(8);
    expect(set.members()).toEqual(['-5000000000', '1', '70000']);
    expect(set.has(70000)).toBe(true);
    expect(set.has(70001)).toBe(false);
  });
});

describe('MemberTable', () => {
  it('agrees with a Set under random adds and removes', () => {
    const table = new MemberTable();
    const reference = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const m = 'm' + Math.floor(Math.random() * 300);
      if (Math.random() < 0.5) {
        expect(table.add(m)).toBe(!reference.has(m));
        reference.add(m);
      } else {
        expect(table.remove(m)).toBe(reference.delete(m));
      }
    }
    expect(table.size).toBe(reference.size);
    expect(new Set(table.members())).toEqual(reference);
  });
});

describe('SetValue', () => {
  it('converts an intset to a hashtable on a string member or past the limit, as Redis 7.0', () => {
    const set = SetValue.forFirstMember('1');
    expect(set.isIntset).toBe(true);
    for (let i = 1; i <= 4; i++) set.add(String(i), 4);
    expect(set.isIntset).toBe(true);
    set.add('5', 4);
    expect(set.isIntset).toBe(false);
    const strings = SetValue.forFirstMember('a');
    expect(strings.isIntset).toBe(false);
    const mixed = SetValue.forFirstMember('1');
    mixed.add('1', 512);
    mixed.add('x', 512);
    expect(mixed.isIntset).toBe(false);
    expect(new Set(mixed.members())).toEqual(new Set(['1', 'x']));
  });

  it('pops every member exactly once', () => {
    const set = new SetValue(true);
    const reference = new Set<string>();
    for (let i = 0; i < 800; i++) {
      const m = String(Math.random() < 0.9 ? Math.floor(Math.random() * 1e6) : 'x' + i);
      set.add(m, 512);
      reference.add(m);
    }
    while (set.size > 0) expect(reference.delete(set.popRandom())).toBe(true);
    expect(reference.size).toBe(0);
  });

  it('round-trips through RDB: intsets as type 11, hashtables as type 2', () => {
    for (const members of [['3', '-1', '70000'], ['a', 'b', '1']]) {
      const set = new SetValue(members[0] !== 'a');
      for (const m of members) set.add(m, 512);
      const out = new RdbBufferWriter();
      const type = writeSetRdb(set, out);
      expect(type).toBe(set.isIntset ? RDB_TYPE.SET_INTSET : RDB_TYPE.SET);
      const back = readSetRdb(type, new RdbBufferReader(out.take()));
      expect(back.isIntset).toBe(set.isIntset);
      expect(new Set(back.members())).toEqual(new Set(members));
    }
  });
});

describe('setDataType.rewrite (AOF rewrite)', () => {
  it('emits SADD batches of at most 64 members, intsets in ascending order', () => {
    const set = new SetValue(true);
    for (let i = 150; i > 0; i--) set.add(String(i), 512);
    const emitted: (string | Buffer)[][] = [];
    setDataType.rewrite('k', set, (argv) => emitted.push(argv));
    expect(emitted.map((argv) => argv.length - 2)).toEqual([64, 64, 22]);
    expect(emitted.every((argv) => argv[0] === 'SADD' && argv[1] === 'k')).toBe(true);
    expect(emitted.flatMap((argv) => argv.slice(2))).toEqual(Array.from({ length: 150 }, (_, i) => String(i + 1)));
  });
});

describe('IntSet.fromIntsetBytes (loading an intset payload)', () => {
  const blob = (width: number, values: bigint[]) => {
    const b = Buffer.alloc(8 + width * values.length);
    b.writeUInt32LE(width, 0);
    b.writeUInt32LE(values.length, 4);
    values.forEach((v, i) => (width === 8 ? b.writeBigInt64LE(v, 8 + i * 8) : b.writeIntLE(Number(v), 8 + i * width, width)));
    return b;
  };

  it('takes the elements at the narrowest width, as adding them one by one would', () => {
    for (const [width, values] of [[2, [-5n, 0n, 7n]], [4, [1n, 40000n]], [8, [1n, 2n]], [8, [-(2n ** 60n), 3n, 2n ** 62n]], [4, [-3n, -2n]]] as const) {
      const loaded = IntSet.fromIntsetBytes(blob(width, [...values]), 8, values.length, width)!;
      const added = new IntSet();
      for (const v of values) added.add(Number.isSafeInteger(Number(v)) ? Number(v) : v);
      expect(loaded.members()).toEqual(added.members());
      expect(loaded.width).toBe(added.width);
      expect(loaded.has(Number(values[0]))).toBe(Number.isSafeInteger(Number(values[0])) ? true : loaded.has(values[0]));
    }
  });

  it('refuses elements out of order or repeated (readSetRdb answers a format error)', () => {
    expect(IntSet.fromIntsetBytes(blob(2, [1n, 1n]), 8, 2, 2)).toBeNull();
    expect(IntSet.fromIntsetBytes(blob(8, [5n, 2n]), 8, 2, 8)).toBeNull();
    const w = new RdbBufferWriter({ compression: false });
    w.writeString(blob(2, [3n, 2n]));
    expect(() => readSetRdb(RDB_TYPE.SET_INTSET, new RdbBufferReader(w.take()))).toThrow('sorted and unique');
    const ok = new RdbBufferWriter({ compression: false });
    ok.writeString(blob(4, [-70000n, 2n, 70000n]));
    const set = readSetRdb(RDB_TYPE.SET_INTSET, new RdbBufferReader(ok.take()));
    expect(set.isIntset).toBe(true);
    expect(set.ints!.members()).toEqual(['-70000', '2', '70000']);
  });
});
