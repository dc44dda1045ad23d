import { PackedStrings } from './packed-strings';

const INITIAL_BYTES = 1024;
const INITIAL_ITEMS = 64;
/** Below this many bytes a JS loop copies faster than a call into Buffer's C++ copy. */
const SHORT_COPY = 24;

/**
 * Builds a PackedStrings straight from bytes: items are appended, with their length prefixes,
 * into one reused scratch buffer, and `finish()` makes the packed string with a single latin1
 * decode. A loader decoding a listpack thus makes one string per value instead of a string per
 * item plus the concatenations that join them (it has `bytes` and `integer`, the shape
 * `walkListpack` calls). The builder is reusable: `finish` and `reset` empty it.
 */
export class PackedStringsBuilder {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  private count = 0;
  /** Start and end offsets of each item's bytes in `buf` (after its prefix), for `firstRepeat`. */
  private bounds = new Int32Array(INITIAL_ITEMS * 2);

  /** Items appended since the last finish/reset. */
  get size(): number {
    return this.count;
  }

  /** Empties the builder (after a failed decode, say). */
  reset(): void {
    this.used = 0;
    this.count = 0;
  }

  /** Appends the item `src[start, end)`. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    let at = this.begin(len);
    const buf = this.buf;
    if (len < SHORT_COPY) {
      for (let i = start; i < end; i++) buf[at++] = src[i];
    } else {
      buf.set(src.subarray(start, end), at);
    }
    this.end(len);
  }

  /** Appends an integer as its decimal text (how Redis hands out a listpack's integer entries). */
  integer(value: number | bigint): void {
    if (typeof value === 'bigint' || !Number.isSafeInteger(value)) {
      this.latin1(String(value));
      return;
    }
    const negative = value < 0;
    let n = negative ? -value : value;
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    const len = digits + (negative ? 1 : 0);
    const at = this.begin(len);
    const buf = this.buf;
    if (negative) buf[at] = 45;
    for (let p = at + len - 1; p >= at + (negative ? 1 : 0); p--) {
      buf[p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.end(len);
  }

  /** Appends a latin1 string. */
  latin1(s: string): void {
    const at = this.begin(s.length);
    this.buf.latin1Write(s, at, s.length);
    this.end(s.length);
  }

  /** The item at `index` as a string (for error messages). */
  itemAt(index: number): string {
    return this.buf.latin1Slice(this.bounds[index * 2], this.bounds[index * 2 + 1]);
  }

  /**
   * The index of the first of the items `first, first + step, ...` equal to an earlier one of
   * them, or -1 (step 2 from 0 checks a hash's fields). Compares bytes in place: meant for the
   * short sequences a compact encoding holds, O(n²).
   */
  firstRepeat(first: number, step: number): number {
    const { buf, bounds } = this;
    for (let i = first + step; i < this.count; i += step) {
      const start = bounds[i * 2];
      const len = bounds[i * 2 + 1] - start;
      for (let j = first; j < i; j += step) {
        const other = bounds[j * 2];
        if (bounds[j * 2 + 1] - other !== len) continue;
        let k = len - 1;
        // From the end: items of one length often differ there (field1, field2 ...).
        while (k >= 0 && buf[start + k] === buf[other + k]) k--;
        if (k < 0) return i;
      }
    }
    return -1;
  }

  /** The sequence of the appended items; empties the builder. */
  finish(): PackedStrings {
    const packed = PackedStrings.fromPackedForm(this.buf.latin1Slice(0, this.used), this.count);
    this.reset();
    return packed;
  }

  /** Writes the length prefix of a `len`-byte item; returns where its bytes go. */
  private begin(len: number): number {
    const need = this.used + len + 5;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    const buf = this.buf;
    let at = this.used;
    // PackedStrings' prefix: a little-endian base-128 varint.
    while (len >= 0x80) {
      buf[at++] = 0x80 | (len & 0x7f);
      len = Math.floor(len / 0x80);
    }
    buf[at++] = len;
    if (this.count * 2 + 2 > this.bounds.length) {
      const grown = new Int32Array(this.bounds.length * 2);
      grown.set(this.bounds);
      this.bounds = grown;
    }
    this.bounds[this.count * 2] = at;
    return at;
  }

  private end(len: number): void {
    const start = this.bounds[this.count * 2];
    this.bounds[this.count * 2 + 1] = start + len;
    this.used = start + len;
    this.count++;
  }
}
