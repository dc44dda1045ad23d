import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashOut, murmurHash64A } from '../../plugins/hyperloglog/murmur-hash';
import { HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, denseGet, denseSet, patternOf } from '../../plugins/hyperloglog/hll-layout';

/** MurmurHash64A written the obvious way, in BigInt, as the reference. */
function reference(data: Buffer, seed: number): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  let h = (BigInt(seed) ^ (BigInt(data.length) * m)) & mask;
  let p = 0;
  for (; p + 8 <= data.length; p += 8) {
    let k = (data.readBigUInt64LE(p) * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h = ((h ^ k) * m) & mask;
  }
  const tail = data.length & 7;
  if (tail > 0) {
    for (let i = tail - 1; i >= 0; i--) h ^= BigInt(data[p + i]) << BigInt(8 * i);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  return h ^ (h >> 47n);
}

describe('HyperLogLog hashing and registers', () => {
  it('MurmurHash64A in 32-bit halves equals the 64-bit reference for lengths 0..70', () => {
    for (let n = 0; n < 3000; n++) {
      const data = randomBytes(n % 71);
      const seed = n % 3 === 0 ? 0xadc83b19 : (n * 2654435761) >>> 0;
      murmurHash64A(data, 0, data.length, seed);
      expect((BigInt(hashOut.hi) << 32n) | BigInt(hashOut.lo)).toBe(reference(data, seed));
    }
  });

  it('hashes a slice of a larger buffer the same as a copy', () => {
    const big = randomBytes(100);
    murmurHash64A(big, 13, 29, 0xadc83b19);
    expect((BigInt(hashOut.hi) << 32n) | BigInt(hashOut.lo)).toBe(reference(Buffer.from(big.subarray(13, 42)), 0xadc83b19));
  });

  it('patternOf gives the register (low 14 bits) and the run of zeros plus one (1..51)', () => {
    for (let n = 0; n < 500; n++) {
      const data = randomBytes(1 + (n % 20));
      const h = reference(data, 0xadc83b19);
      const rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while (((rest >> BigInt(count - 1)) & 1n) === 0n) count++;
      expect(patternOf(data, 0, data.length)).toBe(count * HLL_REGISTERS + Number(h & 16383n));
    }
  });

  it('dense registers keep their 6-bit values without touching their neighbours', () => {
    const dense = Buffer.alloc(HLL_DENSE_SIZE);
    const expected = new Uint8Array(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      expected[i] = (i * 37) & 63;
      denseSet(dense, HLL_HDR_SIZE, i, expected[i]);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) expect(denseGet(dense, HLL_HDR_SIZE, i)).toBe(expected[i]);
    expect(dense.subarray(0, HLL_HDR_SIZE).every((b) => b === 0)).toBe(true);
  });
});
