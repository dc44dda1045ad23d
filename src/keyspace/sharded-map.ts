/**
 * A Map that holds more than V8's limit of 2^24 entries by spilling into further Maps. With one
 * shard (the usual case) every operation is a single Map call. Iteration is live: entries added
 * during an iteration are visited, deleted ones are skipped (the Map iterator guarantee), which is
 * what SCAN's "every key present throughout is returned" rests on.
 */
export const SHARD_CAPACITY = 1 << 23;

export class ShardedMap<V> {
  private shards: Map<string, V>[] = [new Map()];
  private last: Map<string, V> = this.shards[0];
  private count = 0;

  constructor(private readonly shardCapacity = SHARD_CAPACITY) {}

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const v = this.last.get(key);
    if (v !== undefined || this.shards.length === 1) return v;
    for (let i = 0; i < this.shards.length - 1; i++) {
      const found = this.shards[i].get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  has(key: string): boolean {
    if (this.last.has(key)) return true;
    for (let i = 0; i < this.shards.length - 1; i++) if (this.shards[i].has(key)) return true;
    return false;
  }

  /** Sets a value; returns true when the key is new. */
  set(key: string, value: V): boolean {
    if (this.shards.length === 1) {
      const before = this.last.size;
      this.last.set(key, value);
      if (this.last.size === before) return false;
      this.count++;
      if (this.last.size >= this.shardCapacity) this.addShard();
      return true;
    }
    for (let i = 0; i < this.shards.length; i++) {
      const shard = this.shards[i];
      if (shard.has(key)) {
        shard.set(key, value);
        return false;
      }
    }
    this.last.set(key, value);
    this.count++;
    if (this.last.size >= this.shardCapacity) this.addShard();
    return true;
  }

  delete(key: string): boolean {
    for (let i = this.shards.length - 1; i >= 0; i--) {
      if (this.shards[i].delete(key)) {
        this.count--;
        if (this.shards[i].size === 0 && this.shards.length > 1 && i !== this.shards.length - 1) {
          this.shards = this.shards.filter((s) => s.size > 0 || s === this.last);
        }
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.shards = [new Map()];
    this.last = this.shards[0];
    this.count = 0;
  }

  /** Live iteration over all shards in order. */
  *entries(): IterableIterator<[string, V]> {
    const shards = this.shards;
    for (let i = 0; i < shards.length; i++) yield* shards[i].entries();
    // Shards appended while iterating are visited too.
    for (let i = shards.length; i < this.shards.length; i++) yield* this.shards[i].entries();
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  /**
   * A live key iterator for sampling: the Map's own (fast) one while there is a single shard; a
   * shard added meanwhile is seen from the next iterator on.
   */
  sampleKeys(): Iterator<string> {
    return this.shards.length === 1 ? this.last.keys() : this.keys();
  }

  /** sampleKeys for entries: the Map's own iterator while there is one shard (a generator costs several times more per step). */
  sampleEntries(): Iterator<[string, V]> {
    return this.shards.length === 1 ? this.last.entries() : this.entries();
  }

  /** Calls fn for every entry; faster than the generator for full sweeps. */
  forEach(fn: (value: V, key: string) => void): void {
    for (let i = 0; i < this.shards.length; i++) this.shards[i].forEach(fn);
  }

  /** A uniformly random entry, or undefined when empty. O(n) in the worst case: used by RANDOMKEY. */
  randomEntry(): [string, V] | undefined {
    if (this.count === 0) return undefined;
    let target = Math.floor(Math.random() * this.count);
    for (const shard of this.shards) {
      if (target >= shard.size) {
        target -= shard.size;
        continue;
      }
      for (const entry of shard) {
        if (target-- === 0) return entry;
      }
    }
    return undefined;
  }

  get shardCount(): number {
    return this.shards.length;
  }

  private addShard(): void {
    this.last = new Map();
    this.shards = [...this.shards, this.last];
  }
}
