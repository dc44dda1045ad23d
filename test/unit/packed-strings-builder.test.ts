import { describe, expect, it } from 'vitest';
import { PackedStrings, PackedStringsBuilder, RDB_TYPE } from 'redix-server';
import { CompactEncodingError, encodeListpack, listpackDeclaredCount, walkListpack } from '../../src/api/persistence';
import { RdbBufferReader, RdbBufferWriter } from '../../src/api/persistence';
import { readHashRdb, writeHashRdb } from '../../plugins/hashes/hash-rdb-codec';
import { HashValue } from '../../plugins/hashes/hash-value';

/** Items of every listpack class: integers of each width (as decimal text), strings with 6/12/32-bit lengths, binary bytes. */
const ITEMS = [
  '0', '127', '-1', '4095', '-4096', '32767', '-32768', '8388607', '2147483648', '9223372036854775807',
  '-9223372036854775808', '-0', '007', '1.5', '', 'a', 'x'.repeat(63), 'y'.repeat(200), 'z'.repeat(5000), '\x00\xff\x80 binary',
];

describe('PackedStringsBuilder', () => {
  it('builds the same sequence as pushing the items one by one, prefixes of every width included', () => {
    const b = new PackedStringsBuilder();
    for (const item of ITEMS) b.latin1(item);
    b.integer(-123);
    b.integer(0);
    b.integer(2n ** 63n - 1n);
    b.integer(Number.MAX_SAFE_INTEGER);
    const bytes = Buffer.from('..hello..', 'latin1');
    b.bytes(bytes, 2, 7);
    b.bytes(Buffer.from('q'.repeat(100)), 0, 100);
    const expected = [...ITEMS, '-123', '0', String(2n ** 63n - 1n), String(Number.MAX_SAFE_INTEGER), 'hello', 'q'.repeat(100)];
    expect(b.size).toBe(expected.length);
    const built = b.finish();
    expect(built.toArray()).toEqual(expected);
    expect(built.byteLength).toBe(PackedStrings.from(expected).byteLength);
    expect(built.find('hello')).toBe(PackedStrings.from(expected).find('hello'));
    // finish() empties the builder for the next sequence.
    expect(b.size).toBe(0);
    b.latin1('again');
    expect(b.finish().toArray()).toEqual(['again']);
  });

  it('finds the first repeated item among every step-th one, comparing bytes', () => {
    const b = new PackedStringsBuilder();
    for (const s of ['f1', 'v', 'f2', 'v', 'f3', 'f1']) b.latin1(s);
    // Values may repeat; fields (step 2 from 0) do not: f1, f2, f3.
    expect(b.firstRepeat(0, 2)).toBe(-1);
    expect(b.firstRepeat(1, 2)).toBe(3);
    expect(b.firstRepeat(0, 1)).toBe(3);
    b.latin1('f2');
    b.latin1('x');
    expect(b.firstRepeat(0, 2)).toBe(6);
    expect(b.itemAt(6)).toBe('f2');
    b.reset();
    for (const s of ['ab', 'ba', 'abc', 'ab']) b.latin1(s);
    expect(b.firstRepeat(0, 1)).toBe(3);
  });

  it('receives a listpack walk: integers come out in decimal, as decodeListpack gives them', () => {
    const lp = encodeListpack([...ITEMS, 5, 300n, -70000, 2n ** 62n]);
    const b = new PackedStringsBuilder();
    expect(walkListpack(lp, b)).toBe(ITEMS.length + 4);
    expect(b.finish().toArray()).toEqual([...ITEMS, '5', '300', '-70000', String(2n ** 62n)]);
    expect(listpackDeclaredCount(lp)).toBe(ITEMS.length + 4);
    const bad = Buffer.from(lp);
    bad[bad.length - 2] ^= 1;
    expect(() => walkListpack(bad, new PackedStringsBuilder())).toThrow(CompactEncodingError);
  });
});

describe('loading a listpack hash straight into its packed form', () => {
  const payload = (items: string[]) => {
    const w = new RdbBufferWriter({ compression: false });
    w.writeString(encodeListpack(items));
    return new RdbBufferReader(w.take());
  };

  it('reads what writeHashRdb wrote, order and encoding kept', () => {
    const hash = new HashValue();
    for (let i = 0; i < 10; i++) hash.set(`field${i}`, i % 3 === 0 ? String(i * 1000) : `val-${i}`, 128, 64);
    const w = new RdbBufferWriter({ compression: false });
    expect(writeHashRdb(hash, w)).toBe(RDB_TYPE.HASH_LISTPACK);
    const back = readHashRdb(RDB_TYPE.HASH_LISTPACK, new RdbBufferReader(w.take()));
    expect(back.isListpack).toBe(true);
    expect([...back.entries()]).toEqual([...hash.entries()]);
    expect(back.get('field3')).toBe('3000');
  });

  it('refuses a repeated field and an odd item count with the old messages', () => {
    expect(() => readHashRdb(RDB_TYPE.HASH_LISTPACK, payload(['a', '1', 'b', '2', 'a', '3']))).toThrow("duplicate hash field 'a' in listpack");
    expect(() => readHashRdb(RDB_TYPE.HASH_LISTPACK, payload(['a', '1', 'b']))).toThrow('odd number of entries (3)');
    // Equal values are fine.
    expect(readHashRdb(RDB_TYPE.HASH_LISTPACK, payload(['a', '1', 'b', '1'])).size).toBe(2);
  });

  it('converts a listpack of more than hash-max-listpack-entries fields to a hashtable, as before', () => {
    const items = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `f${i}` : `v${i}`));
    const back = readHashRdb(RDB_TYPE.HASH_LISTPACK, payload(items));
    expect(back.isListpack).toBe(false);
    expect(back.size).toBe(150);
  });
});
