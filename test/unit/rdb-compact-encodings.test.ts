import { describe, expect, it } from 'vitest';
import { RDB_TYPE } from '../../src/index';
import {
  CompactEncodingError, RdbBufferReader, RdbBufferWriter, decodeIntset, decodeListpack, decodeZiplist, decodeZipmap,
} from '../../src/api/persistence';
import { readHashRdb, writeHashRdb } from '../../plugins/hashes/hash-rdb-codec';
import { HashValue } from '../../plugins/hashes/hash-value';

// Small encoders written from the format descriptions, to build test blobs with every encoding.

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function intLE(n: bigint, bytes: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(bytes * 8, n);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

type Item = string | bigint;

function listpackEntry(item: Item): number[] {
  let body: number[];
  if (typeof item === 'bigint') {
    const v = item;
    if (v >= 0n && v <= 127n) body = [Number(v)];
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(BigInt.asUintN(13, v));
      body = [0xc0 | (u >> 8), u & 0xff];
    } else if (v >= -32768n && v <= 32767n) body = [0xf1, ...intLE(v, 2)];
    else if (v >= -8388608n && v <= 8388607n) body = [0xf2, ...intLE(v, 3)];
    else if (v >= -2147483648n && v <= 2147483647n) body = [0xf3, ...intLE(v, 4)];
    else body = [0xf4, ...intLE(v, 8)];
  } else {
    const bytes = [...Buffer.from(item, 'latin1')];
    if (bytes.length < 64) body = [0x80 | bytes.length, ...bytes];
    else if (bytes.length < 4096) body = [0xe0 | (bytes.length >> 8), bytes.length & 0xff, ...bytes];
    else body = [0xf0, ...u32le(bytes.length), ...bytes];
  }
  const l = body.length;
  const back = l <= 127 ? [l] : l < 16383 ? [l >> 7, (l & 127) | 128] : l < 2097151 ? [l >> 14, ((l >> 7) & 127) | 128, (l & 127) | 128] : [l >> 21, ((l >> 14) & 127) | 128, ((l >> 7) & 127) | 128, (l & 127) | 128];
  return [...body, ...back];
}

function listpack(items: Item[]): Buffer {
  const entries = items.flatMap(listpackEntry);
  const total = 6 + entries.length + 1;
  return Buffer.from([...u32le(total), items.length & 0xff, items.length >> 8, ...entries, 0xff]);
}

function ziplist(items: Item[]): Buffer {
  const entries: number[] = [];
  let prev = 0;
  let tail = 10;
  for (const item of items) {
    const start = entries.length;
    tail = 10 + start;
    const prevlen = prev < 254 ? [prev] : [0xfe, ...u32le(prev)];
    let body: number[];
    if (typeof item === 'bigint') {
      const v = item;
      if (v >= 0n && v <= 12n) body = [0xf1 + Number(v)];
      else if (v >= -128n && v <= 127n) body = [0xfe, ...intLE(v, 1)];
      else if (v >= -32768n && v <= 32767n) body = [0xc0, ...intLE(v, 2)];
      else if (v >= -8388608n && v <= 8388607n) body = [0xf0, ...intLE(v, 3)];
      else if (v >= -2147483648n && v <= 2147483647n) body = [0xd0, ...intLE(v, 4)];
      else body = [0xe0, ...intLE(v, 8)];
    } else {
      const bytes = [...Buffer.from(item, 'latin1')];
      const n = bytes.length;
      if (n < 64) body = [n, ...bytes];
      else if (n < 16384) body = [0x40 | (n >> 8), n & 0xff, ...bytes];
      else body = [0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...bytes];
    }
    entries.push(...prevlen, ...body);
    prev = entries.length - start;
  }
  const total = 10 + entries.length + 1;
  return Buffer.from([...u32le(total), ...u32le(tail), items.length & 0xff, items.length >> 8, ...entries, 0xff]);
}

const MIXED: Item[] = [
  'field', 'value', '', 0n, 12n, 13n, 127n, 128n, -1n, -128n, 4095n, -4096n, 4096n, 32767n, -32768n, 32768n,
  8388607n, -8388608n, 8388608n, 2147483647n, -2147483648n, 2147483648n, 9223372036854775807n, -9223372036854775808n,
  'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), 'v'.repeat(20000), '\x00\xff\r\n',
];
const MIXED_TEXT = MIXED.map(String);

describe('listpack', () => {
  it('decodes a listpack Redis 7.0 wrote (HSET h a 1 b 2; DUMP h)', () => {
    const blob = Buffer.from('11000000040081610201018162020201ff', 'hex');
    expect(decodeListpack(blob)).toEqual(['a', '1', 'b', '2']);
  });

  it('decodes every entry encoding', () => {
    expect(decodeListpack(listpack(MIXED))).toEqual(MIXED_TEXT);
  });

  it('accepts the "unknown count" header (65535)', () => {
    const blob = listpack(['a', 'b']);
    blob.writeUInt16LE(0xffff, 4);
    expect(decodeListpack(blob)).toEqual(['a', 'b']);
  });

  it('refuses corrupt listpacks with a position', () => {
    const good = listpack(['abc', 5n, 'def']);
    const wrongTotal = Buffer.from(good);
    wrongTotal.writeUInt32LE(good.length + 1, 0);
    const noEnd = Buffer.from(good);
    noEnd[noEnd.length - 1] = 0;
    const badBacklen = Buffer.from(good);
    badBacklen[6 + 4] = 9; // backlen of the first entry
    const badCount = Buffer.from(good);
    badCount.writeUInt16LE(2, 4);
    const overrun = Buffer.from(good);
    overrun[6] = 0x80 | 40;
    for (const blob of [wrongTotal, noEnd, badBacklen, badCount, overrun, good.subarray(0, 5)]) {
      expect(() => decodeListpack(blob)).toThrow(CompactEncodingError);
    }
  });
});

describe('ziplist', () => {
  it('decodes the example from the ziplist description ("2", "5")', () => {
    expect(decodeZiplist(Buffer.from('0f0000000c0000000200' + '00f3' + '02f6' + 'ff', 'hex'))).toEqual(['2', '5']);
  });

  it('decodes every entry encoding, including 5-byte previous-entry lengths', () => {
    expect(decodeZiplist(ziplist(MIXED))).toEqual(MIXED_TEXT);
  });

  it('refuses corrupt ziplists', () => {
    const good = ziplist(['abc', 300n, 'def']);
    const badPrev = Buffer.from(good);
    badPrev[10 + 5] = 7; // prevlen of the second entry (the first is 5 bytes)
    const badTail = Buffer.from(good);
    badTail.writeUInt32LE(10, 4);
    const badEnc = Buffer.from(good);
    badEnc[11] = 0xc8;
    for (const blob of [badPrev, badTail, badEnc, good.subarray(0, good.length - 1), Buffer.alloc(4)]) {
      expect(() => decodeZiplist(blob)).toThrow(CompactEncodingError);
    }
  });
});

describe('zipmap', () => {
  it('decodes the example from the zipmap description', () => {
    const blob = Buffer.from('\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff', 'latin1');
    expect(decodeZipmap(blob)).toEqual(['foo', 'bar', 'hello', 'world']);
  });

  it('skips free bytes after values and reads 5-byte lengths', () => {
    const long = 'L'.repeat(300);
    const blob = Buffer.concat([
      Buffer.from('\x02\x01a\x02\x03xy???', 'latin1'),
      Buffer.from([0x01, 0x62, 0xfe, ...u32le(300), 0x00]),
      Buffer.from(long, 'latin1'),
      Buffer.from([0xff]),
    ]);
    expect(decodeZipmap(blob)).toEqual(['a', 'xy', 'b', long]);
  });

  it('refuses corrupt zipmaps', () => {
    expect(() => decodeZipmap(Buffer.from('\x01\x03foo\x03\x00ba', 'latin1'))).toThrow(CompactEncodingError);
    expect(() => decodeZipmap(Buffer.from('\x05\x01a\x01\x00b\xff', 'latin1'))).toThrow(/counts 5 pairs/);
  });
});

describe('intset', () => {
  it('decodes 16, 32 and 64-bit intsets and refuses unsorted ones', () => {
    const make = (size: number, values: bigint[]) => Buffer.from([...u32le(size), ...u32le(values.length), ...values.flatMap((v) => intLE(v, size))]);
    expect(decodeIntset(make(2, [-5n, 1n, 300n]))).toEqual(['-5', '1', '300']);
    expect(decodeIntset(make(4, [-70000n, 70000n]))).toEqual(['-70000', '70000']);
    expect(decodeIntset(make(8, [-(2n ** 40n), 2n ** 62n]))).toEqual([String(-(2n ** 40n)), String(2n ** 62n)]);
    expect(() => decodeIntset(make(2, [3n, 1n]))).toThrow(CompactEncodingError);
    expect(() => decodeIntset(make(3, [1n]))).toThrow(CompactEncodingError);
  });
});

describe('hash RDB codec', () => {
  function blobPayload(blob: Buffer): RdbBufferReader {
    const w = new RdbBufferWriter();
    w.writeString(blob);
    return new RdbBufferReader(w.take());
  }

  it('reads hashes as listpack, ziplist, zipmap and hash table', () => {
    const fields = ['f1', 'v1', 'num', '42', 'neg', '-7', 'big', '123456789012'];
    const items = fields.map((f) => (/^-?\d+$/.test(f) ? BigInt(f) : f));
    for (const [type, reader] of [
      [RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(items))],
      [RDB_TYPE.HASH_ZIPLIST, blobPayload(ziplist(items))],
      [RDB_TYPE.HASH_ZIPMAP, blobPayload(Buffer.from('\x04\x02f1\x02\x00v1\x03num\x02\x0042\x03neg\x02\x00-7\x03big\x0c\x00123456789012\xff', 'latin1'))],
    ] as const) {
      const hash = readHashRdb(type, reader);
      expect([...hash.entries()].flat(), String(type)).toEqual(fields);
    }
    const h = new HashValue();
    for (let i = 0; i < fields.length; i += 2) h.set(fields[i], fields[i + 1], 128, 64);
    const w = new RdbBufferWriter();
    // A listpack-encoded hash is saved as Redis 7.0 saves it: its listpack, integers as integers.
    expect(writeHashRdb(h, w)).toBe(RDB_TYPE.HASH_LISTPACK);
    const saved = w.take();
    const expected = new RdbBufferWriter();
    expected.writeString(listpack(items));
    expect(saved).toEqual(expected.take());
    const back = readHashRdb(RDB_TYPE.HASH_LISTPACK, new RdbBufferReader(saved));
    expect([...back.entries()].flat()).toEqual(fields);
    expect(back.isListpack).toBe(true);
    h.convert();
    const table = new RdbBufferWriter();
    expect(writeHashRdb(h, table)).toBe(RDB_TYPE.HASH);
    expect([...readHashRdb(RDB_TYPE.HASH, new RdbBufferReader(table.take())).entries()].flat()).toEqual(fields);
  });

  it('chooses the encoding of a loaded hash as rdb.c does', () => {
    const plain = (pairs: string[]): RdbBufferReader => {
      const w = new RdbBufferWriter();
      w.writeLength(pairs.length / 2);
      for (const s of pairs) w.writeString(s);
      return new RdbBufferReader(w.take());
    };
    const many = Array.from({ length: 129 }, (_, i) => [`f${i}`, 'v']).flat();
    expect(readHashRdb(RDB_TYPE.HASH, plain(many)).isListpack).toBe(false);
    expect(readHashRdb(RDB_TYPE.HASH, plain(many.slice(2))).isListpack).toBe(true);
    const long = ['a', '1', 'b', 'x'.repeat(65), 'c', '3'];
    const fromPlain = readHashRdb(RDB_TYPE.HASH, plain(long));
    expect(fromPlain.isListpack).toBe(false);
    expect([...fromPlain.entries()].flat()).toEqual(long);
    // A listpack keeps long values (only the entry count converts it); a zipmap converts on both.
    expect(readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(long))).isListpack).toBe(true);
    expect(readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(many))).isListpack).toBe(false);
    expect(readHashRdb(RDB_TYPE.HASH_ZIPLIST, blobPayload(ziplist(many))).isListpack).toBe(false);
    const zipmapLong = Buffer.from(`\x01\x01a\x41\x00${'x'.repeat(65)}\xff`, 'latin1');
    expect(readHashRdb(RDB_TYPE.HASH_ZIPMAP, blobPayload(zipmapLong)).isListpack).toBe(false);
  });

  it('refuses duplicate fields and odd entry counts, as Redis does', () => {
    expect(() => readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(['a', '1', 'a', '2'])))).toThrow(/duplicate hash field/);
    expect(() => readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(['a', '1', 'b', '2', 'c', '3', 'b', '4'])))).toThrow(/duplicate hash field 'b' in listpack/);
    expect(readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(['a', 'b', 'b', 'a']))).size).toBe(2); // values may repeat fields
    expect(() => readHashRdb(RDB_TYPE.HASH_ZIPLIST, blobPayload(ziplist(['a', '1', 'b'])))).toThrow(/odd number/);
    const w = new RdbBufferWriter();
    w.writeLength(2);
    for (const s of ['a', '1', 'a', '2']) w.writeString(s);
    expect(() => readHashRdb(RDB_TYPE.HASH, new RdbBufferReader(w.take()))).toThrow(/duplicate hash field/);
    // Past the linear check's size the duplicate is found with a set.
    const many = Array.from({ length: 40 }, (_, i) => [`f${i}`, 'v']).flat();
    expect(() => readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack([...many, 'f7', 'again'])))).toThrow(/duplicate hash field 'f7'/);
    expect(readHashRdb(RDB_TYPE.HASH_LISTPACK, blobPayload(listpack(many))).size).toBe(40);
  });
});
