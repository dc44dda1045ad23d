import { ShardedMap, type TypedValue } from 'redix-server';

/**
 * A hash: field → value, both latin1 strings (binary safe). A ShardedMap so a hash can hold more
 * than V8's 2^24 Map entries. Its iteration order is insertion order with updates kept in place,
 * which is also the order of Redis's listpack encoding, so small hashes list fields as Redis does.
 */
export class HashValue implements TypedValue {
  readonly fields = new ShardedMap<string>();
  /**
   * Once a hash outgrows the listpack limits Redis converts it to a hashtable for good; OBJECT
   * ENCODING mirrors that, so the flag never goes back.
   */
  hashtable = false;

  get type(): string {
    return 'hash';
  }

  get size(): number {
    return this.fields.size;
  }

  /**
   * Records a write of `field` = `value` (already stored) against the listpack limits: like Redis,
   * the hash converts when a field or value is too long or there are too many fields.
   */
  noteWrite(field: string, value: string, maxEntries: number, maxValue: number): void {
    if (this.hashtable) return;
    if (field.length > maxValue || value.length > maxValue || this.fields.size > maxEntries) this.hashtable = true;
  }

  /**
   * True while Redis would keep this hash in a listpack. Checks the whole hash (a hash read from
   * an RDB file or AOF has not been through noteWrite), and converts it for good if it does not fit.
   */
  isListpack(maxEntries: number, maxValue: number): boolean {
    if (this.hashtable) return false;
    if (this.fields.size > maxEntries) {
      this.hashtable = true;
      return false;
    }
    for (const [field, value] of this.fields.entries()) {
      if (field.length > maxValue || value.length > maxValue) {
        this.hashtable = true;
        return false;
      }
    }
    return true;
  }

  /** A copy sharing nothing mutable (strings are immutable). */
  clone(): HashValue {
    const copy = new HashValue();
    this.fields.forEach((value, field) => copy.fields.set(field, value));
    copy.hashtable = this.hashtable;
    return copy;
  }
}
