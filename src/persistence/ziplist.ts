import { CompactEncodingError } from './compact-encoding-error';

const HEADER = 10;
const END = 0xff;

/**
 * Decodes a ziplist (hashes, lists and sorted sets in RDB files of Redis before 7.0) into its
 * entries, integers in decimal. Layout: total bytes (u32 LE), tail offset (u32 LE), count (u16 LE,
 * 65535 = unknown), entries, 0xFF. An entry: previous entry's length (1 byte, or 0xFE and u32 LE),
 * an encoding byte (string lengths of 6/14/32 bits, or int16/32/64, int24, int8, or 0..12 inline),
 * then the data. Checks every bound, so a corrupt blob fails with a position instead of misreading.
 */
export function decodeZiplist(blob: Uint8Array): string[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (message: string, at: number) => new CompactEncodingError('ziplist', message, at);
  if (buf.length < HEADER + 1) throw fail(`${buf.length} bytes is too short`, 0);
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) throw fail(`header says ${total} bytes, blob has ${buf.length}`, 0);
  const tail = buf.readUInt32LE(4);
  if (tail >= total) throw fail(`tail offset ${tail} is out of range`, 4);
  const declared = buf.readUInt16LE(8);
  if (buf[total - 1] !== END) throw fail('missing end marker', total - 1);

  const out: string[] = [];
  let p = HEADER;
  let previousLength = 0;
  let lastEntry = -1;
  while (buf[p] !== END) {
    const start = p;
    let prevlen = buf[p++];
    if (prevlen === 0xfe) {
      if (p + 4 > total) throw fail('truncated previous-entry length', start);
      prevlen = buf.readUInt32LE(p);
      p += 4;
    }
    if (prevlen !== previousLength) throw fail(`previous-entry length ${prevlen} should be ${previousLength}`, start);
    if (p >= total - 1) throw fail('truncated entry', start);
    const enc = buf[p++];
    const kind = enc >> 6;
    if (kind !== 3) {
      let len: number;
      if (kind === 0) {
        len = enc & 0x3f;
      } else if (kind === 1) {
        if (p + 1 > total) throw fail('truncated string length', start);
        len = ((enc & 0x3f) << 8) | buf[p++];
      } else {
        if (enc !== 0x80 || p + 4 > total) throw fail(`bad string encoding 0x${enc.toString(16)}`, start);
        len = buf.readUInt32BE(p);
        p += 4;
      }
      if (p + len > total - 1) throw fail(`string of ${len} bytes overruns the ziplist`, start);
      out.push(buf.latin1Slice(p, p + len));
      p += len;
    } else {
      let size: number;
      if (enc === 0xc0) size = 2;
      else if (enc === 0xd0) size = 4;
      else if (enc === 0xe0) size = 8;
      else if (enc === 0xf0) size = 3;
      else if (enc === 0xfe) size = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) size = 0;
      else throw fail(`bad integer encoding 0x${enc.toString(16)}`, start);
      if (p + size > total - 1) throw fail('integer overruns the ziplist', start);
      if (size === 0) out.push(String((enc & 0x0f) - 1));
      else if (size === 1) out.push(String(buf.readInt8(p)));
      else if (size === 2) out.push(String(buf.readInt16LE(p)));
      else if (size === 3) out.push(String(buf.readIntLE(p, 3)));
      else if (size === 4) out.push(String(buf.readInt32LE(p)));
      else out.push(String(buf.readBigInt64LE(p)));
      p += size;
    }
    previousLength = p - start;
    lastEntry = start;
  }
  if (p !== total - 1) throw fail('end marker before the end of the blob', p);
  if (lastEntry !== -1 && lastEntry !== tail) throw fail(`tail offset ${tail} should be ${lastEntry}`, 4);
  if (declared !== 0xffff && declared !== out.length) throw fail(`header counts ${declared} entries, found ${out.length}`, 8);
  return out;
}
