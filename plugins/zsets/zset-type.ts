import { RDB_TYPE, formatDouble17g, type ConfigStore, type DataTypeSpec, type StoredValue } from 'redix-server';
import { ZSetValue } from './zset-value';
import { readZsetRdb, writeZsetRdb } from './zset-rdb-codec';

/** AOF rewrite: at most this many score/member pairs per ZADD (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const REWRITE_PAIRS_PER_COMMAND = 64;
/** The value, its Map and skip list head. */
const ZSET_OVERHEAD = 600;
/** A node (object, two level arrays of 1.33 levels on average) plus its Map entry. */
const NODE_OVERHEAD = 140;

/** A member string's heap bytes: V8's header plus its bytes, 8-byte aligned. */
function stringBytes(length: number): number {
  return 16 + ((length + 7) & ~7);
}

export const zsetDataType: DataTypeSpec<ZSetValue> = {
  name: 'zset',
  rdbTypes: [RDB_TYPE.ZSET_LISTPACK, RDB_TYPE.ZSET_2, RDB_TYPE.ZSET, RDB_TYPE.ZSET_ZIPLIST],

  owns(value: StoredValue): boolean {
    return value instanceof ZSetValue;
  },

  writeRdb: writeZsetRdb,
  readRdb: readZsetRdb,

  rewrite(key: string, value: ZSetValue, emit: (argv: (string | Buffer)[]) => void): void {
    let argv: string[] = ['ZADD', key];
    for (let n = value.list.first; n !== null; n = n.next) {
      argv.push(formatDouble17g(n.score), n.member);
      if (argv.length === 2 + 2 * REWRITE_PAIRS_PER_COMMAND) {
        emit(argv);
        argv = ['ZADD', key];
      }
    }
    if (argv.length > 2) emit(argv);
  },

  clone(value: ZSetValue): ZSetValue {
    return value.clone();
  },

  encoding(value: ZSetValue, config: ConfigStore): string {
    if (!value.skiplist && value.size > config.get<number>('zset-max-listpack-entries')) value.skiplist = true;
    return value.skiplist ? 'skiplist' : 'listpack';
  },

  freeEffort: (value: ZSetValue) => (value.skiplist ? value.size : 1),

  memoryUsage(value: ZSetValue): number {
    let bytes = ZSET_OVERHEAD;
    const sampled = Math.min(8, value.size);
    const memberBytes = value.sampleMembers(8, stringBytes);
    if (sampled > 0) bytes += Math.round((memberBytes / sampled) * value.size);
    return bytes + NODE_OVERHEAD * value.size;
  },

  sortElements(value: ZSetValue): Iterable<string> {
    return value.members();
  },

  /** DEBUG DIGEST: Redis object type 3, each member with its score as "%.17g", in any order. */
  digest(value: ZSetValue, d): void {
    d.objectType(3);
    for (let n = value.list.first; n !== null; n = n.next) d.xorElement(n.member, formatDouble17g(n.score));
  },
};
