import { describe, expect, it } from 'vitest';
import { RdbFormatError, DataTypeRegistry } from '../../src/index';
import { RdbBufferReader, RdbBufferWriter, createDumpPayload } from '../../src/api/persistence';
import { integerValueOf } from '../../src/persistence/rdb-buffer-writer';
import { STRING_TYPE } from '../../plugins/strings/string-type';

/** Bytes of a redis-cli --no-raw reply like "\x00\x05hello\n\x00..." (without the quotes). */
function cliBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const n = text[++i];
    if (n === 'x') {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push({ n: 10, r: 13, t: 9, a: 7, b: 8, '"': 34, '\\': 92 }[n] ?? n.charCodeAt(0));
    }
  }
  return Buffer.from(out);
}

function written(fn: (w: RdbBufferWriter) => void, compression = true): Buffer {
  const w = new RdbBufferWriter({ compression });
  fn(w);
  return w.take();
}

describe('RDB lengths', () => {
  const cases: [number, string][] = [
    [0, '00'], [63, '3f'], [64, '4040'], [16383, '7fff'], [16384, '8000004000'],
    [0xffffffff, '80ffffffff'], [2 ** 32, '810000000100000000'], [2 ** 40 + 5, '810000010000000005'],
  ];
  for (const [n, hex] of cases) {
    it(`writes and reads ${n} as ${hex}`, () => {
      const bytes = written((w) => w.writeLength(n));
      expect(bytes.toString('hex')).toBe(hex);
      expect(new RdbBufferReader(bytes).readLength()).toBe(n);
    });
  }

  it('refuses an unknown length marker with its offset', () => {
    const reader = new RdbBufferReader(Buffer.from([0x00, 0x82, 0, 0]));
    reader.readLength();
    expect(() => reader.readLength()).toThrow(RdbFormatError);
    try {
      new RdbBufferReader(Buffer.from([0x82])).readLength();
    } catch (e) {
      expect((e as RdbFormatError).offset).toBe(0);
    }
  });
});

describe('RDB strings', () => {
  it('integer-encodes exactly the strings Redis does', () => {
    const yes: [string, number][] = [['0', 0], ['-1', -1], ['127', 127], ['-128', -128], ['128', 128], ['-32768', -32768], ['32768', 32768], ['2147483647', 2147483647], ['-2147483648', -2147483648]];
    for (const [s, n] of yes) expect(integerValueOf(s)).toBe(n);
    for (const s of ['', '-', '-0', '01', '+1', ' 1', '1 ', '2147483648', '-2147483649', '1.0', '1e3', '0x10', '123456789012']) expect(integerValueOf(s)).toBeNull();
  });

  it('encodes as Redis 7.0 does in DUMP payloads (raw, int8, int16, too big for int32)', () => {
    const types = new DataTypeRegistry();
    types.register(STRING_TYPE);
    // Captured from redis-server 7.0.15 (DUMP after SET).
    const expected: [string, string][] = [
      ['hello', '\\x00\\x05hello\\n\\x00cr\\xdfve4 \\n'],
      ['123', '\\x00\\xc0{\\n\\x00H\\xe2S\\xe1\\x00zg\\xb9'],
      ['-5000', '\\x00\\xc1x\\xec\\n\\x00\\xd3]\\xcd\\x9dO\\xd3\\x9c\\x8c'],
      ['3000000000', '\\x00\\n3000000000\\n\\x00\\xe7\\akyT\\xbbyG'],
    ];
    for (const [value, dump] of expected) {
      expect(createDumpPayload(value, types, true).equals(cliBytes(dump)), value).toBe(true);
    }
  });

  it('LZF-compresses strings over 20 bytes only when that saves 4 bytes, and only when enabled', () => {
    const long = 'ab'.repeat(50);
    expect(written((w) => w.writeString(long))[0]).toBe(0xc3);
    expect(written((w) => w.writeString(long), false).subarray(0, 2).toString('hex')).toBe('4064');
    expect(written((w) => w.writeString('a'.repeat(20)))[0]).toBe(20);
    const noisy = Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 73 + 11) & 0xff));
    expect(written((w) => w.writeString(noisy))[0]).toBe(40);
  });

  it('reads back every encoding, as text and as bytes', () => {
    const values = ['', 'x', '0', '-128', '40000', '-2147483648', 'a'.repeat(70), 'xyz'.repeat(1000), '\x00\xff binary \r\n'];
    const bytes = written((w) => {
      for (const v of values) w.writeString(v);
      for (const v of values) w.writeString(Buffer.from(v, 'latin1'));
    });
    const reader = new RdbBufferReader(bytes);
    for (const v of values) expect(reader.readString()).toBe(v);
    for (const v of values) expect(reader.readStringBytes().equals(Buffer.from(v, 'latin1'))).toBe(true);
    expect(reader.done).toBe(true);
  });

  it('reports a truncated string with the offset where data ran out', () => {
    const bytes = written((w) => w.writeString('hello world'));
    const reader = new RdbBufferReader(bytes.subarray(0, 6));
    expect(() => reader.readString()).toThrow(/unexpected end of data/);
  });

  it('refuses corrupt LZF data naming it', () => {
    const bytes = Buffer.from([0xc3, 0x02, 0x05, 0x00, 0x61]);
    expect(() => new RdbBufferReader(bytes).readString()).toThrow(/invalid LZF/);
  });

  it('writes binary doubles and millisecond times little-endian', () => {
    const bytes = written((w) => {
      w.writeDouble(1.5);
      w.writeMillis(1700000000123);
    });
    expect(bytes.readDoubleLE(0)).toBe(1.5);
    const reader = new RdbBufferReader(bytes);
    expect(reader.readDouble()).toBe(1.5);
    expect(reader.readInt64()).toBe(1700000000123);
  });
});
