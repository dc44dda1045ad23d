import { RDB_TYPE, type DataTypeSpec, type StoredValue } from 'redix-server';
import { formatId, ZERO_ID } from './stream-id';
import { StreamValue } from './stream-value';
import { readStreamRdb, writeStreamRdb } from './stream-rdb-codec';
import { sortedGroups } from './stream-group';
import { cloneStream } from './stream-clone';

type Emit = (argv: (string | Buffer)[]) => void;

/** AOF rewrite as Redis's rewriteStreamObject: XADDs, XSETID, then each group, its consumers and PEL. */
function rewriteStream(key: string, s: StreamValue, emit: Emit): void {
  if (s.length > 0) {
    const it = s.iterate(ZERO_ID, { ms: 0xffffffffffffffffn, seq: 0xffffffffffffffffn }, false);
    while (it.next(true)) emit(['XADD', key, formatId(it.entry.id), ...it.entry.pairs.map((p) => Buffer.from(p))]);
  } else {
    // An empty stream: add an entry and trim it away at once.
    emit(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  emit(['XSETID', key, formatId(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', formatId(s.maxDeletedId)]);
  for (const g of sortedGroups(s.groups)) {
    emit(['XGROUP', 'CREATE', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const consumer of g.sortedConsumers()) {
      if (consumer.pel.size === 0) {
        emit(['XGROUP', 'CREATECONSUMER', key, g.name, consumer.name]);
        continue;
      }
      for (const p of consumer.pel.items) {
        emit(['XCLAIM', key, g.name, consumer.name, '0', formatId(p.id), 'TIME', String(p.deliveryTime), 'RETRYCOUNT', String(p.deliveryCount), 'JUSTID', 'FORCE']);
      }
    }
  }
}

export const streamDataType: DataTypeSpec<StreamValue> = {
  name: 'stream',
  rdbTypes: [RDB_TYPE.STREAM_LISTPACKS, RDB_TYPE.STREAM_LISTPACKS_2],

  owns(value: StoredValue): boolean {
    return value instanceof StreamValue;
  },

  writeRdb: writeStreamRdb,
  readRdb: readStreamRdb,
  rewrite: rewriteStream,
  clone: cloneStream,

  encoding(): string {
    return 'stream';
  },

  freeEffort(value: StreamValue): number {
    // Redis's estimate: the radix tree's nodes (about one per listpack node, plus the root), and
    // per consumer group one allocation plus the first group's pending entries.
    let effort = value.nodes.length + 1;
    const groups = value.groups;
    if (groups !== null && groups.size > 0) effort += groups.size * (1 + groups.values().next().value!.pel.size);
    return effort;
  },

  /**
   * DEBUG DIGEST: Redis object type 6, then each live entry in order: its ID written "ms.seq" (as
   * debug.c formats it), then its fields and values. Consumer groups and deleted entries do not count.
   */
  digest(s: StreamValue, d): void {
    d.objectType(6);
    const it = s.iterate(ZERO_ID, { ms: 0xffffffffffffffffn, seq: 0xffffffffffffffffn }, false);
    while (it.next(true)) {
      d.mix(`${it.entry.id.ms}.${it.entry.id.seq}`);
      for (const part of it.entry.pairs) d.mix(part);
    }
  },

  memoryUsage(s: StreamValue): number {
    // The nodes' bytes, as Redis counts the listpacks, plus per-node and per-group overheads.
    let bytes = 128 + s.nodeBytes + 96 * s.nodes.length;
    if (s.groups !== null) {
      for (const g of s.groups.values()) bytes += 128 + g.pel.size * 64 + g.consumers.size * 96;
    }
    return bytes;
  },
};
