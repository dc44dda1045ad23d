/**
 * A packed sorted array of signed 64-bit integers: the `intset` encoding of small all-integer sets,
 * as Redis keeps them. Elements are 16, 32 or 64 bits wide, widened for good when a value does not
 * fit (like Redis's intsetUpgradeAndAdd), so a set of small integers costs two bytes a member.
 * Lookups are binary searches; inserts and removals move the tail, which is cheap at intset sizes.
 */

/** An integer member: a number while it is a safe integer, a bigint beyond 2^53. */
export type IntMember = number | bigint;

type Cells = Int16Array | Int32Array | BigInt64Array;

const INT16_MIN = -32768;
const INT16_MAX = 32767;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const INITIAL_CAPACITY = 4;

/**
 * The integer a member spells, when Redis would store it in an intset (string2ll: optional '-',
 * no leading zeros or '+', no spaces, within int64), else null.
 */
export function parseIntMember(s: string): IntMember | null {
  const len = s.length;
  if (len === 0 || len > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (len === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (len <= 15) return Number(s);
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

/** Element width in bytes needed for `v`. */
function widthOf(v: IntMember): 2 | 4 | 8 {
  if (typeof v === 'bigint') return 8;
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

function allocate(width: 2 | 4 | 8, capacity: number): Cells {
  if (width === 2) return new Int16Array(capacity);
  if (width === 4) return new Int32Array(capacity);
  return new BigInt64Array(capacity);
}

export class IntSet {
  private cells: Cells = new Int16Array(INITIAL_CAPACITY);
  private count = 0;

  /**
   * The set of a Redis intset's `count` elements of `width` bytes (little-endian, from `offset`),
   * at the narrowest width that holds them, as adding them one by one would make it; null when
   * they are not strictly ascending (a corrupt payload).
   */
  static fromIntsetBytes(buf: Buffer, offset: number, count: number, width: 2 | 4 | 8): IntSet | null {
    const set = new IntSet();
    if (count === 0) return set;
    const read = (i: number): IntMember => {
      const p = offset + i * width;
      if (width === 2) return buf.readInt16LE(p);
      if (width === 4) return buf.readInt32LE(p);
      const big = buf.readBigInt64LE(p);
      const n = Number(big);
      return Number.isSafeInteger(n) ? n : big;
    };
    // Sorted: the ends decide the width.
    const narrowest = Math.max(widthOf(read(0)), widthOf(read(count - 1))) as 2 | 4 | 8;
    const cells = allocate(narrowest, Math.max(count, INITIAL_CAPACITY));
    if (cells instanceof BigInt64Array) {
      for (let i = 0; i < count; i++) {
        cells[i] = width === 8 ? buf.readBigInt64LE(offset + i * 8) : BigInt(read(i));
        if (i > 0 && cells[i] <= cells[i - 1]) return null;
      }
    } else {
      for (let i = 0; i < count; i++) {
        cells[i] = read(i) as number;
        if (i > 0 && cells[i] <= cells[i - 1]) return null;
      }
    }
    set.cells = cells;
    set.count = count;
    return set;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes per element: 2, 4 or 8. */
  get width(): 2 | 4 | 8 {
    return this.cells.BYTES_PER_ELEMENT as 2 | 4 | 8;
  }

  /** Bytes held (for MEMORY USAGE). */
  get byteLength(): number {
    return this.cells.byteLength;
  }

  has(v: IntMember): boolean {
    return this.search(v) >= 0;
  }

  /** Inserts `v`; false when it was already there. */
  add(v: IntMember): boolean {
    if (widthOf(v) > this.width) {
      // Wider than every element: it goes first (negative) or last (positive), as in Redis.
      this.widen(widthOf(v), this.count + 1);
      this.insertAt(v < 0 ? 0 : this.count, v);
      return true;
    }
    const at = this.search(v);
    if (at >= 0) return false;
    if (this.count === this.cells.length) this.widen(this.width, this.cells.length * 2);
    this.insertAt(-at - 1, v);
    return true;
  }

  /** Removes `v`; false when it was not there. */
  remove(v: IntMember): boolean {
    if (widthOf(v) > this.width) return false;
    const at = this.search(v);
    if (at < 0) return false;
    this.removeAt(at);
    return true;
  }

  /** The element at `index` (0 ≤ index < size), in ascending order. */
  at(index: number): IntMember {
    const cells = this.cells;
    if (cells instanceof BigInt64Array) {
      const big = cells[index];
      const n = Number(big);
      return Number.isSafeInteger(n) ? n : big;
    }
    return cells[index];
  }

  /** The element at `index` in decimal, as members are replied. */
  memberAt(index: number): string {
    return String(this.cells[index]);
  }

  removeAt(index: number): void {
    this.cells.copyWithin(index, index + 1, this.count);
    this.count--;
  }

  /** Every element in ascending order, in decimal. */
  members(): string[] {
    const out = new Array<string>(this.count);
    const cells = this.cells;
    for (let i = 0; i < this.count; i++) out[i] = String(cells[i]);
    return out;
  }

  /** Every element in ascending order, as bigints (RDB encoding). */
  toBigInts(): bigint[] {
    const out = new Array<bigint>(this.count);
    const cells = this.cells;
    for (let i = 0; i < this.count; i++) out[i] = BigInt(cells[i]);
    return out;
  }

  clone(): IntSet {
    const copy = new IntSet();
    copy.cells = this.cells.slice(0, Math.max(this.count, INITIAL_CAPACITY));
    copy.count = this.count;
    return copy;
  }

  /** Index of `v`, or -(insertion point) - 1 when absent. `v` fits the current width. */
  private search(v: IntMember): number {
    const cells = this.cells;
    let lo = 0;
    let hi = this.count - 1;
    if (cells instanceof BigInt64Array) {
      const target = BigInt(v);
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const x = cells[mid];
        if (x < target) lo = mid + 1;
        else if (x > target) hi = mid - 1;
        else return mid;
      }
      return -lo - 1;
    }
    if (typeof v === 'bigint') return -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = cells[mid];
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private insertAt(index: number, v: IntMember): void {
    const cells = this.cells;
    cells.copyWithin(index + 1, index, this.count);
    if (cells instanceof BigInt64Array) cells[index] = BigInt(v);
    else cells[index] = v as number;
    this.count++;
  }

  /** Moves the elements into cells of `width` bytes with room for `capacity`. */
  private widen(width: 2 | 4 | 8, capacity: number): void {
    const old = this.cells;
    const cells = allocate(width, Math.max(capacity, INITIAL_CAPACITY));
    if (cells instanceof BigInt64Array && !(old instanceof BigInt64Array)) {
      for (let i = 0; i < this.count; i++) cells[i] = BigInt(old[i]);
    } else {
      (cells as Int32Array).set((old as Int32Array).subarray(0, this.count));
    }
    this.cells = cells;
  }
}
