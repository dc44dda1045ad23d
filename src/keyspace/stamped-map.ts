import { SHARD_CAPACITY, ShardedMap } from './sharded-map';

/** First length of the stamp array; it doubles from there. */
const INITIAL_STAMPS = 1024;

/**
 * A key → value map where every entry also carries a 24-bit access stamp (Redis keeps it in the
 * robj's `lru` bits). A second Map of stamps beside the values cost about 30 bytes a key (one more
 * hash-table entry); here one Map gives each key a slot, the value sits in a plain array at that
 * slot and the stamp in a Uint32Array (4 bytes, off the V8 heap). Freed slots are reused.
 * Iteration is as live as the underlying Map's (a reused slot is only reachable through its new key).
 */
export class StampedMap<V> {
  private readonly slots: ShardedMap<number>;
  private readonly values: (V | undefined)[] = [];
  private stamps = new Uint32Array(INITIAL_STAMPS);
  private readonly free: number[] = [];

  constructor(shardCapacity = SHARD_CAPACITY) {
    this.slots = new ShardedMap(shardCapacity);
  }

  get size(): number {
    return this.slots.size;
  }

  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.values[slot];
  }

  has(key: string): boolean {
    return this.slots.get(key) !== undefined;
  }

  /** The slot of a key (for stampAt / setStampAt), or -1. */
  slotOf(key: string): number {
    const slot = this.slots.get(key);
    return slot === undefined ? -1 : slot;
  }

  stampAt(slot: number): number {
    return this.stamps[slot];
  }

  setStampAt(slot: number, stamp: number): void {
    this.stamps[slot] = stamp;
  }

  /** A key's stamp, or -1 when the key is absent. */
  stampOf(key: string): number {
    const slot = this.slots.get(key);
    return slot === undefined ? -1 : this.stamps[slot];
  }

  /**
   * Sets a value; a new key always takes `stamp`, an existing one only when `restamp`. Returns true
   * when the key is new.
   */
  set(key: string, value: V, stamp: number, restamp = true): boolean {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.values[slot] = value;
      if (restamp) this.stamps[slot] = stamp;
      return false;
    }
    this.addAbsent(key, value, stamp);
    return true;
  }

  /**
   * Adds a key the caller knows is absent (a loader that has just looked it up): one Map write,
   * no look-up first. Adding a present key breaks the map; use `set` unless absence is certain.
   */
  addAbsent(key: string, value: V, stamp: number): void {
    const fresh = this.free.length !== 0 ? this.free.pop()! : this.values.length;
    if (fresh === this.values.length) this.values.push(value);
    else this.values[fresh] = value;
    if (fresh >= this.stamps.length) this.growStamps();
    this.stamps[fresh] = stamp;
    this.slots.set(key, fresh);
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    // Drop the reference so the value can be collected while the slot waits for reuse.
    this.values[slot] = undefined;
    this.free.push(slot);
    return true;
  }

  *entries(): IterableIterator<[string, V]> {
    const values = this.values;
    for (const [key, slot] of this.slots.entries()) yield [key, values[slot] as V];
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** A live key iterator for sampling (see ShardedMap.sampleKeys). */
  sampleKeys(): Iterator<string> {
    return this.slots.sampleKeys();
  }

  forEach(fn: (value: V, key: string) => void): void {
    const values = this.values;
    this.slots.forEach((slot, key) => fn(values[slot] as V, key));
  }

  get shardCount(): number {
    return this.slots.shardCount;
  }

  private growStamps(): void {
    const grown = new Uint32Array(this.stamps.length * 2);
    grown.set(this.stamps);
    this.stamps = grown;
  }
}
