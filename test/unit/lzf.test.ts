import { describe, expect, it } from 'vitest';
import { LzfError, lzfCompress, lzfDecompress } from '../../src/persistence/lzf';

/**
 * Worst case, incompressible data grows by one control byte per 32 literals; liblzf also wants
 * 3 bytes of room before it copies the last literals.
 */
function compress(input: Buffer, maxOut = input.length + Math.ceil(input.length / 32) + 3): Buffer | null {
  const out = Buffer.alloc(Math.max(maxOut, 1));
  const n = lzfCompress(input, 0, input.length, out, maxOut);
  return n === 0 ? null : out.subarray(0, n);
}

function roundTrip(input: Buffer): void {
  const packed = compress(input);
  expect(packed).not.toBeNull();
  expect(lzfDecompress(packed!, 0, packed!.length, input.length).equals(input)).toBe(true);
}

describe('LZF', () => {
  it('round-trips repetitive, random and mixed data of many sizes', () => {
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (const size of [1, 2, 3, 4, 31, 32, 33, 100, 263, 264, 265, 1000, 8191, 8192, 8193, 70_000]) {
      roundTrip(Buffer.alloc(size, 'a'));
      roundTrip(Buffer.from(Array.from({ length: size }, rand)));
      roundTrip(Buffer.from(Array.from({ length: size }, (_, i) => (i % 97 < 50 ? 65 + (i % 7) : rand()))));
    }
  });

  it('compresses long repeats into little', () => {
    const packed = compress(Buffer.alloc(100_000, 'x'));
    expect(packed!.length).toBeLessThan(1200);
  });

  it('gives up (0) when the result would not fit in maxOut, as Redis needs for its 4-byte saving rule', () => {
    const random = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 89 + 13) % 251));
    expect(compress(random, random.length - 4)).toBeNull();
  });

  it('reads what Redis 7.0 wrote (strings from DUMP payloads)', () => {
    // SET lz ('abcabcabc' * 12 + 'xyz' * 10): the LZF blob of its DUMP, after \xc3, lengths 0x12 and 0x408a.
    const blob = Buffer.from([0x03, ...Buffer.from('abca'), 0xe0, 0x5f, 0x02, 0x02, ...Buffer.from('xyz'), 0xe0, 0x10, 0x02, 0x01, ...Buffer.from('yz')]);
    expect(lzfDecompress(blob, 0, blob.length, 138).toString()).toBe('abcabcabc'.repeat(12) + 'xyz'.repeat(10));
    // SET lz2 ('x' * 1000)
    const xs = Buffer.from([0x01, 0x78, 0x78, 0xe0, 0xff, 0x00, 0xe0, 0xff, 0x00, 0xe0, 0xff, 0x00, 0xe0, 0xc3, 0x00, 0x01, 0x78, 0x78]);
    expect(lzfDecompress(xs, 0, xs.length, 1000).toString()).toBe('x'.repeat(1000));
  });

  it('refuses malformed data with LzfError', () => {
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 0, 2, 6)).toThrow(LzfError); // literal past the input
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x05]), 0, 4, 4)).toThrow(LzfError); // reference before the start
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 0, 2, 5)).toThrow(LzfError); // too short
    expect(() => lzfDecompress(Buffer.from([0x02, 0x61, 0x62, 0x63]), 0, 4, 2)).toThrow(LzfError); // too long
  });
});
