/**
 * MurmurHash64A (Austin Appleby's 64-bit MurmurHash2), the hash Redis's HyperLogLog uses, with
 * 64-bit words kept as two unsigned 32-bit halves so no BigInt is involved on the PFADD path.
 * Input words are read little endian, as Redis reads them on every platform.
 */

/** m = 0xc6a4a7935bd1e995 */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** Result of mul64 (hi, lo), kept in module fields to avoid allocating a pair per call. */
let rHi = 0;
let rLo = 0;

/** (aHi:aLo * bHi:bLo) mod 2^64 into rHi:rLo, from 16-bit limbs so every product stays exact. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a48 = aHi >>> 16;
  const a32 = aHi & 0xffff;
  const a16 = aLo >>> 16;
  const a00 = aLo & 0xffff;
  const b48 = bHi >>> 16;
  const b32 = bHi & 0xffff;
  const b16 = bLo >>> 16;
  const b00 = bLo & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  rHi = ((c48 << 16) | c32) >>> 0;
  rLo = ((c16 << 16) | c00) >>> 0;
}

/** High and low halves of the last murmurHash64A result. */
export const hashOut = { hi: 0, lo: 0 };

/** MurmurHash64A of data[start, start + len) with a 32-bit seed, into hashOut. */
export function murmurHash64A(data: Buffer, start: number, len: number, seed: number): void {
  mul64(0, len >>> 0, M_HI, M_LO);
  // The length can exceed 32 bits only in theory (a bulk string is at most 512 MB).
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;
  const blocks = start + (len - (len & 7));
  let p = start;
  for (; p < blocks; p += 8) {
    const kLo = (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
    const kHi = (data[p + 4] | (data[p + 5] << 8) | (data[p + 6] << 16) | (data[p + 7] << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    // k ^= k >> 47
    let k1Hi = rHi;
    let k1Lo = (rLo ^ (rHi >>> 15)) >>> 0;
    mul64(k1Hi, k1Lo, M_HI, M_LO);
    k1Hi = rHi;
    k1Lo = rLo;
    hHi = (hHi ^ k1Hi) >>> 0;
    hLo = (hLo ^ k1Lo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  const tail = len & 7;
  if (tail > 0) {
    for (let i = tail - 1; i >= 0; i--) {
      const byte = data[p + i];
      if (i >= 4) hHi = (hHi ^ (byte << (8 * (i - 4)))) >>> 0;
      else hLo = (hLo ^ (byte << (8 * i))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = rHi;
  hLo = (rLo ^ (rHi >>> 15)) >>> 0;
  hashOut.hi = hHi;
  hashOut.lo = hLo;
}
