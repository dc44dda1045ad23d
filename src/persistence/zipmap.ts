import { CompactEncodingError } from './compact-encoding-error';

const BIGLEN = 254;
const END = 0xff;

/**
 * Decodes a zipmap (small hashes in RDB files of Redis before 2.6) into [field, value, field,
 * value, ...]. Layout: a count byte (meaningless from 254 on), then entries until 0xFF. Each
 * string has a length (one byte below 254, or 254 then u32 LE); a value's length is followed by a
 * "free" byte counting unused bytes after it.
 */
export function decodeZipmap(blob: Uint8Array): string[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (message: string, at: number) => new CompactEncodingError('zipmap', message, at);
  if (buf.length < 2) throw fail(`${buf.length} bytes is too short`, 0);
  const declared = buf[0];
  const out: string[] = [];
  let p = 1;
  const readLength = (): number => {
    if (p >= buf.length) throw fail('truncated length', p);
    const first = buf[p++];
    if (first < BIGLEN) return first;
    if (first === END) throw fail('end marker where a length was expected', p - 1);
    if (p + 4 > buf.length) throw fail('truncated length', p - 1);
    const len = buf.readUInt32LE(p);
    p += 4;
    return len;
  };
  for (;;) {
    if (p >= buf.length) throw fail('missing end marker', p);
    if (buf[p] === END) break;
    const start = p;
    const fieldLength = readLength();
    if (p + fieldLength > buf.length) throw fail('field overruns the zipmap', start);
    out.push(buf.latin1Slice(p, p + fieldLength));
    p += fieldLength;
    const valueLength = readLength();
    if (p >= buf.length) throw fail('truncated free-space byte', p);
    const free = buf[p++];
    if (p + valueLength + free > buf.length) throw fail('value overruns the zipmap', start);
    out.push(buf.latin1Slice(p, p + valueLength));
    p += valueLength + free;
  }
  if (p !== buf.length - 1) throw fail('end marker before the end of the blob', p);
  if (declared < BIGLEN && declared * 2 !== out.length) throw fail(`header counts ${declared} pairs, found ${out.length / 2}`, 0);
  return out;
}
