import { closeSync, openSync, readSync } from 'node:fs';
import { Crc64 } from './crc64';
import { LzfError, lzfDecompress } from './lzf';
import type { RdbReader } from './rdb-stream';
import { brandError, brandedHasInstance, hasErrorBrand } from '../kernel/error-brand';

/**
 * Malformed or truncated RDB data; `offset` is the byte position where it was noticed. What a
 * data type's codec throws for bad input (RESTORE then answers "Bad data format"). Recognised by
 * brand, so one thrown by another copy of the package counts too (`instanceof`, `isRdbFormatError`).
 */
export class RdbFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'RdbFormatError';
    brandError(this, 'RdbFormatError');
  }

  static override [Symbol.hasInstance] = brandedHasInstance(RdbFormatError, 'RdbFormatError');
}

/** True for an RdbFormatError thrown by any copy of this package. */
export function isRdbFormatError(value: unknown): value is RdbFormatError {
  return hasErrorBrand(value, 'RdbFormatError');
}

/**
 * Reads RDB data (lengths, strings in any encoding, doubles) from bytes made available by a
 * subclass: a whole buffer (DUMP payloads) or a file read in chunks (loading a dump). Keeps the
 * CRC-64 of everything consumed, for the checksum after the EOF opcode.
 */
export abstract class RdbByteReader implements RdbReader {
  protected buf: Buffer = Buffer.alloc(0);
  protected pos = 0;
  /** Absolute offset of buf[0]. */
  protected base = 0;
  /** Bytes before this index of buf are already in `crc`. */
  protected crcPos = 0;
  protected readonly crc = new Crc64();

  /** Makes at least `n` bytes available at `pos`, or throws on a truncated input. */
  protected abstract ensure(n: number): void;

  get offset(): number {
    return this.base + this.pos;
  }

  /** A format error at the current offset. */
  error(message: string): RdbFormatError {
    return new RdbFormatError(message, this.offset);
  }

  /** The CRC-64 of every byte consumed so far. */
  checksum(): Crc64 {
    this.crc.update(this.buf, this.crcPos, this.pos);
    this.crcPos = this.pos;
    return this.crc;
  }

  readByte(): number {
    if (this.pos >= this.buf.length) this.ensure(1);
    return this.buf[this.pos++];
  }

  readBytes(n: number): Buffer {
    this.ensure(n);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads n bytes as a latin1 string, without an intermediate Buffer. */
  readLatin1(n: number): string {
    this.ensure(n);
    const s = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  readLength(): number {
    const first = this.readByte();
    const kind = first >> 6;
    if (kind === 0) return first & 0x3f;
    if (kind === 1) return ((first & 0x3f) << 8) | this.readByte();
    if (first === 0x80) {
      this.ensure(4);
      const n = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return n;
    }
    if (first === 0x81) {
      this.ensure(8);
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      if (hi >= 0x200000) throw this.error('length does not fit in 53 bits');
      this.pos += 8;
      return hi * 0x100000000 + lo;
    }
    this.pos--;
    throw this.error(`unknown length encoding 0x${first.toString(16)}`);
  }

  readString(): string {
    const first = this.readByte();
    if (first >> 6 !== 3) {
      this.pos--;
      return this.readLatin1(this.readLength());
    }
    const special = first & 0x3f;
    if (special === 3) {
      const bytes = this.readLzf();
      return bytes.latin1Slice(0, bytes.length);
    }
    return String(this.readEncodedInteger(special));
  }

  readStringBytes(): Buffer {
    const first = this.readByte();
    if (first >> 6 !== 3) {
      this.pos--;
      return this.readBytes(this.readLength());
    }
    const special = first & 0x3f;
    if (special === 3) return this.readLzf();
    return Buffer.from(String(this.readEncodedInteger(special)), 'latin1');
  }

  /**
   * Like readStringBytes, but a raw string comes back as a view of the reader's buffer instead of
   * a copy: for blobs decoded at once (listpacks, intsets), not kept. Valid until the next read.
   */
  readStringView(): Buffer {
    const first = this.readByte();
    if (first >> 6 !== 3) {
      this.pos--;
      const n = this.readLength();
      this.ensure(n);
      const view = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return view;
    }
    const special = first & 0x3f;
    if (special === 3) return this.readLzf();
    return Buffer.from(String(this.readEncodedInteger(special)), 'latin1');
  }

  private readEncodedInteger(special: number): number {
    if (special === 0) {
      this.ensure(1);
      return this.buf.readInt8(this.pos++);
    }
    if (special === 1) {
      this.ensure(2);
      const v = this.buf.readInt16LE(this.pos);
      this.pos += 2;
      return v;
    }
    if (special === 2) {
      this.ensure(4);
      const v = this.buf.readInt32LE(this.pos);
      this.pos += 4;
      return v;
    }
    this.pos--;
    throw this.error(`unknown string encoding ${special}`);
  }

  private readLzf(): Buffer {
    const at = this.offset - 1;
    const compressedLength = this.readLength();
    const length = this.readLength();
    this.ensure(compressedLength);
    try {
      const out = lzfDecompress(this.buf, this.pos, this.pos + compressedLength, length);
      this.pos += compressedLength;
      return out;
    } catch (e) {
      if (e instanceof LzfError) throw new RdbFormatError(`invalid LZF-compressed string (${e.message})`, at);
      throw e;
    }
  }

  readDouble(): number {
    this.ensure(8);
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  /** An old-style double (RDB_TYPE_ZSET): a length byte then ASCII, 253/254/255 for NaN/+inf/-inf. */
  readAsciiDouble(): number {
    const len = this.readByte();
    if (len === 253) return NaN;
    if (len === 254) return Infinity;
    if (len === 255) return -Infinity;
    const text = this.readLatin1(len);
    const d = Number(text);
    if (Number.isNaN(d) && text.trim().toLowerCase() !== 'nan') throw this.error(`invalid double "${text}"`);
    return d;
  }

  /** A little-endian int64 (millisecond expiry), as a JS number. */
  readInt64(): number {
    this.ensure(8);
    const v = Number(this.buf.readBigInt64LE(this.pos));
    this.pos += 8;
    return v;
  }

  /** A little-endian int32 (second-precision expiry of old files). */
  readInt32(): number {
    this.ensure(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
}

/** Reads RDB data from one buffer (a DUMP payload, a test fixture). */
export class RdbBufferReader extends RdbByteReader {
  constructor(data: Buffer, start = 0, private readonly end = data.length) {
    super();
    this.buf = end === data.length ? data : data.subarray(0, end);
    this.pos = start;
    this.crcPos = start;
  }

  protected ensure(n: number): void {
    if (this.pos + n > this.end) throw this.error('unexpected end of data');
  }

  /** True once every byte has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }
}

/**
 * Reads a dump file in chunks with blocking reads (loading happens before the server accepts
 * clients, as in Redis), so memory stays bounded by the chunk size and the largest single string.
 */
export class RdbFileReader extends RdbByteReader {
  private readonly fd: number;
  private eof = false;

  constructor(
    readonly path: string,
    private readonly chunkSize = 1 << 20,
  ) {
    super();
    this.fd = openSync(path, 'r');
  }

  close(): void {
    closeSync(this.fd);
  }

  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // Fold consumed bytes into the checksum, keep the unread tail, read more behind it.
    this.crc.update(this.buf, this.crcPos, this.pos);
    const tail = this.buf.length - this.pos;
    const next = Buffer.allocUnsafe(Math.max(this.chunkSize, n));
    this.buf.copy(next, 0, this.pos);
    let filled = tail;
    while (filled < n && !this.eof) {
      const got = readSync(this.fd, next, filled, next.length - filled, null);
      if (got === 0) this.eof = true;
      filled += got;
    }
    this.base += this.pos;
    this.buf = next.subarray(0, filled);
    this.pos = 0;
    this.crcPos = 0;
    if (filled < n) {
      this.pos = filled;
      throw this.error('unexpected end of file');
    }
  }
}
