import { CompactEncodingError } from './compact-encoding-error';

const HEADER = 6;
const END = 0xff;

function fail(message: string, at: number): CompactEncodingError {
  return new CompactEncodingError('listpack', message, at);
}

/** Receives a listpack's entries in order, as walkListpack decodes them (PackedStringsBuilder has this shape). */
export interface ListpackSink {
  /** A string entry: its bytes are `buf[start, end)`. */
  bytes(buf: Buffer, start: number, end: number): void;
  /** An integer entry. */
  integer(value: number | bigint): void;
}

/** Collects the entries as strings (decodeListpack). */
class StringCollector implements ListpackSink {
  readonly out: string[] = [];

  bytes(buf: Buffer, start: number, end: number): void {
    this.out.push(buf.latin1Slice(start, end));
  }

  integer(value: number | bigint): void {
    this.out.push(String(value));
  }
}

/**
 * Decodes a listpack (hashes and sorted sets in RDB files of Redis 7.0, stream and quicklist
 * nodes) into its entries, integers in decimal.
 */
export function decodeListpack(blob: Uint8Array): string[] {
  const collector = new StringCollector();
  walkListpack(blob, collector);
  return collector.out;
}

/** The entry count a listpack's header declares, or -1 when it does not say (65535) or is too short. */
export function listpackDeclaredCount(blob: Uint8Array): number {
  if (blob.length < HEADER + 1) return -1;
  const declared = blob[4] | (blob[5] << 8);
  return declared === 0xffff ? -1 : declared;
}

/**
 * Walks a listpack, handing each entry to `sink`; returns the number of entries. Layout: total
 * bytes (u32 LE), count (u16 LE, 65535 = unknown), entries, 0xFF. An entry: an encoding byte
 * (7-bit uint, 6/12/32-bit string lengths, 13-bit int, int16/24/32/64), the data, then its own
 * length as 1-5 "backlen" bytes so the list can be walked backwards. Every bound and every
 * backlen is checked (a CompactEncodingError); the sink may have had some entries by then.
 */
export function walkListpack(blob: Uint8Array, sink: ListpackSink): number {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER + 1) throw fail(`${buf.length} bytes is too short`, 0);
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) throw fail(`header says ${total} bytes, blob has ${buf.length}`, 0);
  const declared = buf.readUInt16LE(4);
  if (buf[total - 1] !== END) throw fail('missing end marker', total - 1);
  const limit = total - 1;

  let count = 0;
  let p = HEADER;
  while (p < limit) {
    const start = p;
    const enc = buf[p++];
    if (enc < 0x80) {
      sink.integer(enc);
    } else if (enc >> 6 === 2) {
      const len = enc & 0x3f;
      if (p + len > limit) throw fail('string overruns the listpack', start);
      sink.bytes(buf, p, p + len);
      p += len;
    } else if (enc >> 5 === 6) {
      if (p + 1 > limit) throw fail('truncated integer', start);
      const raw = ((enc & 0x1f) << 8) | buf[p++];
      sink.integer(raw >= 1 << 12 ? raw - (1 << 13) : raw);
    } else if (enc >> 4 === 0xe) {
      if (p + 1 > limit) throw fail('truncated string length', start);
      const len = ((enc & 0x0f) << 8) | buf[p++];
      if (p + len > limit) throw fail('string overruns the listpack', start);
      sink.bytes(buf, p, p + len);
      p += len;
    } else if (enc === 0xf0) {
      if (p + 4 > limit) throw fail('truncated string length', start);
      const len = buf.readUInt32LE(p);
      p += 4;
      if (p + len > limit) throw fail('string overruns the listpack', start);
      sink.bytes(buf, p, p + len);
      p += len;
    } else if (enc >= 0xf1 && enc <= 0xf4) {
      const size = enc === 0xf1 ? 2 : enc === 0xf2 ? 3 : enc === 0xf3 ? 4 : 8;
      if (p + size > limit) throw fail('integer overruns the listpack', start);
      sink.integer(size === 8 ? buf.readBigInt64LE(p) : buf.readIntLE(p, size));
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
    count++;
  }
  if (declared !== 0xffff && declared !== count) throw fail(`header counts ${declared} entries, found ${count}`, 4);
  return count;
}

/** An entry to encode: a latin1 string (stored as an integer when it is one, as Redis does) or an integer. */
export type ListpackEntry = string | number | bigint;

const INT13_MIN = -4096;
const INT13_MAX = 4095;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The integer a string holds in Redis's strict listpack sense (lpStringToInt64: no sign but a
 * leading '-', no leading zeros, at most 20 digits, within int64), or null. Small ones come back as
 * numbers, others as bigints.
 */
export function listpackInteger(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && s.charCodeAt(0) === 48) return 0;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return null;
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return null;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (n <= 15) return Number(s);
  const big = BigInt(s);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * Builds a listpack byte for byte as Redis 7.0's lpAppend does: integers in the smallest integer
 * encoding, strings with 6-, 12- or 32-bit lengths, each entry followed by its backlen.
 */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(256);
  private length = HEADER;
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(entry: ListpackEntry): this {
    if (typeof entry === 'string') {
      const asInt = listpackInteger(entry);
      if (asInt === null) this.appendString(entry);
      else this.appendInteger(asInt);
    } else {
      this.appendInteger(entry);
    }
    this.count++;
    return this;
  }

  /** The listpack: header, entries, end marker. */
  finish(): Buffer {
    this.reserve(1);
    const out = Buffer.allocUnsafe(this.length + 1);
    this.buf.copy(out, 0, 0, this.length);
    out[this.length] = END;
    out.writeUInt32LE(out.length, 0);
    out.writeUInt16LE(Math.min(this.count, 0xffff), 4);
    return out;
  }

  private appendString(s: string): void {
    const len = s.length;
    const header = len < 64 ? 1 : len < 4096 ? 2 : 5;
    this.reserve(header + len + 5);
    const b = this.buf;
    const start = this.length;
    let p = start;
    if (header === 1) b[p++] = 0x80 | len;
    else if (header === 2) {
      b[p++] = 0xe0 | (len >> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    p += b.latin1Write(s, p, len);
    this.length = p;
    this.appendBacklen(p - start);
  }

  private appendInteger(value: number | bigint): void {
    this.reserve(9 + 5);
    const b = this.buf;
    const start = this.length;
    let p = start;
    const v = typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      b[p++] = v;
    } else if (typeof v === 'number' && v >= INT13_MIN && v <= INT13_MAX) {
      const u = v < 0 ? (1 << 13) + v : v;
      b[p++] = 0xc0 | (u >> 8);
      b[p++] = u & 0xff;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      b[p++] = 0xf1;
      p = b.writeInt16LE(v, p);
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      b[p++] = 0xf2;
      p = b.writeIntLE(v, p, 3);
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      b[p++] = 0xf3;
      p = b.writeInt32LE(v, p);
    } else {
      b[p++] = 0xf4;
      p = b.writeBigInt64LE(BigInt(v), p);
    }
    this.length = p;
    this.appendBacklen(p - start);
  }

  /** The entry's length, written so the listpack can be walked backwards (lpEncodeBacklen). */
  private appendBacklen(l: number): void {
    const b = this.buf;
    let p = this.length;
    if (l <= 127) b[p++] = l;
    else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.length = p;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

/** A whole listpack from its entries (see ListpackBuilder). */
export function encodeListpack(entries: Iterable<ListpackEntry>): Buffer {
  const builder = new ListpackBuilder();
  for (const e of entries) builder.append(e);
  return builder.finish();
}
