import { RDB_TYPE, type DataTypeSpec, type StoredValue } from 'redix-server';
import { HashValue } from './hash-value';
import { readHashRdb, writeHashRdb } from './hash-rdb-codec';

/** AOF rewrite: at most this many field/value pairs per HSET (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const REWRITE_PAIRS_PER_COMMAND = 64;

/** MEMORY USAGE looks at this many fields and extrapolates, as Redis samples big values. */
const MEMORY_SAMPLE = 8;
/** The HashValue object itself (header and two fields). */
const HASH_VALUE_BYTES = 40;
/** The HashValue, its ShardedMap and the Map's table before any entry. */
const HASH_OVERHEAD = 200;
/** One Map entry: key, value and chain slots plus its share of the bucket table. */
const ENTRY_OVERHEAD = 40;

function entryBytes(field: string, value: string): number {
  return ENTRY_OVERHEAD + stringBytes(field) + stringBytes(value);
}

/** A V8 one-byte string: a 16-byte header, then the characters rounded up to 8 bytes. */
function stringBytes(s: string): number {
  return 16 + ((s.length + 7) & ~7);
}

export const hashDataType: DataTypeSpec<HashValue> = {
  name: 'hash',
  rdbTypes: [RDB_TYPE.HASH, RDB_TYPE.HASH_ZIPMAP, RDB_TYPE.HASH_ZIPLIST, RDB_TYPE.HASH_LISTPACK],

  owns(value: StoredValue): boolean {
    return value instanceof HashValue;
  },

  writeRdb: writeHashRdb,
  readRdb: readHashRdb,

  rewrite(key: string, value: HashValue, emit: (argv: (string | Buffer)[]) => void): void {
    let argv: string[] = ['HSET', key];
    value.forEach((fieldValue, field) => {
      argv.push(field, fieldValue);
      if (argv.length === 2 + 2 * REWRITE_PAIRS_PER_COMMAND) {
        emit(argv);
        argv = ['HSET', key];
      }
    });
    if (argv.length > 2) emit(argv);
  },

  clone(value: HashValue): HashValue {
    return value.clone();
  },

  encoding(value: HashValue): string {
    return value.isListpack ? 'listpack' : 'hashtable';
  },

  freeEffort: (value: HashValue) => (value.isListpack ? 1 : value.size),

  fieldValue(value: HashValue, field: string): string | undefined {
    return value.get(field);
  },

  memoryUsage(value: HashValue): number {
    // The listpack encoding is one packed string: its size is known exactly, in O(1).
    if (value.packed !== null) return HASH_VALUE_BYTES + value.packed.memoryBytes;
    const size = value.table!.size;
    // Run before and after every write to the hash: the sample is kept while it cannot have changed.
    const bytes = value.sampleTable(MEMORY_SAMPLE, entryBytes);
    const sampled = Math.min(size, MEMORY_SAMPLE);
    const entries = sampled === 0 ? 0 : Math.round((bytes / sampled) * size);
    // The Map's table grows in powers of two: count the empty slots of the current capacity.
    const capacity = size === 0 ? 0 : 2 ** Math.ceil(Math.log2(size));
    return HASH_OVERHEAD + entries + (capacity - size) * 12;
  },

  /** DEBUG DIGEST: Redis object type 4, each field with its value, in any order. */
  digest(value: HashValue, d): void {
    d.objectType(4);
    value.forEach((fieldValue, field) => d.xorElement(field, fieldValue));
  },
};
