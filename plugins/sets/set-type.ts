import { RDB_TYPE, type ConfigStore, type DataTypeSpec, type StoredValue } from 'redix-server';
import { SetValue } from './set-value';
import { readSetRdb, writeSetRdb } from './set-rdb-codec';

/** AOF rewrite: at most this many members per SADD (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const REWRITE_MEMBERS_PER_COMMAND = 64;
/** MEMORY USAGE looks at this many members and extrapolates, as Redis samples big values. */
const MEMORY_SAMPLE = 8;
/** The SetValue and its encoding's objects before any member. */
const SET_OVERHEAD = 120;
/** One member of a hashtable: its map entry, bucket share and array slot. */
const ENTRY_OVERHEAD = 24;

/** A V8 one-byte string: a 16-byte header, then the characters rounded up to 8 bytes. */
function stringBytes(s: string): number {
  return 16 + ((s.length + 7) & ~7);
}

export const setDataType: DataTypeSpec<SetValue> = {
  name: 'set',
  rdbTypes: [RDB_TYPE.SET, RDB_TYPE.SET_INTSET, RDB_TYPE.SET_LISTPACK],

  owns(value: StoredValue): boolean {
    return value instanceof SetValue;
  },

  writeRdb: writeSetRdb,
  readRdb: readSetRdb,

  rewrite(key: string, value: SetValue, emit: (argv: (string | Buffer)[]) => void): void {
    const members = value.members();
    for (let i = 0; i < members.length; i += REWRITE_MEMBERS_PER_COMMAND) {
      emit(['SADD', key, ...members.slice(i, i + REWRITE_MEMBERS_PER_COMMAND)]);
    }
  },

  clone(value: SetValue): SetValue {
    return value.clone();
  },

  encoding(value: SetValue, config: ConfigStore): string {
    // A set loaded from RDB/AOF may exceed the limit: converted now, as Redis converts on load.
    if (value.ints !== null && value.ints.size > config.get<number>('set-max-intset-entries')) value.convert();
    return value.isIntset ? 'intset' : 'hashtable';
  },

  freeEffort: (value: SetValue) => (value.isIntset ? 1 : value.size),

  memoryUsage(value: SetValue): number {
    if (value.ints !== null) return SET_OVERHEAD + value.ints.byteLength;
    const size = value.size;
    const sampled = Math.min(size, MEMORY_SAMPLE);
    let bytes = 0;
    for (let i = 0; i < sampled; i++) bytes += ENTRY_OVERHEAD + stringBytes(value.memberAt(i));
    return SET_OVERHEAD + (sampled === 0 ? 0 : Math.round((bytes / sampled) * size));
  },

  sortElements(value: SetValue): Iterable<string> {
    return value.members();
  },

  /** DEBUG DIGEST: Redis object type 2, the members in any order. */
  digest(value: SetValue, d): void {
    d.objectType(2);
    for (const member of value.members()) d.xor(member);
  },
};
