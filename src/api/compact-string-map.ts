import { bytesHash, latin1Hash } from './latin1-hash';
import { RecordSlabs, type RecordOwner } from './record-slabs';

/**
 * A map from binary-safe (latin1) strings to latin1 strings, for large collections: a chained hash
 * table over typed arrays whose field and value bytes live in Buffer slabs (RecordSlabs). Per
 * entry it costs its bytes plus ~30 (record header, chain, hash, location, bucket), against a
 * V8 Map's ~90 (an OrderedHashMap entry and two string objects, plus GC headroom for them).
 *
 * Entries are numbered; a number stays the entry's while it lives, except when the table shrinks
 * (fewer than 1/8 of its slots used), which renumbers them and bumps `generation`. Walks use the
 * numbers (`nextEntry`), so they are live: an entry present throughout a walk is visited, entries
 * added meanwhile may or may not be; a walk that sees the generation change starts over, which may
 * repeat entries but misses none (the SCAN guarantee). Strings must be latin1 (char codes < 256).
 */
const MIN_CAPACITY = 8;
const NO_BYTES = Buffer.alloc(0);

export class CompactStringMap implements RecordOwner {
  /** Per bucket: its first entry's number + 1, 0 when empty. */
  private buckets = new Int32Array(MIN_CAPACITY);
  /** Per entry: the next entry of its chain (or of the free list) + 1, 0 at the end. */
  private chain = new Int32Array(MIN_CAPACITY);
  private hashes = new Int32Array(MIN_CAPACITY);
  /** Per entry: its record's location, -1 when the entry is free. */
  private locs = new Float64Array(MIN_CAPACITY).fill(-1);
  private mask = MIN_CAPACITY - 1;
  private count = 0;
  /** Entries numbered below this have been used; those above never were. */
  private used = 0;
  private freeHead = 0;
  private records: RecordSlabs = new RecordSlabs(this);
  private renumbered = 0;

  /** Bumped when entries are renumbered (see the class comment). */
  get generation(): number {
    return this.renumbered;
  }

  get size(): number {
    return this.count;
  }

  /** Estimated bytes: the object, its arrays and its slabs. */
  get memoryBytes(): number {
    return 400 + (this.mask + 1) * 20 + this.records.allocatedBytes + this.records.slabCount * 100;
  }

  /** The entry holding `field`, or -1. */
  find(field: string): number {
    const h = latin1Hash(field);
    const hashes = this.hashes;
    for (let e = this.buckets[h & this.mask]; e !== 0; ) {
      const i = e - 1;
      if (hashes[i] === h && this.records.fieldEquals(this.locs[i], field)) return i;
      e = this.chain[i];
    }
    return -1;
  }

  /** `find` for a field given as its bytes (a command argument: no string made). */
  findBytes(field: Uint8Array): number {
    const h = bytesHash(field);
    const hashes = this.hashes;
    for (let e = this.buckets[h & this.mask]; e !== 0; ) {
      const i = e - 1;
      if (hashes[i] === h && this.records.fieldEqualsBytes(this.locs[i], field)) return i;
      e = this.chain[i];
    }
    return -1;
  }

  has(field: string): boolean {
    return this.find(field) >= 0;
  }

  get(field: string): string | undefined {
    const i = this.find(field);
    return i < 0 ? undefined : this.records.valueOf(this.locs[i]);
  }

  /** Sets a value; returns true when the field is new. */
  set(field: string, value: string): boolean {
    const h = latin1Hash(field);
    for (let e = this.buckets[h & this.mask]; e !== 0; ) {
      const i = e - 1;
      if (this.hashes[i] === h && this.records.fieldEquals(this.locs[i], field)) {
        this.replaceValue(i, field, value);
        return false;
      }
      e = this.chain[i];
    }
    const i = this.allocateEntry();
    this.hashes[i] = h;
    this.locs[i] = this.records.append(i, field, value);
    const b = h & this.mask;
    this.chain[i] = this.buckets[b];
    this.buckets[b] = i + 1;
    this.count++;
    return true;
  }

  /** `set` from bytes (a command's arguments: no string made). */
  setBytes(field: Uint8Array, value: Uint8Array): boolean {
    const h = bytesHash(field);
    for (let e = this.buckets[h & this.mask]; e !== 0; ) {
      const i = e - 1;
      if (this.hashes[i] === h && this.records.fieldEqualsBytes(this.locs[i], field)) {
        const loc = this.locs[i];
        if (this.records.overwriteValueBytes(loc, value)) return false;
        // As replaceValue: the entry points nowhere while records are freed and appended.
        this.locs[i] = -1;
        this.records.free(loc);
        this.locs[i] = this.records.appendBytes(i, field, value);
        return false;
      }
      e = this.chain[i];
    }
    const i = this.allocateEntry();
    this.hashes[i] = h;
    this.locs[i] = this.records.appendBytes(i, field, value);
    const b = h & this.mask;
    this.chain[i] = this.buckets[b];
    this.buckets[b] = i + 1;
    this.count++;
    return true;
  }

  /** Removes `field`; returns true when it was there. */
  delete(field: string): boolean {
    const h = latin1Hash(field);
    const b = h & this.mask;
    let previous = -1;
    for (let e = this.buckets[b]; e !== 0; ) {
      const i = e - 1;
      if (this.hashes[i] === h && this.records.fieldEquals(this.locs[i], field)) {
        if (previous < 0) this.buckets[b] = this.chain[i];
        else this.chain[previous] = this.chain[i];
        const loc = this.locs[i];
        this.locs[i] = -1;
        this.chain[i] = this.freeHead;
        this.freeHead = i + 1;
        this.count--;
        this.records.free(loc);
        if (this.count * 8 < this.mask + 1 && this.mask + 1 > MIN_CAPACITY) this.rebuild(this.count * 2);
        return true;
      }
      previous = i;
      e = this.chain[i];
    }
    return false;
  }

  /** The first live entry numbered above `i` (-1 starts a walk), or -1 at the end. */
  nextEntry(i: number): number {
    const { locs, used } = this;
    for (let j = i + 1; j < used; j++) if (locs[j] >= 0) return j;
    return -1;
  }

  fieldAt(i: number): string {
    return this.records.fieldOf(this.locs[i]);
  }

  valueAt(i: number): string {
    return this.records.valueOf(this.locs[i]);
  }

  /** Sets rangeBuffer/rangeStart/rangeEnd to entry `i`'s field bytes (read them at once). */
  fieldRange(i: number): void {
    this.records.fieldRange(this.locs[i]);
    this.copyRange();
  }

  /** Sets rangeBuffer/rangeStart/rangeEnd to entry `i`'s value bytes (read them at once). */
  valueRange(i: number): void {
    this.records.valueRange(this.locs[i]);
    this.copyRange();
  }

  rangeBuffer: Buffer = NO_BYTES;
  rangeStart = 0;
  rangeEnd = 0;

  /** Calls `fn(value, field)` for every entry (a Map's forEach shape). */
  forEach(fn: (value: string, field: string) => void): void {
    for (let i = this.nextEntry(-1); i >= 0; i = this.nextEntry(i)) fn(this.valueAt(i), this.fieldAt(i));
  }

  /** Every [field, value], live (see the class comment). */
  *entries(): IterableIterator<[string, string]> {
    let generation = this.renumbered;
    for (let i = this.nextEntry(-1); i >= 0; ) {
      yield [this.fieldAt(i), this.valueAt(i)];
      if (generation !== this.renumbered) {
        generation = this.renumbered;
        i = this.nextEntry(-1);
      } else {
        i = this.nextEntry(i);
      }
    }
  }

  /** A uniformly random entry number, or -1 when empty (at least 1/8 of the numbers are live). */
  randomEntry(): number {
    if (this.count === 0) return -1;
    for (;;) {
      const i = Math.floor(Math.random() * this.used);
      if (this.locs[i] >= 0) return i;
    }
  }

  /** A copy sharing nothing (entry numbers stay the same). */
  clone(): CompactStringMap {
    const copy = new CompactStringMap();
    copy.buckets = this.buckets.slice();
    copy.chain = this.chain.slice();
    copy.hashes = this.hashes.slice();
    copy.locs = this.locs.slice();
    copy.mask = this.mask;
    copy.count = this.count;
    copy.used = this.used;
    copy.freeHead = this.freeHead;
    copy.records = this.records.cloneFor(copy);
    return copy;
  }

  /** RecordOwner: slab compaction asks whether a record is live, and tells where it went. */
  isLiveRecord(back: number, loc: number): boolean {
    return back < this.used && this.locs[back] === loc;
  }

  recordMoved(back: number, loc: number): void {
    this.locs[back] = loc;
  }

  private copyRange(): void {
    const records = this.records;
    this.rangeBuffer = records.rangeBuffer;
    this.rangeStart = records.rangeStart;
    this.rangeEnd = records.rangeEnd;
  }

  private replaceValue(i: number, field: string, value: string): void {
    const loc = this.locs[i];
    if (this.records.overwriteValue(loc, value)) return;
    // The entry points nowhere while its old record is freed and the new one appended: a slab
    // compaction either of them triggers must see the old record as dead, not move it.
    this.locs[i] = -1;
    this.records.free(loc);
    this.locs[i] = this.records.append(i, field, value);
  }

  private allocateEntry(): number {
    if (this.freeHead !== 0) {
      const i = this.freeHead - 1;
      this.freeHead = this.chain[i];
      return i;
    }
    if (this.used > this.mask) this.grow();
    return this.used++;
  }

  /** Doubles the table; entry numbers stay (no free entry exists when it is full). */
  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const locs = new Float64Array(capacity).fill(-1);
    locs.set(this.locs);
    this.hashes = hashes;
    this.locs = locs;
    this.relink(capacity);
  }

  /** Rebuilds buckets and chains for `capacity` slots from the hashes of the live entries. */
  private relink(capacity: number): void {
    const buckets = new Int32Array(capacity);
    const chain = new Int32Array(capacity);
    const mask = capacity - 1;
    const { hashes, locs } = this;
    for (let i = 0; i < this.used; i++) {
      if (locs[i] < 0) continue;
      const b = hashes[i] & mask;
      chain[i] = buckets[b];
      buckets[b] = i + 1;
    }
    this.buckets = buckets;
    this.chain = chain;
    this.mask = mask;
  }

  /** Renumbers the live entries 0..size-1 into a table of at least `atLeast` slots. */
  private rebuild(atLeast: number): void {
    let capacity = MIN_CAPACITY;
    while (capacity < atLeast) capacity *= 2;
    const hashes = new Int32Array(capacity);
    const locs = new Float64Array(capacity).fill(-1);
    let n = 0;
    for (let i = 0; i < this.used; i++) {
      const loc = this.locs[i];
      if (loc < 0) continue;
      hashes[n] = this.hashes[i];
      locs[n] = loc;
      this.records.setBack(loc, n);
      n++;
    }
    this.hashes = hashes;
    this.locs = locs;
    this.used = n;
    this.freeHead = 0;
    this.renumbered++;
    this.relink(capacity);
  }
}
