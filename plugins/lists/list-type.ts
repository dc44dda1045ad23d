import { RDB_TYPE, type DataTypeSpec, type StoredValue } from 'redix-server';
import { ListValue } from './list-value';
import { readListRdb, writeListRdb } from './list-rdb-codec';

/** AOF rewrite: at most this many elements per RPUSH (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const REWRITE_ITEMS_PER_COMMAND = 64;
/** MEMORY USAGE samples this many nodes and extrapolates, as Redis's default SAMPLES 5. */
const MEMORY_SAMPLE_NODES = 5;
/** The robj and quicklist headers, and one quicklist node, as Redis counts them. */
const LIST_OVERHEAD = 16 + 40;
const NODE_OVERHEAD = 32;

/**
 * The list-max-listpack-size a list read from an RDB file or DUMP payload takes (the spec has no
 * config at hand there): kept current by the plugin's setup from the server's config.
 */
export const loadOptions = { fill: -2 };

export const listDataType: DataTypeSpec<ListValue> = {
  name: 'list',
  rdbTypes: [RDB_TYPE.LIST_QUICKLIST_2, RDB_TYPE.LIST, RDB_TYPE.LIST_ZIPLIST, RDB_TYPE.LIST_QUICKLIST],

  owns(value: StoredValue): boolean {
    return value instanceof ListValue;
  },

  writeRdb: writeListRdb,
  readRdb: (rdbType, input) => readListRdb(rdbType, input, loadOptions.fill),

  rewrite(key: string, value: ListValue, emit: (argv: (string | Buffer)[]) => void): void {
    let argv: string[] = ['RPUSH', key];
    for (const node of value.nodes) {
      for (const s of node.items) {
        argv.push(s);
        if (argv.length === 2 + REWRITE_ITEMS_PER_COMMAND) {
          emit(argv);
          argv = ['RPUSH', key];
        }
      }
    }
    if (argv.length > 2) emit(argv);
  },

  clone: (value) => value.clone(),
  // Redis 7.0 keeps every list in a quicklist (the listpack encoding for small lists came in 7.2).
  encoding: () => 'quicklist',
  // Redis frees a quicklist node by node.
  freeEffort: (value: ListValue) => value.nodes.length,

  memoryUsage(value: ListValue): number {
    const nodes = value.nodes;
    const sampled = Math.min(nodes.length, MEMORY_SAMPLE_NODES);
    if (sampled === 0) return LIST_OVERHEAD;
    let bytes = 0;
    for (let i = 0; i < sampled; i++) bytes += NODE_OVERHEAD + nodes[i].sz;
    return LIST_OVERHEAD + Math.round((bytes / sampled) * nodes.length);
  },

  sortElements: (value) => value.toArray(),

  /** DEBUG DIGEST: Redis object type 1, the elements in order. */
  digest(value, d) {
    d.objectType(1);
    for (const element of value.toArray()) d.mix(element);
  },

  // SORT ... STORE builds its result list through this (pushed under the loaded fill, as Redis's listTypePush).
  fromElements(elements: string[]): ListValue {
    const list = new ListValue(loadOptions.fill);
    for (let i = 0; i < elements.length; i++) list.pushTail(elements[i]);
    return list;
  },
};
