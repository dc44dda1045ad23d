import { hashOut, murmurHash64A } from './murmur-hash';

/**
 * Redis's HyperLogLog string layout (hyperloglog.c): a 16-byte header, "HYLL", the encoding
 * byte (0 dense, 1 sparse), three zero bytes and the cached cardinality (little endian, its top
 * bit set when stale), then the registers: 16384 6-bit registers packed LSB first (dense), or
 * ZERO/XZERO/VAL run opcodes (sparse).
 */
export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_REGISTER_MAX = 63;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * 6) / 8;
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HASH_SEED = 0xadc83b19;

export const ERR_NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
export const ERR_CORRUPTED = 'INVALIDOBJ Corrupted HLL object detected';

/** True when `value` passes Redis's isHLLObjectOrReply checks (magic, encoding, dense size). */
export function isHllString(value: string): boolean {
  if (value.length < HLL_HDR_SIZE) return false;
  if (value.charCodeAt(0) !== 0x48 || value.charCodeAt(1) !== 0x59 || value.charCodeAt(2) !== 0x4c || value.charCodeAt(3) !== 0x4c) return false;
  const encoding = value.charCodeAt(4);
  if (encoding > HLL_SPARSE) return false;
  return encoding !== HLL_DENSE || value.length === HLL_DENSE_SIZE;
}

/** The cached cardinality of an HLL string, or -1 when stale (read without copying the string). */
export function cachedCardinality(value: string): number {
  if ((value.charCodeAt(15) & 0x80) !== 0) return -1;
  let card = 0;
  for (let i = 15; i >= 8; i--) card = card * 256 + value.charCodeAt(i);
  return card;
}

export function writeCardinality(buf: Buffer, card: number): void {
  let n = card;
  for (let i = 8; i < 16; i++) {
    buf[i] = n % 256;
    n = Math.floor(n / 256);
  }
}

export function invalidateCache(buf: Buffer): void {
  buf[15] |= 0x80;
}

/** Register `index` of a dense HLL read from the stored string itself (no copy). */
export function denseGetFromString(value: string, index: number): number {
  const bit = index * 6;
  const byte = HLL_HDR_SIZE + (bit >> 3);
  const fb = bit & 7;
  const b1 = byte + 1 < value.length ? value.charCodeAt(byte + 1) : 0;
  return ((value.charCodeAt(byte) >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

/** Register `index` of dense registers starting at byte `base` of buf (a missing next byte reads as 0). */
export function denseGet(buf: Buffer, base: number, index: number): number {
  const bit = index * 6;
  const byte = base + (bit >> 3);
  const fb = bit & 7;
  const b1 = byte + 1 < buf.length ? buf[byte + 1] : 0;
  return ((buf[byte] >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSet(buf: Buffer, base: number, index: number, value: number): void {
  const bit = index * 6;
  const byte = base + (bit >> 3);
  const fb = bit & 7;
  buf[byte] = (buf[byte] & ~(HLL_REGISTER_MAX << fb)) | ((value << fb) & 0xff);
  // The last register ends inside its byte: the byte after the registers is never touched.
  if (fb > 2) buf[byte + 1] = (buf[byte + 1] & ~(HLL_REGISTER_MAX >> (8 - fb))) | (value >> (8 - fb));
}

/**
 * hllPatLen: hashes the element and returns its register index plus 16384 times the length of
 * the run of zeros (counting the final 1) in the remaining 50 hash bits, at most 51.
 */
export function patternOf(data: Buffer, start: number, len: number): number {
  murmurHash64A(data, start, len, HASH_SEED);
  const index = hashOut.lo & (HLL_REGISTERS - 1);
  const lo = ((hashOut.lo >>> HLL_P) | (hashOut.hi << (32 - HLL_P))) >>> 0;
  const hi = (hashOut.hi >>> HLL_P) | (1 << (HLL_Q - 32));
  const zeros = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + 31 - Math.clz32(hi & -hi);
  return (zeros + 1) * HLL_REGISTERS + index;
}

/** An empty HLL as Redis creates it: sparse, one XZERO opcode covering all 16384 registers. */
export function emptyHll(): Buffer {
  const buf = Buffer.alloc(HLL_HDR_SIZE + 2);
  buf.write('HYLL', 0, 'latin1');
  buf[4] = HLL_SPARSE;
  buf[16] = 0x40 | ((HLL_REGISTERS - 1) >> 8);
  buf[17] = (HLL_REGISTERS - 1) & 0xff;
  return buf;
}

/** A dense HLL whose registers are the bytes of `max` (one byte per register), cache stale. */
export function denseFromRaw(header: Buffer, max: Uint8Array): Buffer {
  const buf = Buffer.alloc(HLL_DENSE_SIZE);
  header.copy(buf, 0, 0, HLL_HDR_SIZE);
  buf[4] = HLL_DENSE;
  for (let i = 0; i < HLL_REGISTERS; i++) if (max[i] !== 0) denseSet(buf, HLL_HDR_SIZE, i, max[i]);
  return buf;
}
