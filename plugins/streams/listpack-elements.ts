/**
 * Listpack elements written into and read out of a growable buffer, byte for byte as Redis 7.0's
 * listpack.c encodes them (so stream nodes are real listpack bodies: RDB and DUMP write them as
 * they are). An element: encoding byte(s), data, then its own length as 1-5 "backlen" bytes.
 */

/** Bytes an element of `length` bytes (encoding + data) needs for its backlen. */
export function backlenSize(length: number): number {
  return length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
}

function writeBacklen(buf: Buffer, p: number, l: number): number {
  if (l <= 127) buf[p++] = l;
  else if (l < 16383) {
    buf[p++] = l >>> 7;
    buf[p++] = (l & 127) | 128;
  } else if (l < 2097151) {
    buf[p++] = l >>> 14;
    buf[p++] = ((l >>> 7) & 127) | 128;
    buf[p++] = (l & 127) | 128;
  } else if (l < 268435455) {
    buf[p++] = l >>> 21;
    buf[p++] = ((l >>> 14) & 127) | 128;
    buf[p++] = ((l >>> 7) & 127) | 128;
    buf[p++] = (l & 127) | 128;
  } else {
    buf[p++] = Math.floor(l / 2 ** 28);
    buf[p++] = ((l >>> 21) & 127) | 128;
    buf[p++] = ((l >>> 14) & 127) | 128;
    buf[p++] = ((l >>> 7) & 127) | 128;
    buf[p++] = (l & 127) | 128;
  }
  return p;
}

const BIG_SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const BIG_SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Bytes an integer element takes, backlen included. */
export function intElementSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Writes an integer element at `p` (the buffer has room: at most 10 bytes); returns the end. */
export function writeIntElement(buf: Buffer, p: number, value: number | bigint): number {
  const start = p;
  let v: number | bigint = value;
  if (typeof v === 'bigint' && v >= BIG_SAFE_MIN && v <= BIG_SAFE_MAX) v = Number(v);
  if (typeof v === 'number' && v >= 0 && v <= 127) {
    buf[p++] = v;
  } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
    const u = v < 0 ? 8192 + v : v;
    buf[p++] = 0xc0 | (u >> 8);
    buf[p++] = u & 0xff;
  } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
    buf[p++] = 0xf1;
    p = buf.writeInt16LE(v, p);
  } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
    buf[p++] = 0xf2;
    p = buf.writeIntLE(v, p, 3);
  } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
    buf[p++] = 0xf3;
    p = buf.writeInt32LE(v, p);
  } else {
    buf[p++] = 0xf4;
    p = buf.writeBigInt64LE(BigInt(v), p);
  }
  return writeBacklen(buf, p, p - start);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The integer `s` holds in listpack's strict sense (lpStringToInt64: no '+', no leading zeros, at
 * most 20 characters, within int64), or null: such strings are stored as integers.
 */
export function bytesAsInteger(s: Buffer): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && s[0] === 48) return 0;
  let i = s[0] === 45 ? 1 : 0;
  if (i === n) return null;
  if (s[i] < 49 || s[i] > 57) return null;
  let v = 0;
  for (; i < n; i++) {
    const c = s[i];
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (n <= 15) return s[0] === 45 ? -v : v;
  const big = BigInt(s.latin1Slice(0, n));
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return big >= BIG_SAFE_MIN && big <= BIG_SAFE_MAX ? Number(big) : big;
}

/** Bytes a string element of `len` bytes takes, backlen included. */
export function stringElementSize(len: number): number {
  const l = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
  return l + backlenSize(l);
}

/** Bytes `s` takes as an element: as an integer if it is one. */
export function elementSize(s: Buffer): number {
  const asInt = bytesAsInteger(s);
  if (asInt === null) return stringElementSize(s.length);
  return typeof asInt === 'number' ? intElementSize(asInt) : 10;
}

/** Writes `s` at `p` as lpAppend does (an integer when it is one); returns the end. */
export function writeElement(buf: Buffer, p: number, s: Buffer): number {
  const asInt = bytesAsInteger(s);
  if (asInt !== null) return writeIntElement(buf, p, asInt);
  const start = p;
  const len = s.length;
  if (len < 64) buf[p++] = 0x80 | len;
  else if (len < 4096) {
    buf[p++] = 0xe0 | (len >> 8);
    buf[p++] = len & 0xff;
  } else {
    buf[p++] = 0xf0;
    p = buf.writeUInt32LE(len, p);
  }
  if (len < 32) {
    for (let i = 0; i < len; i++) buf[p++] = s[i];
  } else {
    p += s.copy(buf, p);
  }
  return writeBacklen(buf, p, p - start);
}

/** The offset after the element at `p`, read no further (no view, no integer): for walking past fields. */
export function skipElement(buf: Buffer, p: number): number {
  const enc = buf[p];
  let size: number;
  if (enc < 0x80) size = 1;
  else if (enc >> 6 === 2) size = 1 + (enc & 0x3f);
  else if (enc >> 5 === 6) size = 2;
  else if (enc >> 4 === 0xe) size = 2 + (((enc & 0x0f) << 8) | buf[p + 1]);
  else if (enc === 0xf0) size = 5 + buf.readUInt32LE(p + 1);
  else if (enc === 0xf1) size = 3;
  else if (enc === 0xf2) size = 4;
  else if (enc === 0xf3) size = 5;
  else if (enc === 0xf4) size = 9;
  else throw new Error(`bad listpack encoding 0x${enc.toString(16)}`);
  return p + size + backlenSize(size);
}

/**
 * Reads the element at `p`. Integers land in `ElementReader.int` (a number, or a bigint beyond
 * 2^53) with `str` null; strings as a view in `str`. Returns the next element's offset.
 */
export class ElementReader {
  int: number | bigint = 0;
  str: Buffer | null = null;

  read(buf: Buffer, p: number): number {
    const start = p;
    const enc = buf[p++];
    if (enc < 0x80) {
      this.int = enc;
      this.str = null;
    } else if (enc >> 6 === 2) {
      const len = enc & 0x3f;
      this.str = buf.subarray(p, p + len);
      p += len;
    } else if (enc >> 5 === 6) {
      const raw = ((enc & 0x1f) << 8) | buf[p++];
      this.int = raw >= 4096 ? raw - 8192 : raw;
      this.str = null;
    } else if (enc >> 4 === 0xe) {
      const len = ((enc & 0x0f) << 8) | buf[p++];
      this.str = buf.subarray(p, p + len);
      p += len;
    } else if (enc === 0xf0) {
      const len = buf.readUInt32LE(p);
      p += 4;
      this.str = buf.subarray(p, p + len);
      p += len;
    } else {
      this.str = null;
      if (enc === 0xf1) {
        this.int = buf.readInt16LE(p);
        p += 2;
      } else if (enc === 0xf2) {
        this.int = buf.readIntLE(p, 3);
        p += 3;
      } else if (enc === 0xf3) {
        this.int = buf.readInt32LE(p);
        p += 4;
      } else if (enc === 0xf4) {
        const big = buf.readBigInt64LE(p);
        this.int = big >= BIG_SAFE_MIN && big <= BIG_SAFE_MAX ? Number(big) : big;
        p += 8;
      } else throw new Error(`bad listpack encoding 0x${enc.toString(16)}`);
    }
    return p + backlenSize(p - start);
  }

  /** The element just read as a number (the integers the stream layout itself stores). */
  get number(): number {
    if (this.str !== null) throw new Error('listpack element is not an integer');
    return Number(this.int);
  }

  /** The element just read as bytes: strings as they are, integers in decimal. */
  bytes(): Buffer {
    return this.str !== null ? this.str : Buffer.from(String(this.int), 'latin1');
  }
}
