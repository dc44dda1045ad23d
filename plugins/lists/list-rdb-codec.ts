import { RDB_TYPE, type RdbReader, type RdbWriter } from 'redix-server';
import { decodeZiplist, encodeListpack, walkListpack } from 'redix-server/persistence';
import { ListpackNodeSink } from './listpack-node-sink';
import { ListValue } from './list-value';

/** The sink of readListRdb, reused (loading is synchronous). */
const sink = new ListpackNodeSink();

/** quicklist.h: a node holding one large element as is, and a node holding a listpack. */
const CONTAINER_PLAIN = 1;
const CONTAINER_PACKED = 2;

/**
 * Writes RDB_TYPE_LIST_QUICKLIST_2 as Redis 7.0 does: the node count, then per node its container
 * and its listpack as an RDB string (the writer LZF-compresses it when Redis would). The nodes are
 * Redis's own (same splits), so the bytes match a DUMP of the same list from redis-server. Nodes
 * more than the list's list-compress-depth from either end are the ones Redis holds compressed and saves as
 * they are, compressed by quicklist.c's rule even with rdbcompression off.
 */
export function writeListRdb(list: ListValue, out: RdbWriter): number {
  const count = list.nodes.length;
  const depth = list.compressDepth;
  out.writeLength(count);
  for (let i = 0; i < count; i++) {
    out.writeLength(CONTAINER_PACKED);
    const blob = encodeListpack(list.nodes[i].items);
    if (depth > 0 && i >= depth && i < count - depth) out.writeCompressedNode(blob);
    else out.writeString(blob);
  }
  return RDB_TYPE.LIST_QUICKLIST_2;
}

/**
 * Reads every list encoding Redis has written: a plain list (type 1), one ziplist (10, before 3.2),
 * a quicklist of ziplists (14, 3.2 to 6.2) and a quicklist of listpacks (18, 7.0). Types 1 and 10
 * are pushed element by element under `fill`; quicklist nodes are kept as they were saved.
 */
export function readListRdb(rdbType: number, input: RdbReader, fill: number): ListValue {
  const list = new ListValue(fill);
  if (rdbType === RDB_TYPE.LIST) {
    const count = input.readLength();
    for (let i = 0; i < count; i++) list.pushTail(input.readString());
    return list;
  }
  if (rdbType === RDB_TYPE.LIST_ZIPLIST) {
    for (const s of decodeZiplist(input.readStringView())) list.pushTail(s);
    return list;
  }
  if (rdbType !== RDB_TYPE.LIST_QUICKLIST && rdbType !== RDB_TYPE.LIST_QUICKLIST_2) throw new Error(`RDB type ${rdbType} is not a list encoding`);
  const nodes = input.readLength();
  for (let i = 0; i < nodes; i++) {
    let container = CONTAINER_PACKED;
    if (rdbType === RDB_TYPE.LIST_QUICKLIST_2) {
      container = input.readLength();
      if (container !== CONTAINER_PACKED && container !== CONTAINER_PLAIN) throw new Error('Quicklist integrity check failed.');
    }
    const blob = input.readStringView();
    if (blob.length === 0) throw new Error('empty quicklist node');
    if (container === CONTAINER_PLAIN) {
      list.appendNode([blob.latin1Slice(0, blob.length)]);
    } else if (rdbType === RDB_TYPE.LIST_QUICKLIST_2) {
      // The listpack's entries go straight into the node's format, no string per element.
      sink.reset();
      walkListpack(blob, sink);
      const node = sink.finish();
      if (node !== null) list.appendBuiltNode(node);
    } else {
      list.appendNode(decodeZiplist(blob));
    }
  }
  return list;
}
