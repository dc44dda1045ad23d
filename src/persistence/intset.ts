import { CompactEncodingError } from './compact-encoding-error';

/**
 * Decodes an intset (small integer sets, RDB_TYPE_SET_INTSET) into its members in decimal.
 * Layout: element size (u32 LE: 2, 4 or 8), count (u32 LE), then the sorted integers, little-endian.
 */
export function decodeIntset(blob: Uint8Array): string[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = intsetElementSize(buf);
  const count = buf.readUInt32LE(4);
  const out: string[] = [];
  let previous: bigint | null = null;
  for (let i = 0, p = 8; i < count; i++, p += size) {
    const v = size === 8 ? buf.readBigInt64LE(p) : BigInt(size === 4 ? buf.readInt32LE(p) : buf.readInt16LE(p));
    if (previous !== null && v <= previous) throw new CompactEncodingError('intset', 'elements are not sorted and unique', p);
    previous = v;
    out.push(String(v));
  }
  return out;
}

/**
 * Checks an intset's header against its length; returns its element size (2, 4 or 8). The
 * element count is the u32 LE at offset 4. A bad header is a CompactEncodingError.
 */
export function intsetElementSize(buf: Buffer): 2 | 4 | 8 {
  const fail = (message: string, at: number) => new CompactEncodingError('intset', message, at);
  if (buf.length < 8) throw fail(`${buf.length} bytes is too short`, 0);
  const size = buf.readUInt32LE(0);
  if (size !== 2 && size !== 4 && size !== 8) throw fail(`bad element size ${size}`, 0);
  const count = buf.readUInt32LE(4);
  if (8 + size * count !== buf.length) throw fail(`${count} elements of ${size} bytes do not fill ${buf.length} bytes`, 4);
  return size;
}

/**
 * Encodes integers (sorted ascending, unique) as Redis's intset: the narrowest element size of 2, 4
 * or 8 bytes that holds them all.
 */
export function encodeIntset(sorted: readonly bigint[]): Buffer {
  let size = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) {
      size = 8;
      break;
    }
    if (v < -32768n || v > 32767n) size = 4;
  }
  const out = Buffer.allocUnsafe(8 + size * sorted.length);
  out.writeUInt32LE(size, 0);
  out.writeUInt32LE(sorted.length, 4);
  let p = 8;
  for (const v of sorted) {
    if (size === 8) out.writeBigInt64LE(v, p);
    else if (size === 4) out.writeInt32LE(Number(v), p);
    else out.writeInt16LE(Number(v), p);
    p += size;
  }
  return out;
}
