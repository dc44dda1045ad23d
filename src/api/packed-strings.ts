/**
 * A sequence of small binary-safe (latin1) strings packed into ONE V8 string: each item is its
 * length (a little-endian base-128 varint, one character below 128 bytes) followed by its bytes.
 * It is the in-memory analogue of Redis's listpack, for the compact encodings of small collections.
 *
 * Why one string: in V8 every object has a header, so a Map entry, an array slot plus its string
 * or a Buffer costs 40-150 bytes per item before the item's own bytes. One one-byte string costs
 * 16 bytes for the whole sequence (measured in Node 20 for 100,000 × 20 items of 10 bytes: Map
 * 120 B/field of heap, flat array 110, Buffer per sequence 47 (heap + external), this 29).
 *
 * Items are addressed by *position*: the offset of an item's length prefix, as a listpack entry
 * pointer (`first`, `next`, `itemAt`, `find`, `replaceAt`, `deleteAt`); index-based forms
 * (`get`, `indexOf`) walk from the start. Reads are O(1) at a position, a scan is a linear walk
 * comparing lengths first and then bytes in place (`startsWith`, no allocation).
 * Writes build a new string: `push` concatenates (O(1), V8 joins the parts lazily), replace and
 * delete copy the rest (O(n) bytes, memcpy speed; the sizes compact encodings allow, a few KB,
 * keep that cheaper than any per-item object). Call `compact()` after a batch of writes so the
 * stored string is flat (V8 otherwise keeps the parts until the next read).
 */
export class PackedStrings {
  private data: string;
  private count: number;
  /** True after a `push` until `compact`: the string may be a rope of its parts. */
  private rope: boolean;

  constructor() {
    this.data = '';
    this.count = 0;
    this.rope = false;
  }

  /** A sequence holding `items` in order. */
  static from(items: Iterable<string>): PackedStrings {
    const packed = new PackedStrings();
    for (const item of items) packed.push(item);
    packed.compact();
    return packed;
  }

  /**
   * A sequence over `data`, already in the packed form and holding `count` items: what
   * PackedStringsBuilder makes. Not checked; build through the builder, not by hand.
   */
  static fromPackedForm(data: string, count: number): PackedStrings {
    const packed = new PackedStrings();
    packed.data = data;
    packed.count = count;
    return packed;
  }

  /** Number of items. */
  get length(): number {
    return this.count;
  }

  /** Bytes of the packed form: every item's bytes plus its length prefix. */
  get byteLength(): number {
    return this.data.length;
  }

  /**
   * Estimated heap bytes of this sequence: the object, the string's header and its bytes rounded
   * up to V8's 8-byte alignment (what MEMORY USAGE should count for a value built on it).
   */
  get memoryBytes(): number {
    return PACKED_OBJECT_BYTES + 16 + ((this.data.length + 7) & ~7);
  }

  /** Position of the first item, or -1 when empty. */
  first(): number {
    return this.count === 0 ? -1 : 0;
  }

  /** Position of the item after the one at `pos`, or -1 when `pos` is the last. */
  next(pos: number): number {
    const after = this.endOf(pos);
    return after < this.data.length ? after : -1;
  }

  /** The item at `pos` (a new string sharing nothing mutable). */
  itemAt(pos: number): string {
    const len = this.lengthAt(pos);
    const start = pos + prefixSize(len);
    return this.data.slice(start, start + len);
  }

  /** The byte length of the item at `pos`. */
  lengthAt(pos: number): number {
    const data = this.data;
    let c = data.charCodeAt(pos);
    if (c < 0x80) return c;
    let len = c & 0x7f;
    let shift = 7;
    for (;;) {
      c = data.charCodeAt(++pos);
      len += (c & 0x7f) * 2 ** shift;
      if (c < 0x80) return len;
      shift += 7;
    }
  }

  /** True when the item at `pos` is exactly `item`. */
  equalsAt(pos: number, item: string): boolean {
    const len = this.lengthAt(pos);
    return len === item.length && this.data.startsWith(item, pos + prefixSize(len));
  }

  /**
   * The position of the first item equal to `item`, looking at the item at `pos` and then every
   * `skip + 1`-th item after it (skip 1 visits the fields of field/value pairs, as lpFind's skip);
   * -1 when none matches.
   */
  find(item: string, pos = 0, skip = 0): number {
    const data = this.data;
    const end = data.length;
    const wanted = item.length;
    // Items of one length often differ at the end only (field:1, field:2 ...): that byte first.
    const last = wanted === 0 ? -1 : item.charCodeAt(wanted - 1);
    while (pos < end) {
      let len = data.charCodeAt(pos);
      let start = pos + 1;
      if (len >= 0x80) {
        len = this.lengthAt(pos);
        start = pos + prefixSize(len);
      }
      if (len === wanted && (len === 0 || data.charCodeAt(start + len - 1) === last) && data.startsWith(item, start)) return pos;
      pos = start + len;
      for (let i = 0; i < skip && pos < end; i++) pos = this.endOf(pos);
    }
    return -1;
  }

  /** The item at `index` (0-based), or undefined past the end. O(index). */
  get(index: number): string | undefined {
    const pos = this.positionOf(index);
    return pos < 0 ? undefined : this.itemAt(pos);
  }

  /** The position of the item at `index`, or -1 past the end. O(index). */
  positionOf(index: number): number {
    if (index < 0 || index >= this.count) return -1;
    let pos = 0;
    for (let i = 0; i < index; i++) pos = this.endOf(pos);
    return pos;
  }

  /** The index of the first item equal to `item`, or -1. */
  indexOf(item: string): number {
    const data = this.data;
    let pos = 0;
    for (let i = 0; i < this.count; i++) {
      const len = this.lengthAt(pos);
      const start = pos + prefixSize(len);
      if (len === item.length && data.startsWith(item, start)) return i;
      pos = start + len;
    }
    return -1;
  }

  /** Appends `item` at the end. */
  push(item: string): void {
    this.data += prefixOf(item.length) + item;
    this.count++;
    this.rope = true;
  }

  /** Replaces the item at `pos` with `item`. */
  replaceAt(pos: number, item: string): void {
    const data = this.data;
    const end = this.endOf(pos);
    const piece = prefixOf(item.length) + item;
    this.data = flat(end === data.length ? data.slice(0, pos) + piece : data.slice(0, pos) + piece + data.slice(end));
    this.rope = false;
  }

  /** Removes `n` items starting at `pos` (fewer if the sequence ends first); returns how many. */
  deleteAt(pos: number, n = 1): number {
    const data = this.data;
    let end = pos;
    let removed = 0;
    while (removed < n && end < data.length) {
      end = this.endOf(end);
      removed++;
    }
    this.data = pos === 0 ? data.slice(end) : end === data.length ? data.slice(0, pos) : data.slice(0, pos) + data.slice(end);
    if (removed > 0) {
      this.data = flat(this.data);
      this.rope = false;
    }
    this.count -= removed;
    return removed;
  }

  /** Removes every item. */
  clear(): void {
    this.data = '';
    this.count = 0;
    this.rope = false;
  }

  /** Makes the stored string flat after a batch of `push`es (a no-op otherwise). */
  compact(): void {
    if (!this.rope) return;
    this.data = flat(this.data);
    this.rope = false;
  }

  /** Calls `fn` with each item and its index, in order. */
  forEach(fn: (item: string, index: number) => void): void {
    const data = this.data;
    let pos = 0;
    for (let i = 0; i < this.count; i++) {
      const len = this.lengthAt(pos);
      const start = pos + prefixSize(len);
      pos = start + len;
      fn(data.slice(start, pos), i);
    }
  }

  /** Every item in order. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (let pos = this.first(); pos >= 0; pos = this.next(pos)) yield this.itemAt(pos);
  }

  /** The items as an array. */
  toArray(): string[] {
    const out: string[] = [];
    this.forEach((item) => out.push(item));
    return out;
  }

  /** An independent copy (cheap: the packed string itself is immutable and shared). */
  clone(): PackedStrings {
    const copy = new PackedStrings();
    copy.data = this.data;
    copy.count = this.count;
    copy.rope = this.rope;
    return copy;
  }

  /** The position just past the item at `pos`. */
  private endOf(pos: number): number {
    const c = this.data.charCodeAt(pos);
    if (c < 0x80) return pos + 1 + c;
    const len = this.lengthAt(pos);
    return pos + prefixSize(len) + len;
  }
}

/** A PackedStrings object's own size in V8: header plus three fields. */
const PACKED_OBJECT_BYTES = 48;

/** One-character strings for lengths below 128: V8 caches them, so no allocation per prefix. */
const SHORT_PREFIXES: string[] = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i));

function prefixSize(len: number): number {
  return len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
}

function prefixOf(len: number): string {
  if (len < 0x80) return SHORT_PREFIXES[len];
  let out = '';
  while (len >= 0x80) {
    out += String.fromCharCode(0x80 | (len & 0x7f));
    len = Math.floor(len / 0x80);
  }
  return out + String.fromCharCode(len);
}

/**
 * Makes V8 store `s` flat: a concatenation is a rope of its parts until something reads it as a
 * whole; converting it to a number flattens it in place (the rope's shell is dropped by the next
 * young-generation GC), so the parts, and the strings they were sliced from, can be collected.
 */
function flat(s: string): string {
  // Stored so the optimising compiler cannot drop the conversion as unused.
  flattenSink.value = (s as unknown as number) | 0;
  return s;
}
const flattenSink = { value: 0 };
