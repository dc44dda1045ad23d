import type { Keyspace } from '../keyspace/keyspace';
import type { StoredValue } from '../keyspace/value';
import type { DataTypeRegistry } from './data-types';
import { keyOverhead } from '../api/memory-estimate';

/** How often the clients' buffers are summed again for the eviction check (not per command). */
const CLIENTS_REFRESH_MS = 100;

/** A key's own cost as MEMORY USAGE counts it: its sds and dict entry (the plugin API's keyOverhead). */
export const keyOverheadBytes = keyOverhead;

/**
 * What a key costs in V8's tables beyond Redis's estimate of it: its entry in the data Map and in
 * the access-stamp Map (an ordered hash table entry is 3 words plus its share of the buckets and of
 * the table's spare capacity), and V8's 16-byte string headers where Redis has 1-3 byte sds ones.
 * Measured: RSS grew by 1.4 x the MEMORY USAGE sum for 100-byte strings without it (maxmemory bench).
 */
const V8_KEY_TABLE_BYTES = 80;
/** A key's entry in the expires Map (key → number). */
const V8_EXPIRE_ENTRY_BYTES = 40;

/**
 * used_memory as eviction trusts it: what the server cost once booted (V8 heap + external memory,
 * measured then), plus the estimate of every key and value (the same arithmetic as MEMORY USAGE,
 * kept up to date by the storage engine on each change), the main and expires dicts' tables, and
 * the clients' pending output. It is not the live V8 heap: that also holds garbage not yet
 * collected, and eviction on it would empty the cache at every GC cycle's peak.
 */
export class MemoryAccounting {
  /** Memory in use once booted, before any data or client. */
  startup = 0;
  /** Bytes eviction does not count (Redis's replica output buffers and AOF buffer): set by providers. */
  notCountedForEvict = 0;
  private clientsBytes = 0;
  private clientsAt = 0;

  constructor(
    private readonly keyspace: Keyspace,
    registry: DataTypeRegistry,
    private readonly sumClientBuffers: () => number,
  ) {
    let stringSpec = registry.get('string');
    keyspace.sizeOf = (key: string, value: StoredValue): number => {
      if (typeof value === 'string') {
        stringSpec ??= registry.get('string');
        return keyOverheadBytes(key.length) + (stringSpec === undefined ? value.length : stringSpec.memoryUsage(value));
      }
      const spec = registry.of(value);
      return keyOverheadBytes(key.length) + (spec === undefined ? 0 : spec.memoryUsage(value));
    };
  }

  /** The keyspace's tables beyond what MEMORY USAGE counts per key (used_memory_overhead's part for them). */
  overheadBytes(): number {
    let keys = 0;
    let expires = 0;
    for (const db of this.keyspace.databases) {
      keys += db.size;
      expires += db.expiresCount;
    }
    return keys * V8_KEY_TABLE_BYTES + expires * V8_EXPIRE_ENTRY_BYTES;
  }

  /** One database's part of overheadBytes: its key table and its expires table (MEMORY STATS db.N). */
  databaseOverhead(db: { readonly size: number; readonly expiresCount: number }): [main: number, expires: number] {
    return [db.size * V8_KEY_TABLE_BYTES, db.expiresCount * V8_EXPIRE_ENTRY_BYTES];
  }

  /** Clients' output buffers, summed at most every 100 ms (exact when `fresh`). */
  clientsMemory(fresh = false): number {
    const now = Date.now();
    if (fresh || now - this.clientsAt >= CLIENTS_REFRESH_MS) {
      this.clientsBytes = this.sumClientBuffers();
      this.clientsAt = now;
    }
    return this.clientsBytes;
  }

  /** used_memory. */
  used(fresh = false): number {
    this.keyspace.settleMemory();
    return this.startup + this.overheadBytes() + this.keyspace.datasetBytes + this.clientsMemory(fresh);
  }

  /** What maxmemory is compared with: used_memory less what Redis does not count (mem_not_counted_for_evict). */
  usedForEviction(): number {
    return Math.max(0, this.used() - this.notCountedForEvict);
  }
}
