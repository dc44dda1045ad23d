import type { ListpackSink } from 'redix-server/persistence';
import { LISTPACK_EMPTY_BYTES, listpackEntryBytes, listpackIntegerEntryBytes, listpackStringEntryBytes } from './listpack-size';
import { QuickListNode, entryBytes, writeHeader, writeTrailer } from './packed-node';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Turns a quicklist node's listpack (walkListpack) straight into a QuickListNode: the entries are
 * written in the node's format into one reused scratch buffer, then copied once into the node,
 * with no string per element. `sz` is summed as the node's own pushes would sum it.
 */
export class ListpackNodeSink implements ListpackSink {
  private buf = Buffer.allocUnsafe(8192);
  private used = 0;
  private count = 0;
  private sz = LISTPACK_EMPTY_BYTES;

  reset(): void {
    this.used = 0;
    this.count = 0;
    this.sz = LISTPACK_EMPTY_BYTES;
  }

  bytes(src: Buffer, start: number, end: number): void {
    const len = end - start;
    const first = len === 0 ? 0 : src[start];
    // Bytes that may spell an integer (a listpack not written by Redis) are measured as text.
    this.sz += len <= 20 && (first === 45 || (first >= 48 && first <= 57)) ? listpackEntryBytes(src.latin1Slice(start, end)) : listpackStringEntryBytes(len);
    this.room(len);
    const b = this.buf;
    let p = writeHeader(b, this.used, len);
    if (len < 24) for (let i = start; i < end; i++) b[p++] = src[i];
    else p += src.copy(b, p, start, end);
    this.used = writeTrailer(b, p, len);
    this.count++;
  }

  integer(value: number | bigint): void {
    // As its text would be measured: an int64 entry holding a small value counts as the small one.
    const safe = typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
    this.sz += listpackIntegerEntryBytes(safe);
    const text = String(value);
    const len = text.length;
    this.room(len);
    const b = this.buf;
    let p = writeHeader(b, this.used, len);
    p += b.latin1Write(text, p, len);
    this.used = writeTrailer(b, p, len);
    this.count++;
  }

  /** The node of the entries received (null when there were none); empties the sink. */
  finish(): QuickListNode | null {
    const node = this.count === 0 ? null : QuickListNode.fromPacked(this.buf, 0, this.used, this.count, this.sz);
    this.reset();
    return node;
  }

  private room(len: number): void {
    const need = this.used + entryBytes(len);
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }
}
