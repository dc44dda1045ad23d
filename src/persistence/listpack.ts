import { CompactEncodingError } from './compact-encoding-error';

const HEADER = 6;
const END = 0xff;

/**
 * Decodes a listpack (hashes and sorted sets in RDB files of Redis 7.0, stream and quicklist
 * nodes) into its entries, integers in decimal. Layout: total bytes (u32 LE), count (u16 LE,
 * 65535 = unknown), entries, 0xFF. An entry: an encoding byte (7-bit uint, 6/12/32-bit string
 * lengths, 13-bit int, int16/24/32/64), the data, then its own length as 1-5 "backlen" bytes so
 * the list can be walked backwards. Every bound and every backlen is checked.
 */
export function decodeListpack(blob: Uint8Array): string[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (message: string, at: number) => new CompactEncodingError('listpack', message, at);
  if (buf.length < HEADER + 1) throw fail(`${buf.length} bytes is too short`, 0);
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) throw fail(`header says ${total} bytes, blob has ${buf.length}`, 0);
  const declared = buf.readUInt16LE(4);
  if (buf[total - 1] !== END) throw fail('missing end marker', total - 1);
  const limit = total - 1;

  const out: string[] = [];
  let p = HEADER;
  while (p < limit) {
    const start = p;
    const enc = buf[p++];
    let value: string;
    if (enc < 0x80) {
      value = String(enc);
    } else if (enc >> 6 === 2) {
      const len = enc & 0x3f;
      if (p + len > limit) throw fail('string overruns the listpack', start);
      value = buf.latin1Slice(p, p + len);
      p += len;
    } else if (enc >> 5 === 6) {
      if (p + 1 > limit) throw fail('truncated integer', start);
      const raw = ((enc & 0x1f) << 8) | buf[p++];
      value = String(raw >= 1 << 12 ? raw - (1 << 13) : raw);
    } else if (enc >> 4 === 0xe) {
      if (p + 1 > limit) throw fail('truncated string length', start);
      const len = ((enc & 0x0f) << 8) | buf[p++];
      if (p + len > limit) throw fail('string overruns the listpack', start);
      value = buf.latin1Slice(p, p + len);
      p += len;
    } else if (enc === 0xf0) {
      if (p + 4 > limit) throw fail('truncated string length', start);
      const len = buf.readUInt32LE(p);
      p += 4;
      if (p + len > limit) throw fail('string overruns the listpack', start);
      value = buf.latin1Slice(p, p + len);
      p += len;
    } else if (enc >= 0xf1 && enc <= 0xf4) {
      const size = enc === 0xf1 ? 2 : enc === 0xf2 ? 3 : enc === 0xf3 ? 4 : 8;
      if (p + size > limit) throw fail('integer overruns the listpack', start);
      value = size === 8 ? String(buf.readBigInt64LE(p)) : String(buf.readIntLE(p, size));
      p += size;
    } else {
      throw fail(`bad entry encoding 0x${enc.toString(16)}`, start);
    }
    const entryLength = p - start;
    const backlenSize = entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3 : entryLength < 268435455 ? 4 : 5;
    if (p + backlenSize > limit) throw fail('truncated entry length', start);
    let backlen = buf[p];
    for (let i = 1; i < backlenSize; i++) backlen = backlen * 128 + (buf[p + i] & 0x7f);
    if (backlen !== entryLength) throw fail(`entry length ${backlen} should be ${entryLength}`, p);
    p += backlenSize;
    out.push(value);
  }
  if (declared !== 0xffff && declared !== out.length) throw fail(`header counts ${declared} entries, found ${out.length}`, 4);
  return out;
}
