import { LISTPACK_EMPTY_BYTES, listpackEntryBytes } from './listpack-size';
import { allocateRegion, regionStart, resizeInPlace } from './node-slab';

const NO_ITEMS: readonly string[] = [];
/** Room a new node starts with on each side of its elements. */
const INITIAL_ROOM = 16;
/** Bytes of an entry's length field: 1 below 128, 2 below 16384, else 5. */
function lengthBytes(len: number): number {
  return len < 0x80 ? 1 : len < 0x4000 ? 2 : 5;
}

export function entryBytes(len: number): number {
  return 2 * lengthBytes(len) + len;
}

/** Shared result of readHeader/readTrailer: [length, data start or end]. Read it at once. */
const pair: [number, number] = [0, 0];

export function writeHeader(b: Buffer, p: number, len: number): number {
  if (len < 0x80) {
    b[p++] = len;
  } else if (len < 0x4000) {
    b[p++] = 0x80 | (len >> 8);
    b[p++] = len & 0xff;
  } else {
    b[p++] = 0xc0;
    b.writeUInt32LE(len, p);
    p += 4;
  }
  return p;
}

export function writeTrailer(b: Buffer, p: number, len: number): number {
  if (len < 0x80) {
    b[p++] = len;
  } else if (len < 0x4000) {
    b[p++] = len & 0xff;
    b[p++] = 0x80 | (len >> 8);
  } else {
    b.writeUInt32LE(len, p);
    p += 4;
    b[p++] = 0xc0;
  }
  return p;
}

/** [length, data start] of the entry at `p`. */
function readHeader(b: Buffer, p: number): [number, number] {
  const h = b[p];
  if (h < 0x80) {
    pair[0] = h;
    pair[1] = p + 1;
  } else if (h < 0xc0) {
    pair[0] = ((h & 0x3f) << 8) | b[p + 1];
    pair[1] = p + 2;
  } else {
    pair[0] = b.readUInt32LE(p + 1);
    pair[1] = p + 5;
  }
  return pair;
}

/** [length, data end] of the entry ending at `p`. */
function readTrailer(b: Buffer, p: number): [number, number] {
  const t = b[p - 1];
  if (t < 0x80) {
    pair[0] = t;
    pair[1] = p - 1;
  } else if (t < 0xc0) {
    pair[0] = ((t & 0x3f) << 8) | b[p - 2];
    pair[1] = p - 2;
  } else {
    pair[0] = b.readUInt32LE(p - 5);
    pair[1] = p - 5;
  }
  return pair;
}

/**
 * One quicklist node: its elements packed in one Buffer, each as [length] bytes [length mirrored],
 * so the node walks from either end (as a listpack does) with no object per element. Free room is
 * kept at both ends for O(1) pushes and pops; changes in the middle repack the node (Redis moves
 * the listpack's bytes then too). `sz` is the bytes Redis's listpack of the same elements takes,
 * which decides splits and merges exactly as Redis does.
 */
export class QuickListNode {
  /** The Buffer holding the node's region buf[base, end) (shared with other nodes when small). */
  buf: Buffer;
  base: number;
  end: number;
  /** The packed entries are buf[lo, hi), inside the region. */
  lo: number;
  hi: number;
  count = 0;
  sz = LISTPACK_EMPTY_BYTES;

  constructor(items: readonly string[] = [], room = INITIAL_ROOM) {
    let bytes = 0;
    for (let i = 0; i < items.length; i++) bytes += entryBytes(items[i].length);
    this.buf = allocateRegion(bytes + room * 2);
    this.base = regionStart;
    this.end = regionStart + bytes + room * 2;
    this.lo = this.hi = regionStart + room;
    for (let i = 0; i < items.length; i++) this.pushTail(items[i]);
  }

  /** A node over entries already in the node's format, `src[start, end)` (a loader's), copied to a region of their size. */
  static fromPacked(src: Buffer, start: number, end: number, count: number, sz: number): QuickListNode {
    const node = new QuickListNode(NO_ITEMS, 0);
    const used = end - start;
    node.buf = allocateRegion(used + 2);
    node.base = regionStart;
    node.end = regionStart + used + 2;
    src.copy(node.buf, regionStart + 1, start, end);
    node.lo = regionStart + 1;
    node.hi = node.lo + used;
    node.count = count;
    node.sz = sz;
    return node;
  }

  /** Makes room for `bytes` more at the front or the back: recentres, widens in place, or moves. */
  private room(bytes: number, front: boolean): void {
    // The slab's latest region grows at its tail where it is, by little: a list filled by one
    // push ends with its bytes plus INITIAL_ROOM, as a listpack sized to fit would be.
    if (!front && resizeInPlace(this.buf, this.base, this.end, this.hi + bytes + INITIAL_ROOM)) {
      this.end = this.hi + bytes + INITIAL_ROOM;
      return;
    }
    const used = this.hi - this.lo;
    const cap = this.end - this.base;
    const size = used + bytes <= cap >> 1 ? cap : Math.max(cap + (cap >> 1), used + bytes + INITIAL_ROOM * 2);
    const spare = size - used - bytes;
    // Most of the spare room goes to the side that ran out.
    const lo = front ? bytes + spare - (spare >> 2) : spare >> 2;
    if (size === cap || resizeInPlace(this.buf, this.base, this.end, this.base + size)) {
      this.buf.copyWithin(this.base + lo, this.lo, this.hi);
    } else {
      const next = allocateRegion(size);
      this.buf.copy(next, regionStart + lo, this.lo, this.hi);
      this.buf = next;
      this.base = regionStart;
    }
    this.end = this.base + size;
    this.lo = this.base + lo;
    this.hi = this.lo + used;
  }

  /** Drops the spare room: a node that will not grow again keeps only its bytes. */
  shrink(): void {
    const used = this.hi - this.lo;
    if (this.end - this.base - used < 32) return;
    // The slab's latest region gives its spare tail back where it is.
    if (resizeInPlace(this.buf, this.base, this.end, this.hi + 1)) this.end = this.hi + 1;
    else this.moveTo(used + 2);
  }

  /** Copies the entries into a fresh region of `size` bytes, one byte of room before them. */
  private moveTo(size: number): void {
    const next = allocateRegion(size);
    const used = this.hi - this.lo;
    this.buf.copy(next, regionStart + 1, this.lo, this.hi);
    this.buf = next;
    this.base = regionStart;
    this.end = regionStart + size;
    this.lo = regionStart + 1;
    this.hi = this.lo + used;
  }

  pushTail(s: string): void {
    const len = s.length;
    const need = entryBytes(len);
    if (this.hi + need > this.end) this.room(need, false);
    const b = this.buf;
    let p = writeHeader(b, this.hi, len);
    p += b.latin1Write(s, p, len);
    this.hi = writeTrailer(b, p, len);
    this.count++;
    this.sz += listpackEntryBytes(s);
  }

  pushHead(s: string): void {
    const len = s.length;
    const need = entryBytes(len);
    if (this.lo - this.base < need) this.room(need, true);
    const b = this.buf;
    const start = this.lo - need;
    let p = writeHeader(b, start, len);
    p += b.latin1Write(s, p, len);
    writeTrailer(b, p, len);
    this.lo = start;
    this.count++;
    this.sz += listpackEntryBytes(s);
  }

  popHead(): string {
    const b = this.buf;
    readHeader(b, this.lo);
    const len = pair[0];
    const at = pair[1];
    const s = b.latin1Slice(at, at + len);
    this.lo = at + len + lengthBytes(len);
    this.count--;
    this.sz -= listpackEntryBytes(s);
    return s;
  }

  popTail(): string {
    const b = this.buf;
    readTrailer(b, this.hi);
    const len = pair[0];
    const end = pair[1];
    const s = b.latin1Slice(end - len, end);
    this.hi = end - len - lengthBytes(len);
    this.count--;
    this.sz -= listpackEntryBytes(s);
    return s;
  }

  /** Byte position of entry `i`'s data (its length is then in `pair[0]`), walking from the nearer end. */
  private seek(i: number): number {
    const b = this.buf;
    if (i < this.count >> 1) {
      let p = this.lo;
      for (;;) {
        readHeader(b, p);
        if (i-- === 0) return pair[1];
        p = pair[1] + pair[0] + lengthBytes(pair[0]);
      }
    }
    let p = this.hi;
    for (let k = this.count - 1; ; k--) {
      readTrailer(b, p);
      const start = pair[1] - pair[0];
      if (k === i) return start;
      p = start - lengthBytes(pair[0]);
    }
  }

  get(i: number): string {
    const at = this.seek(i);
    return this.buf.latin1Slice(at, at + pair[0]);
  }

  /**
   * Calls `fn(buf, start, end)` for entries from..to (inclusive), in order or, with `reverse`,
   * from `to` down to `from`. The bytes are the node's own: copy what is kept.
   */
  forEachBytes(from: number, to: number, reverse: boolean, fn: (buf: Buffer, start: number, end: number) => void): void {
    const b = this.buf;
    let at = this.seek(reverse ? to : from);
    let len = pair[0];
    if (!reverse) {
      for (let i = from; ; i++) {
        fn(b, at, at + len);
        if (i === to) return;
        readHeader(b, at + len + lengthBytes(len));
        len = pair[0];
        at = pair[1];
      }
    }
    for (let i = to; ; i--) {
      fn(b, at, at + len);
      if (i === from) return;
      readTrailer(b, at - lengthBytes(len));
      len = pair[0];
      at = pair[1] - len;
    }
  }

  /** Indexes of the entries equal to `target`, ascending. */
  matches(target: Buffer): number[] {
    const out: number[] = [];
    const b = this.buf;
    const tlen = target.length;
    let p = this.lo;
    for (let i = 0; i < this.count; i++) {
      readHeader(b, p);
      const len = pair[0];
      const at = pair[1];
      if (len === tlen && b.compare(target, 0, tlen, at, at + len) === 0) out.push(i);
      p = at + len + lengthBytes(len);
    }
    return out;
  }

  toArray(): string[] {
    const out: string[] = new Array<string>(this.count);
    const b = this.buf;
    let p = this.lo;
    for (let i = 0; i < this.count; i++) {
      readHeader(b, p);
      const len = pair[0];
      const at = pair[1];
      out[i] = b.latin1Slice(at, at + len);
      p = at + len + lengthBytes(len);
    }
    return out;
  }

  /** The elements, decoded (RDB, AOF rewrite, tests). */
  get items(): string[] {
    return this.toArray();
  }

  /** Replaces the node's elements: a change in the middle repacks it. */
  repack(items: readonly string[]): void {
    const fresh = new QuickListNode(items);
    this.buf = fresh.buf;
    this.base = fresh.base;
    this.end = fresh.end;
    this.lo = fresh.lo;
    this.hi = fresh.hi;
    this.count = fresh.count;
    this.sz = fresh.sz;
  }

  clone(): QuickListNode {
    const copy = new QuickListNode();
    const used = this.hi - this.lo;
    copy.buf = allocateRegion(used + 2);
    copy.base = regionStart;
    copy.end = regionStart + used + 2;
    this.buf.copy(copy.buf, regionStart + 1, this.lo, this.hi);
    copy.lo = regionStart + 1;
    copy.hi = copy.lo + used;
    copy.count = this.count;
    copy.sz = this.sz;
    return copy;
  }
}
