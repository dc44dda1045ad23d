/**
 * BITFIELD's integer arithmetic, as Redis 7.0 does it in 64-bit C: reading and writing a
 * big-endian field of 1..64 bits at any bit offset, and the overflow checks with WRAP/SAT/FAIL.
 * Values are bigints so 64-bit fields stay exact.
 */

export const WRAP = 0;
export const SAT = 1;
export const FAIL = 2;

const ONE = 1n;

/** The unsigned value of `bits` bits at bit `offset` of buf (most significant bit first). */
export function getUnsigned(buf: Buffer, offset: number, bits: number): bigint {
  let value = 0n;
  for (let j = 0; j < bits; j++, offset++) {
    const byte = buf[Math.floor(offset / 8)];
    value = (value << ONE) | BigInt((byte >> (7 - (offset & 7))) & 1);
  }
  return value;
}

/** getUnsigned read as two's complement. */
export function getSigned(buf: Buffer, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(buf, offset, bits));
}

/** Writes the low `bits` bits of value (two's complement for negatives) at bit `offset`. */
export function setBits(buf: Buffer, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  for (let j = 0; j < bits; j++, offset++) {
    const bit = Number((u >> BigInt(bits - 1 - j)) & ONE);
    const index = Math.floor(offset / 8);
    const shift = 7 - (offset & 7);
    buf[index] = (buf[index] & ~(1 << shift)) | (bit << shift);
  }
}

/**
 * checkUnsignedBitfieldOverflow: 0 when value + incr fits in `bits` unsigned bits, else 1 (over)
 * or -1 (under) with `limit` set to what WRAP or SAT store. value is a uint64, incr an int64.
 */
export function unsignedOverflow(value: bigint, incr: bigint, bits: number, owtype: number, limit: { v: bigint }): number {
  const max = (ONE << BigInt(bits)) - ONE;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  let result = 0;
  if (value > max || (incr > 0n && incr > maxincr)) {
    result = 1;
    if (owtype === SAT) limit.v = max;
  } else if (incr < 0n && incr < minincr) {
    result = -1;
    if (owtype === SAT) limit.v = 0n;
  }
  if (result !== 0 && owtype === WRAP) limit.v = BigInt.asUintN(bits, value + incr);
  return result;
}

/** checkSignedBitfieldOverflow, for a signed field (both arguments int64). */
export function signedOverflow(value: bigint, incr: bigint, bits: number, owtype: number, limit: { v: bigint }): number {
  const max = bits === 64 ? (ONE << 63n) - ONE : (ONE << BigInt(bits - 1)) - ONE;
  const min = -max - ONE;
  // As in C: the subtractions wrap, but are only used once value is known to be in range.
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  let result = 0;
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    result = 1;
    if (owtype === SAT) limit.v = max;
  } else if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    result = -1;
    if (owtype === SAT) limit.v = min;
  }
  if (result !== 0 && owtype === WRAP) limit.v = BigInt.asIntN(bits, value + incr);
  return result;
}
