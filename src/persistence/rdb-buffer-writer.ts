import { lzfCompress } from './lzf';
import type { RdbWriter } from './rdb-stream';

/** First byte of the special string encodings: 0xC0 | INT8, INT16, INT32, LZF. */
const ENC_INT8 = 0xc0;
const ENC_INT16 = 0xc1;
const ENC_INT32 = 0xc2;
const ENC_LZF = 0xc3;
const LEN_32BIT = 0x80;
const LEN_64BIT = 0x81;

/** Redis tries integer encoding for strings up to this long ("-2147483648"). */
const MAX_INTEGER_TEXT = 11;
/** Redis does not try LZF on strings this short or shorter. */
const MIN_COMPRESSIBLE = 21;

/** quicklist.c: nodes under 48 bytes stay raw, and compression must save more than 8 bytes. */
const MIN_NODE_COMPRESS = 48;
const MIN_NODE_IMPROVE = 8;

/** Scratch space for a string's bytes and their compressed form (grown on demand, reused). */
let plainScratch = Buffer.allocUnsafe(4096);
let packedScratch = Buffer.allocUnsafe(4096);

export interface RdbBufferWriterOptions {
  /** LZF-compress strings longer than 20 bytes when that saves at least 4 bytes (rdbcompression). */
  compression?: boolean;
  /** Initial buffer size in bytes. */
  initialSize?: number;
}

/**
 * Writes RDB data into a growing in-memory buffer, choosing each string's encoding as Redis does
 * (integer, LZF, raw), so a value's bytes match what redis-server would write (LZF output aside).
 * The file writer hands the buffer's contents to the disk in chunks with `take()`.
 */
export class RdbBufferWriter implements RdbWriter {
  private buf: Buffer;
  private used = 0;
  private readonly compression: boolean;
  private readonly initialSize: number;

  constructor(options: RdbBufferWriterOptions = {}) {
    this.compression = options.compression ?? true;
    this.initialSize = options.initialSize ?? 64 * 1024;
    this.buf = Buffer.allocUnsafe(this.initialSize);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.used;
  }

  /** The bytes written so far, as a view that the next write may overwrite. */
  view(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /** Hands over the bytes written so far (the caller owns them) and starts an empty buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(Math.max(this.initialSize, Math.min(this.buf.length, 4 * 1024 * 1024)));
    this.used = 0;
    return out;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.used + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  writeByte(b: number): void {
    this.reserve(1);
    this.buf[this.used++] = b;
  }

  /** Overwrites a byte written earlier and not yet taken (a key's type, known after its value). */
  patchByte(position: number, b: number): void {
    this.buf[position] = b;
  }

  writeBytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.used);
    this.used += b.length;
  }

  /** A length: 6 bits, 14 bits, or a marker then 32 or 64 bits big-endian. */
  writeLength(n: number): void {
    this.reserve(9);
    const buf = this.buf;
    if (n < 64) {
      buf[this.used++] = n;
    } else if (n < 16384) {
      buf[this.used++] = 0x40 | (n >>> 8);
      buf[this.used++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      buf[this.used++] = LEN_32BIT;
      buf.writeUInt32BE(n, this.used);
      this.used += 4;
    } else {
      buf[this.used++] = LEN_64BIT;
      buf.writeUInt32BE(Math.floor(n / 0x100000000), this.used);
      buf.writeUInt32BE(n >>> 0, this.used + 4);
      this.used += 8;
    }
  }

  writeString(s: string | Buffer): void {
    const len = s.length;
    if (len <= MAX_INTEGER_TEXT && len > 0) {
      const n = integerValueOf(s);
      if (n !== null) {
        this.writeEncodedInteger(n);
        return;
      }
    }
    if (this.compression && len >= MIN_COMPRESSIBLE && this.tryWriteCompressed(s)) return;
    this.writeLength(len);
    this.reserve(len);
    if (typeof s === 'string') this.buf.latin1Write(s, this.used, len);
    else s.copy(this.buf, this.used);
    this.used += len;
  }

  /** LZF data as Redis stores it: marker, compressed length, original length, bytes. */
  writeLzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.writeByte(ENC_LZF);
    this.writeLength(compressed.length);
    this.writeLength(originalLength);
    this.writeBytes(compressed);
  }

  writeCompressedNode(blob: Buffer): void {
    const len = blob.length;
    if (len >= MIN_NODE_COMPRESS) {
      if (packedScratch.length < len) packedScratch = Buffer.allocUnsafe(Math.max(len, packedScratch.length * 2));
      const packed = lzfCompress(blob, 0, len, packedScratch, len);
      if (packed !== 0 && packed + MIN_NODE_IMPROVE < len) {
        this.writeLzfBlob(packedScratch.subarray(0, packed), len);
        return;
      }
    }
    this.writeString(blob);
  }

  private tryWriteCompressed(s: string | Buffer): boolean {
    const len = s.length;
    let plain: Buffer;
    if (typeof s === 'string') {
      if (plainScratch.length < len) plainScratch = Buffer.allocUnsafe(Math.max(len, plainScratch.length * 2));
      plainScratch.latin1Write(s, 0, len);
      plain = plainScratch;
    } else {
      plain = s;
    }
    // Like Redis: worth it only if it saves at least 4 bytes.
    const maxOut = len - 4;
    if (packedScratch.length < maxOut + 1) packedScratch = Buffer.allocUnsafe(Math.max(maxOut + 1, packedScratch.length * 2));
    const packed = lzfCompress(plain, 0, len, packedScratch, maxOut);
    if (packed === 0) return false;
    this.writeByte(ENC_LZF);
    this.writeLength(packed);
    this.writeLength(len);
    this.reserve(packed);
    packedScratch.copy(this.buf, this.used, 0, packed);
    this.used += packed;
    return true;
  }

  private writeEncodedInteger(n: number): void {
    this.reserve(5);
    const buf = this.buf;
    if (n >= -128 && n <= 127) {
      buf[this.used++] = ENC_INT8;
      buf[this.used++] = n & 0xff;
    } else if (n >= -32768 && n <= 32767) {
      buf[this.used++] = ENC_INT16;
      buf.writeInt16LE(n, this.used);
      this.used += 2;
    } else {
      buf[this.used++] = ENC_INT32;
      buf.writeInt32LE(n, this.used);
      this.used += 4;
    }
  }

  /** Binary little-endian IEEE 754 double (RDB_TYPE_ZSET_2 scores). */
  writeDouble(d: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(d, this.used);
    this.used += 8;
  }

  /** A unix time in milliseconds as a little-endian int64 (EXPIRETIME_MS). */
  writeMillis(ms: number): void {
    this.reserve(8);
    this.buf.writeBigInt64LE(BigInt(ms), this.used);
    this.used += 8;
  }
}

/**
 * The value of a string that Redis would store integer-encoded in RDB: the canonical decimal
 * form of an integer (no "+", no leading zeros, no "-0") that fits in 32 bits; otherwise null.
 */
export function integerValueOf(s: string | Buffer): number | null {
  const len = s.length;
  if (len === 0) return null;
  const text = typeof s === 'string';
  let i = 0;
  let c = text ? s.charCodeAt(0) : s[0];
  const negative = c === 45;
  if (negative) {
    if (len === 1) return null;
    i = 1;
    c = text ? s.charCodeAt(1) : s[1];
  }
  if (c === 48) return len === 1 ? 0 : null;
  if (c < 49 || c > 57) return null;
  let value = 0;
  for (; i < len; i++) {
    c = text ? s.charCodeAt(i) : s[i];
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  if (negative) value = -value;
  return value >= -2147483648 && value <= 2147483647 ? value : null;
}
