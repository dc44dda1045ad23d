/**
 * MurmurHash64A (Austin Appleby's 64-bit MurmurHash2), the hash Redis's HyperLogLog uses, with
 * 64-bit words kept as two unsigned 32-bit halves so no BigInt is involved on the PFADD path.
 * Input words are read little endian, as Redis reads them on every platform.
 */

/** m = 0xc6a4a7935bd1e995, and the 16-bit halves of its low word. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const ML0 = M_LO & 0xffff;
const ML1 = M_LO >>> 16;

/** The high 32 bits of the 64-bit product a * M_LO (a unsigned 32-bit), from 16-bit limbs. */
function mulHiM(a: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const t = a0 * ML0;
  const m1 = a1 * ML0 + (t >>> 16);
  const m2 = a0 * ML1 + (m1 % 65536);
  return (a1 * ML1 + Math.floor(m1 / 65536) + Math.floor(m2 / 65536)) >>> 0;
}

/** High and low halves of the last murmurHash64A result. */
export const hashOut = { hi: 0, lo: 0 };

/**
 * MurmurHash64A of data[start, start + len) with a 32-bit seed, into hashOut. Each 64-bit
 * "x *= m" is lo' = lo*M_LO mod 2^32, hi' = high(lo*M_LO) + hi*M_LO + lo*M_HI mod 2^32.
 */
export function murmurHash64A(data: Buffer, start: number, len: number, seed: number): void {
  let hLo = (Math.imul(len, M_LO) ^ seed) >>> 0;
  let hHi = (mulHiM(len) + Math.imul(len, M_HI)) >>> 0;
  const blocks = start + (len - (len & 7));
  let p = start;
  for (; p < blocks; p += 8) {
    let kLo = (data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24)) >>> 0;
    let kHi = (data[p + 4] | (data[p + 5] << 8) | (data[p + 6] << 16) | (data[p + 7] << 24)) >>> 0;
    // k *= m; k ^= k >> 47; k *= m
    let lo = Math.imul(kLo, M_LO) >>> 0;
    const hi = (mulHiM(kLo) + Math.imul(kHi, M_LO) + Math.imul(kLo, M_HI)) >>> 0;
    lo = (lo ^ (hi >>> 15)) >>> 0;
    kLo = Math.imul(lo, M_LO) >>> 0;
    kHi = (mulHiM(lo) + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
    // h ^= k; h *= m
    hLo = (hLo ^ kLo) >>> 0;
    hHi = (hHi ^ kHi) >>> 0;
    lo = Math.imul(hLo, M_LO) >>> 0;
    hHi = (mulHiM(hLo) + Math.imul(hHi, M_LO) + Math.imul(hLo, M_HI)) >>> 0;
    hLo = lo;
  }
  const tail = len & 7;
  if (tail > 0) {
    for (let i = tail - 1; i >= 0; i--) {
      const byte = data[p + i];
      if (i >= 4) hHi = (hHi ^ (byte << (8 * (i - 4)))) >>> 0;
      else hLo = (hLo ^ (byte << (8 * i))) >>> 0;
    }
    const lo = Math.imul(hLo, M_LO) >>> 0;
    hHi = (mulHiM(hLo) + Math.imul(hHi, M_LO) + Math.imul(hLo, M_HI)) >>> 0;
    hLo = lo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  const lo = Math.imul(hLo, M_LO) >>> 0;
  hHi = (mulHiM(hLo) + Math.imul(hHi, M_LO) + Math.imul(hLo, M_HI)) >>> 0;
  hashOut.hi = hHi;
  hashOut.lo = (lo ^ (hHi >>> 15)) >>> 0;
}
