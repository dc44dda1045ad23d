import { CompactStringMap, PackedStrings, type TypedValue } from 'redix-server';

/**
 * A hash: field → value, both latin1 strings (binary safe), in one of Redis's two encodings:
 * - listpack: `packed` holds field, value, field, value ... in insertion order (an update keeps
 *   its place), one V8 string for the whole hash; lookups are a linear scan, as in Redis.
 * - hashtable: `table`, a CompactStringMap: fields and values as bytes in Buffer slabs, a hash
 *   table over typed arrays (about a third of a Map of strings' memory, no 2^24 entry limit).
 * A hash converts from listpack to hashtable once, never back (t_hash.c hashTypeConvert), when a
 * write exceeds hash-max-listpack-entries / -value; `set` applies those rules.
 */
export class HashValue implements TypedValue {
  packed: PackedStrings | null;
  table: CompactStringMap | null = null;

  /** An empty listpack hash, or one over `packed` (field, value, ... items: a loader's). */
  constructor(packed?: PackedStrings) {
    this.packed = packed ?? new PackedStrings();
  }

  get type(): string {
    return 'hash';
  }

  get size(): number {
    return this.packed !== null ? this.packed.length >> 1 : this.table!.size;
  }

  get isListpack(): boolean {
    return this.packed !== null;
  }

  get(field: string): string | undefined {
    const packed = this.packed;
    if (packed === null) return this.table!.get(field);
    const pos = packed.find(field, 0, 1);
    return pos < 0 ? undefined : packed.itemAt(packed.next(pos));
  }

  has(field: string): boolean {
    return this.packed !== null ? this.packed.find(field, 0, 1) >= 0 : this.table!.has(field);
  }

  /**
   * Sets `field` to `value`; returns true when the field is new. As hashTypeSet: a field or value
   * longer than `maxValue` converts the hash first, more than `maxEntries` fields after.
   */
  set(field: string, value: string, maxEntries: number, maxValue: number): boolean {
    let packed = this.packed;
    if (packed !== null && (field.length > maxValue || value.length > maxValue)) {
      this.convert();
      packed = null;
    }
    if (packed === null) return this.table!.set(field, value);
    const pos = packed.find(field, 0, 1);
    const added = pos < 0;
    if (added) {
      // Flattened by `compact` when the command is done (commitHashWrite), once for all its pairs.
      packed.push(field);
      packed.push(value);
    } else {
      // Rewriting the same value would copy the whole packed string for nothing.
      const valuePos = packed.next(pos);
      if (!packed.equalsAt(valuePos, value)) packed.replaceAt(valuePos, value);
    }
    // Checked after an update too: a hash loaded, or left, above a lowered limit converts here.
    if (packed.length >> 1 > maxEntries) this.convert();
    return added;
  }

  /**
   * Sets `n` field/value pairs as HSET does: returns how many fields were new. When the pairs
   * will convert the hash anyway, it converts first (hashTypeTryConversion does for long
   * arguments), so a big HSET never rebuilds the packed string pair after pair; the result,
   * order included, is the same as setting them one by one.
   */
  setPairs(fields: string[], values: string[], n: number, maxEntries: number, maxValue: number): number {
    if (this.packed !== null && n > 1 && this.pairsOutgrow(fields, values, n, maxEntries, maxValue)) this.convert();
    let added = 0;
    for (let i = 0; i < n; i++) if (this.set(fields[i], values[i], maxEntries, maxValue)) added++;
    return added;
  }

  /** True when setting the pairs would take this listpack past either limit. */
  private pairsOutgrow(fields: string[], values: string[], n: number, maxEntries: number, maxValue: number): boolean {
    for (let i = 0; i < n; i++) if (fields[i].length > maxValue || values[i].length > maxValue) return true;
    let size = this.size;
    const useSet = n > LINEAR_REPEAT_CHECK;
    try {
      for (let i = 0; i < n; i++) {
        const field = fields[i];
        if (this.has(field)) continue;
        if (useSet ? newFields.has(field) : i > 0 && fields.lastIndexOf(field, i - 1) >= 0) continue;
        if (useSet) newFields.add(field);
        if (++size > maxEntries) return true;
      }
    } finally {
      newFields.clear();
    }
    return false;
  }

  /** Adds a field known to be new, with no conversion check (loading; call `compact` after). */
  appendNew(field: string, value: string): void {
    if (this.packed === null) {
      this.table!.set(field, value);
    } else {
      this.packed.push(field);
      this.packed.push(value);
    }
  }

  /** Flattens the packed form after `appendNew` calls. */
  compact(): void {
    this.packed?.compact();
  }

  /** Removes `field`; returns true when it was there. */
  delete(field: string): boolean {
    const packed = this.packed;
    if (packed === null) return this.table!.delete(field);
    const pos = packed.find(field, 0, 1);
    if (pos < 0) return false;
    packed.deleteAt(pos, 2);
    return true;
  }

  /** Calls `fn(value, field)` for every entry, in the encoding's order (a Map's forEach shape). */
  forEach(fn: (value: string, field: string) => void): void {
    const packed = this.packed;
    if (packed === null) {
      this.table!.forEach(fn);
      return;
    }
    for (let pos = packed.first(); pos >= 0; ) {
      const valuePos = packed.next(pos);
      fn(packed.itemAt(valuePos), packed.itemAt(pos));
      pos = packed.next(valuePos);
    }
  }

  /** Every [field, value] pair, in the encoding's order (live over the hashtable, for HSCAN cursors). */
  *entries(): IterableIterator<[string, string]> {
    const packed = this.packed;
    if (packed === null) {
      yield* this.table!.entries();
      return;
    }
    for (let pos = packed.first(); pos >= 0; ) {
      const valuePos = packed.next(pos);
      yield [packed.itemAt(pos), packed.itemAt(valuePos)];
      pos = packed.next(valuePos);
    }
  }

  /** A uniformly random [field, value] pair, or undefined when empty. */
  randomEntry(): [string, string] | undefined {
    const packed = this.packed;
    if (packed === null) {
      const table = this.table!;
      const i = table.randomEntry();
      return i < 0 ? undefined : [table.fieldAt(i), table.valueAt(i)];
    }
    if (packed.length === 0) return undefined;
    const pos = packed.positionOf(2 * Math.floor(Math.random() * (packed.length >> 1)));
    return [packed.itemAt(pos), packed.itemAt(packed.next(pos))];
  }

  /** Converts to the hashtable encoding for good, keeping the order (hashTypeConvert). */
  convert(): void {
    const packed = this.packed;
    if (packed === null) return;
    const table = new CompactStringMap();
    // The table copies the bytes: nothing keeps the packed string alive.
    for (let pos = packed.first(); pos >= 0; ) {
      const valuePos = packed.next(pos);
      table.set(packed.itemAt(pos), packed.itemAt(valuePos));
      pos = packed.next(valuePos);
    }
    this.table = table;
    this.packed = null;
  }

  /** A copy sharing nothing mutable (strings are immutable). */
  clone(): HashValue {
    const copy = new HashValue();
    if (this.packed !== null) {
      copy.packed = this.packed.clone();
    } else {
      copy.packed = null;
      copy.table = this.table!.clone();
    }
    return copy;
  }
}

/** Above this many pairs, setPairs spots a field repeated in its arguments with a Set. */
const LINEAR_REPEAT_CHECK = 16;
const newFields = new Set<string>();
