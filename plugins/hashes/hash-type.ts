import { RDB_TYPE, type DataTypeSpec, type StoredValue } from 'redix-server';
import { HashValue } from './hash-value';
import { readHashRdb, writeHashRdb } from './hash-rdb-codec';

/** AOF rewrite: at most this many field/value pairs per HSET (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const REWRITE_PAIRS_PER_COMMAND = 64;

/** The HashValue object itself (header and two fields). */
const HASH_VALUE_BYTES = 40;

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
    // The hashtable's arrays and slabs are counted as allocated, in O(1).
    return HASH_VALUE_BYTES + value.table!.memoryBytes;
  },

  /** DEBUG DIGEST: Redis object type 4, each field with its value, in any order. */
  digest(value: HashValue, d): void {
    d.objectType(4);
    value.forEach((fieldValue, field) => d.xorElement(field, fieldValue));
  },
};
