/**
 * Word-wise bit scans over Buffers: BITCOUNT's popcount and BITPOS's first set/clear bit. Whole
 * 32-bit words are read through an Int32Array view where the bytes are 4-aligned; the edges go
 * byte by byte.
 */

/** Set bits of each byte value. */
const BYTE_BITS = new Uint8Array(256);
for (let i = 1; i < 256; i++) BYTE_BITS[i] = (i & 1) + BYTE_BITS[i >> 1];

/** Ranges shorter than this are not worth a typed-array view. */
const WORD_SCAN_MIN = 64;

/** Set bits in a 32-bit word (SWAR). */
function wordBits(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Set bits in buf[start, end) (end exclusive). */
export function popcount(buf: Buffer, start: number, end: number): number {
  let count = 0;
  let i = start;
  if (end - start >= WORD_SCAN_MIN) {
    while (((buf.byteOffset + i) & 3) !== 0) count += BYTE_BITS[buf[i++]];
    const words = (end - i) >> 2;
    const view = new Int32Array(buf.buffer, buf.byteOffset + i, words);
    for (let w = 0; w < words; w++) count += wordBits(view[w]);
    i += words * 4;
  }
  while (i < end) count += BYTE_BITS[buf[i++]];
  return count;
}

/** Index of the first byte in buf[start, end) that is not `skip`, or end. */
function firstByteNot(buf: Buffer, start: number, end: number, skip: number): number {
  let i = start;
  if (end - start >= WORD_SCAN_MIN) {
    while (((buf.byteOffset + i) & 3) !== 0) {
      if (buf[i] !== skip) return i;
      i++;
    }
    const words = (end - i) >> 2;
    const view = new Int32Array(buf.buffer, buf.byteOffset + i, words);
    const skipWord = skip === 0 ? 0 : -1;
    let w = 0;
    while (w < words && view[w] === skipWord) w++;
    i += w * 4;
  }
  while (i < end && buf[i] === skip) i++;
  return i;
}

/**
 * Redis's redisBitpos over buf[start, start + count): the position (from `start`'s first bit,
 * most significant first) of the first bit equal to `bit`. Not found: -1 for a 1, and for a 0
 * the first bit after the range (the string is taken as padded with zeros).
 */
export function bitpos(buf: Buffer, start: number, count: number, bit: number): number {
  const end = start + count;
  const i = firstByteNot(buf, start, end, bit === 1 ? 0 : 0xff);
  if (i === end) return bit === 1 ? -1 : count * 8;
  const byte = bit === 1 ? buf[i] : ~buf[i] & 0xff;
  return (i - start) * 8 + Math.clz32(byte) - 24;
}

/** One byte's first bit equal to `bit` (0..7), or 8 when none. */
export function bitposInByte(byte: number, bit: number): number {
  const b = bit === 1 ? byte & 0xff : ~byte & 0xff;
  return b === 0 ? (bit === 1 ? -1 : 8) : Math.clz32(b) - 24;
}
