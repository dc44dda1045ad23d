import { LONG_LENGTH, recordBytes, writeBytes, writeLength, writeText } from './record-format';

/**
 * Field/value records packed into Buffer slabs, the byte store behind CompactStringMap. A record is
 * [owner entry: u32 LE][field length][field bytes][value length][value bytes], a length being one
 * byte below 255, else 255 and a u32 LE. A record is addressed by its *location*:
 * `slab * SLAB_BYTES + offset` (a float, so the store has no 4 GB limit).
 *
 * Why slabs: a V8 string costs a 16-byte header plus its bytes rounded up to 8, and every Buffer
 * with memory of its own ~400 bytes (see plugins/lists/packed-node.ts); 32 kB slabs hold ~1,000
 * small records each, outside the V8 heap (so no GC headroom is kept for them either).
 *
 * Space is never reused inside a slab: a freed record becomes garbage, and a slab whose garbage
 * reaches half of it has its live records copied to the current slab and is released. That bounds
 * both the waste (about 2x the live bytes at worst) and the work of one free (one slab's copy).
 * A record is live when its owner entry still points at it (`RecordOwner.isLiveRecord`).
 */
export const SLAB_BYTES = 32 * 1024;
/** Records above this size get a Buffer of their own, released as soon as they are freed. */
const BIG_RECORD = 8 * 1024;
/** The first slab starts this small and doubles up to SLAB_BYTES (a small table stays small). */
const FIRST_SLAB_BYTES = 256;

const NO_BYTES = Buffer.alloc(0);

export interface RecordOwner {
  /** True when entry `back` still points at the record at `loc`. */
  isLiveRecord(back: number, loc: number): boolean;
  /** Entry `back`'s record moved to `loc` (slab compaction). */
  recordMoved(back: number, loc: number): void;
}

export class RecordSlabs {
  private slabs: (Buffer | null)[] = [];
  /** Per slab: bytes written (records end there), and bytes of dead records or unusable tail. */
  private used: number[] = [];
  private garbage: number[] = [];
  /** Released slab numbers, reused before the array grows. */
  private freeSlabs: number[] = [];
  /** The slab records are appended to (-1 before the first). */
  private current = -1;
  private compacting = false;
  /** Out-parameters of fieldRange/valueRange: read them right after the call. */
  rangeBuffer: Buffer = NO_BYTES;
  rangeStart = 0;
  rangeEnd = 0;

  constructor(private readonly owner: RecordOwner) {}

  /** Bytes held by the slabs (allocated, dead records included). */
  get allocatedBytes(): number {
    let bytes = 0;
    for (const slab of this.slabs) if (slab !== null) bytes += slab.length;
    return bytes;
  }

  get slabCount(): number {
    return this.slabs.length - this.freeSlabs.length;
  }

  /** Stores a record for entry `back`; returns its location. */
  append(back: number, field: string, value: string): number {
    const size = recordBytes(field.length, value.length);
    const loc = this.reserve(size);
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    const b = this.slabs[slabIndex]!;
    let p = loc - slabIndex * SLAB_BYTES;
    b.writeUInt32LE(back >>> 0, p);
    p = writeText(b, writeLength(b, p + 4, field.length), field);
    writeText(b, writeLength(b, p, value.length), value);
    return loc;
  }

  /** `append` from bytes (a command's arguments, no string made). */
  appendBytes(back: number, field: Uint8Array, value: Uint8Array): number {
    const size = recordBytes(field.length, value.length);
    const loc = this.reserve(size);
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    const b = this.slabs[slabIndex]!;
    let p = loc - slabIndex * SLAB_BYTES;
    b.writeUInt32LE(back >>> 0, p);
    p = writeBytes(b, writeLength(b, p + 4, field.length), field);
    writeBytes(b, writeLength(b, p, value.length), value);
    return loc;
  }

  /** Frees the record at `loc` (its owner entry must no longer point at it). */
  free(loc: number): void {
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    const b = this.slabs[slabIndex]!;
    const size = this.sizeAt(b, loc - slabIndex * SLAB_BYTES);
    if (b.length > SLAB_BYTES || size > BIG_RECORD) {
      this.release(slabIndex);
      return;
    }
    this.garbage[slabIndex] += size;
    this.compactIfWasteful(slabIndex);
  }

  /** Rewrites the owner entry of the record at `loc` (the owner renumbered its entries). */
  setBack(loc: number, back: number): void {
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    this.slabs[slabIndex]!.writeUInt32LE(back >>> 0, loc - slabIndex * SLAB_BYTES);
  }

  /** True when the record's field is `s`. */
  fieldEquals(loc: number, s: string): boolean {
    this.fieldRange(loc);
    const n = s.length;
    const p = this.rangeStart;
    if (this.rangeEnd - p !== n) return false;
    const b = this.rangeBuffer;
    for (let i = 0; i < n; i++) if (b[p + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** True when the record's field is the bytes `s`. */
  fieldEqualsBytes(loc: number, s: Uint8Array): boolean {
    this.fieldRange(loc);
    const n = s.length;
    const p = this.rangeStart;
    if (this.rangeEnd - p !== n) return false;
    const b = this.rangeBuffer;
    for (let i = 0; i < n; i++) if (b[p + i] !== s[i]) return false;
    return true;
  }

  /** Sets rangeBuffer/rangeStart/rangeEnd to the record's field bytes. */
  fieldRange(loc: number): void {
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    const b = this.slabs[slabIndex]!;
    this.readItem(b, loc - slabIndex * SLAB_BYTES + 4);
  }

  /** Sets rangeBuffer/rangeStart/rangeEnd to the record's value bytes. */
  valueRange(loc: number): void {
    const slabIndex = (loc / SLAB_BYTES) >>> 0;
    const b = this.slabs[slabIndex]!;
    this.readItem(b, loc - slabIndex * SLAB_BYTES + 4);
    this.readItem(b, this.rangeEnd);
  }

  fieldOf(loc: number): string {
    this.fieldRange(loc);
    return this.rangeBuffer.latin1Slice(this.rangeStart, this.rangeEnd);
  }

  valueOf(loc: number): string {
    this.valueRange(loc);
    return this.rangeBuffer.latin1Slice(this.rangeStart, this.rangeEnd);
  }

  /** Overwrites the record's value in place when `value` has its length; false otherwise. */
  overwriteValue(loc: number, value: string): boolean {
    this.valueRange(loc);
    if (this.rangeEnd - this.rangeStart !== value.length) return false;
    writeText(this.rangeBuffer, this.rangeStart, value);
    return true;
  }

  /** `overwriteValue` from bytes. */
  overwriteValueBytes(loc: number, value: Uint8Array): boolean {
    this.valueRange(loc);
    if (this.rangeEnd - this.rangeStart !== value.length) return false;
    writeBytes(this.rangeBuffer, this.rangeStart, value);
    return true;
  }

  /** A copy of every slab for a copy of the owner (locations and entries stay valid). */
  cloneFor(owner: RecordOwner): RecordSlabs {
    const copy = new RecordSlabs(owner);
    copy.slabs = this.slabs.map((b) => (b === null ? null : copyOf(b)));
    copy.used = this.used.slice();
    copy.garbage = this.garbage.slice();
    copy.freeSlabs = this.freeSlabs.slice();
    copy.current = this.current;
    return copy;
  }

  private readItem(b: Buffer, p: number): void {
    let len = b[p++];
    if (len === LONG_LENGTH) {
      len = b.readUInt32LE(p);
      p += 4;
    }
    this.rangeBuffer = b;
    this.rangeStart = p;
    this.rangeEnd = p + len;
  }

  private sizeAt(b: Buffer, p: number): number {
    this.readItem(b, p + 4);
    this.readItem(b, this.rangeEnd);
    return this.rangeEnd - p;
  }

  /** Room for `size` bytes: its location, in the current slab (grown or replaced) or a big one. */
  private reserve(size: number): number {
    if (size > BIG_RECORD) {
      const slabIndex = this.newSlab(Buffer.allocUnsafeSlow(size));
      this.used[slabIndex] = size;
      return slabIndex * SLAB_BYTES;
    }
    let slabIndex = this.current;
    if (slabIndex >= 0) {
      const at = this.used[slabIndex];
      const b = this.slabs[slabIndex]!;
      if (at + size <= b.length) {
        this.used[slabIndex] = at + size;
        return slabIndex * SLAB_BYTES + at;
      }
      if (at + size <= SLAB_BYTES) {
        // Still growing towards a full slab: a bigger copy keeps every location valid.
        const grown = Buffer.allocUnsafeSlow(Math.min(SLAB_BYTES, Math.max(b.length * 2, at + size)));
        b.copy(grown, 0, 0, at);
        this.slabs[slabIndex] = grown;
        this.used[slabIndex] = at + size;
        return slabIndex * SLAB_BYTES + at;
      }
    }
    const previous = slabIndex;
    slabIndex = this.newSlab(Buffer.allocUnsafeSlow(previous < 0 ? Math.max(FIRST_SLAB_BYTES, size) : SLAB_BYTES));
    this.current = slabIndex;
    this.used[slabIndex] = size;
    if (previous >= 0) {
      // The old slab's unused tail will never be written: it counts as garbage.
      this.garbage[previous] += this.slabs[previous]!.length - this.used[previous];
      this.compactIfWasteful(previous);
    }
    return slabIndex * SLAB_BYTES;
  }

  private newSlab(b: Buffer): number {
    const slabIndex = this.freeSlabs.length > 0 ? this.freeSlabs.pop()! : this.slabs.length;
    this.slabs[slabIndex] = b;
    this.used[slabIndex] = 0;
    this.garbage[slabIndex] = 0;
    return slabIndex;
  }

  private release(slabIndex: number): void {
    this.slabs[slabIndex] = null;
    this.used[slabIndex] = 0;
    this.garbage[slabIndex] = 0;
    if (slabIndex === this.current) this.current = -1;
    this.freeSlabs.push(slabIndex);
  }

  /** Moves a slab's live records to the current slab once half of it is garbage. */
  private compactIfWasteful(slabIndex: number): void {
    if (this.compacting || slabIndex === this.current) return;
    const b = this.slabs[slabIndex]!;
    const end = this.used[slabIndex];
    if (this.garbage[slabIndex] * 2 < b.length && this.garbage[slabIndex] < end) return;
    this.compacting = true;
    try {
      for (let p = 0; p < end; ) {
        const size = this.sizeAt(b, p);
        const back = b.readUInt32LE(p);
        const loc = slabIndex * SLAB_BYTES + p;
        if (this.owner.isLiveRecord(back, loc)) {
          const to = this.reserve(size);
          const toIndex = (to / SLAB_BYTES) >>> 0;
          b.copy(this.slabs[toIndex]!, to - toIndex * SLAB_BYTES, p, p + size);
          this.owner.recordMoved(back, to);
        }
        p += size;
      }
    } finally {
      this.compacting = false;
    }
    this.release(slabIndex);
  }
}

function copyOf(b: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}
