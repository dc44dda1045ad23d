import type { TypedValue } from 'redix-server';
import { EntryReader, FLAG_DELETED, StreamNode, flagDeleted } from './stream-node';
import { MAX_ID, ZERO_ID, compareIds, type StreamId } from './stream-id';
import type { ConsumerGroup } from './stream-group';

/** stream-node-max-bytes / -entries as streamAppendItem applies them. */
export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

/** Deltas up to this size are exact as numbers. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** STREAM_LISTPACK_MAX_SIZE: a node never grows past 1 GiB. */
export const LISTPACK_MAX_SIZE = 1 << 30;
/** STREAM_LISTPACK_MAX_PRE_ALLOCATE. */
const MAX_PREALLOC = 4096;

/** How XADD/XTRIM trim: by length or by minimal ID, exactly or by whole nodes (`~`), with a work limit. */
export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  maxLen: number;
  minId: StreamId;
  approx: boolean;
  /** 0: unlimited. */
  limit: number;
}

/**
 * A stream: nodes (listpacks) sorted by master ID, found by binary search, plus the metadata Redis
 * keeps (length, last ID, first ID, max deleted ID, entries added) and the consumer groups.
 */
export class StreamValue implements TypedValue {
  /** Sorted by master ID. Added with addNode and removed by this class only, so nodeBytes stays true. */
  nodes: StreamNode[] = [];
  /**
   * Sum of the nodes' buffer sizes, kept as they change: the memory estimate runs before and
   * after every write (MEMORY accounting), and walking the nodes made XADD O(nodes).
   */
  nodeBytes = 0;
  length = 0;
  lastId: StreamId = ZERO_ID;
  firstId: StreamId = ZERO_ID;
  maxDeletedId: StreamId = ZERO_ID;
  entriesAdded = 0;
  /** By name; listed in byte order of the names, as Redis's rax. */
  groups: Map<string, ConsumerGroup> | null = null;

  get type(): string {
    return 'stream';
  }

  /** Appends an entry with `id` (already checked to be above lastId): streamAppendItem. */
  append(id: StreamId, pairs: readonly Buffer[], limits: NodeLimits): void {
    let total = 0;
    for (let i = 0; i < pairs.length; i++) total += pairs[i].length;
    const nodes = this.nodes;
    let tail: StreamNode | null = nodes.length === 0 ? null : nodes[nodes.length - 1];
    if (tail !== null) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      if (tail.listpackBytes + total >= maxBytes || (limits.maxEntries !== 0 && tail.count + tail.deleted >= limits.maxEntries)) {
        const before = tail.buf.length;
        tail.shrink();
        this.nodeBytes += tail.buf.length - before;
        tail = null;
      }
    }
    if (tail === null) {
      let prealloc = MAX_PREALLOC;
      if (limits.maxBytes > 0 && limits.maxBytes < prealloc) prealloc = limits.maxBytes;
      tail = StreamNode.create(id, pairs, prealloc);
      this.addNode(tail);
    }
    const before = tail.buf.length;
    tail.append(id, pairs);
    this.nodeBytes += tail.buf.length - before;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Appends a node after the others (its master ID is above theirs). */
  addNode(node: StreamNode): void {
    this.nodes.push(node);
    this.nodeBytes += node.buf.length;
  }

  /** Index of the last node whose master ID is <= id, or -1. */
  nodeIndexFor(id: StreamId): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(nodes[mid].master, id) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  iterate(start: StreamId, end: StreamId, rev: boolean, skipTombstones = true): StreamIterator {
    return new StreamIterator(this, start, end, rev, skipTombstones);
  }

  /** The first or last entry's ID (tombstones too unless skipped); max/0-0 when none (streamGetEdgeID). */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const it = this.iterate(ZERO_ID, MAX_ID, !first, skipTombstones);
    if (it.next(false)) return it.entry.id;
    return first ? MAX_ID : ZERO_ID;
  }

  /** The last live entry's ID (0-0 when empty). */
  lastValidId(): StreamId {
    if (this.length === 0) return ZERO_ID;
    // The common case without a walk: the tail node's last entry is live.
    const tail = this.nodes[this.nodes.length - 1];
    if (tail.lastIsLive) return tail.lastId;
    const it = this.iterate(ZERO_ID, MAX_ID, true);
    return it.next(false) ? it.entry.id : ZERO_ID;
  }

  /** The entry's fields, or null when there is no such live entry. */
  entryExists(id: StreamId): boolean {
    const it = this.iterate(id, id, false);
    return it.next(false);
  }

  /** Flags one entry deleted (streamDeleteItem); true if it was there. */
  deleteEntry(id: StreamId): boolean {
    const idx = this.nodeIndexFor(id);
    if (idx < 0) return false;
    const node = this.nodes[idx];
    if (compareIds(node.lastId, id) < 0) return false;
    const r = new EntryReader();
    let p = node.entriesStart;
    while (p < node.used) {
      p = r.read(node, p, false);
      const cmp = compareIds(r.id, id);
      if (cmp > 0) return false;
      if (cmp === 0) {
        if ((r.flags & FLAG_DELETED) !== 0) return false;
        this.removeAt(idx, node, r.flagsAt);
        return true;
      }
    }
    return false;
  }

  private removeAt(idx: number, node: StreamNode, flagsAt: number): void {
    if (node.count === 1) {
      this.nodes.splice(idx, 1);
      this.nodeBytes -= node.buf.length;
    }
    else flagDeleted(node, flagsAt);
    this.length--;
  }

  /** streamTrim: returns how many entries were removed. */
  trim(args: TrimArgs): number {
    const nodes = this.nodes;
    let deleted = 0;
    const r = new EntryReader();
    while (nodes.length > 0) {
      if (args.strategy === 'maxlen' && this.length <= args.maxLen) break;
      const node = nodes[0];
      const entries = node.count;
      if (args.limit !== 0 && deleted + entries > args.limit) break;
      const removeNode = args.strategy === 'maxlen' ? this.length - entries >= args.maxLen : compareIds(node.lastId, args.minId) < 0;
      if (removeNode) {
        nodes.shift();
        this.nodeBytes -= node.buf.length;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      let p = node.entriesStart;
      while (p < node.used) {
        const next = r.read(node, p, false);
        const stop = args.strategy === 'maxlen' ? this.length <= args.maxLen : compareIds(r.id, args.minId) >= 0;
        if (stop) break;
        if ((r.flags & FLAG_DELETED) === 0) {
          flagDeleted(node, r.flagsAt);
          this.length--;
          deleted++;
        }
        p = next;
      }
      // Redis keeps a node whose entries are all flagged here (it only frees nodes whole above).
      break;
    }
    if (this.length === 0) this.firstId = ZERO_ID;
    else if (deleted > 0) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** Does [start, end] hold the latest tombstone (streamRangeHasTombstones)? */
  rangeHasTombstones(start: StreamId | null, end: StreamId | null): boolean {
    const maxDel = this.maxDeletedId;
    if (this.length === 0 || (maxDel.ms === 0n && maxDel.seq === 0n)) return false;
    if (compareIds(this.firstId, maxDel) > 0) return false;
    const s = start ?? ZERO_ID;
    const e = end ?? MAX_ID;
    return compareIds(s, maxDel) <= 0 && compareIds(maxDel, e) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: an ID's logical read counter, or -1 when unknown. */
  estimateDistance(id: StreamId): number {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && compareIds(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = compareIds(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return -1;
    const cmpFirst = compareIds(id, this.firstId);
    const maxDel = this.maxDeletedId;
    if ((maxDel.ms === 0n && maxDel.seq === 0n) || compareIds(maxDel, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - this.length;
      if (cmpFirst === 0) return this.entriesAdded - this.length + 1;
    }
    return -1;
  }
}

/**
 * Walks entries between two IDs (inclusive) forwards or backwards, skipping deleted entries
 * unless asked not to. `next(withFields)` fills `entry`.
 */
export class StreamIterator {
  readonly entry = new EntryReader();
  private nodeIndex: number;
  private p = -1;
  /** Reverse: entry offsets of the current node, walked from the end. */
  private offsets: number[] = [];
  private done = false;

  constructor(
    private readonly stream: StreamValue,
    private readonly start: StreamId,
    private readonly end: StreamId,
    private readonly rev: boolean,
    private readonly skipTombstones: boolean,
  ) {
    if (!rev) this.nodeIndex = Math.max(0, stream.nodeIndexFor(start));
    else this.nodeIndex = stream.nodeIndexFor(end);
    if (compareIds(start, end) > 0) this.done = true;
  }

  next(withFields: boolean): boolean {
    if (this.done) return false;
    return this.rev ? this.prev(withFields) : this.forward(withFields);
  }

  private forward(withFields: boolean): boolean {
    const nodes = this.stream.nodes;
    const e = this.entry;
    while (this.nodeIndex < nodes.length) {
      const node = nodes[this.nodeIndex];
      if (this.p < 0) {
        if (compareIds(node.lastId, this.start) < 0) {
          this.nodeIndex++;
          continue;
        }
        this.p = node.entriesStart;
        if (compareIds(node.master, this.start) < 0) this.seek(node);
      }
      while (this.p < node.used) {
        // Fields read at once: after seek() the entry is mostly one to return.
        this.p = e.read(node, this.p, withFields);
        if (this.skipTombstones && (e.flags & FLAG_DELETED) !== 0) continue;
        if (compareIds(e.id, this.start) < 0) continue;
        if (compareIds(e.id, this.end) > 0) {
          this.done = true;
          return false;
        }
        return true;
      }
      this.nodeIndex++;
      this.p = -1;
    }
    this.done = true;
    return false;
  }

  /**
   * Moves `p` past the node's entries below `start` by their ID deltas alone (XRANGE from an ID
   * in the middle of a node): the loop in forward() then checks each entry in full as before.
   * Stops early, leaving the rest to that loop, at a delta beyond 2^53 or one that wrapped
   * around 2^64 (IDs near the top: the deltas are stored as int64), where numbers would misorder.
   */
  private seek(node: StreamNode): void {
    const master = node.master;
    const msRel = this.start.ms - master.ms;
    const seqRel = this.start.seq - master.seq;
    if (msRel > SAFE || seqRel > SAFE || seqRel < -SAFE || master.seq > SAFE) return;
    const ms = Number(msRel);
    const seq = Number(seqRel);
    const lowestSeqDelta = -Number(master.seq);
    const e = this.entry;
    while (this.p < node.used) {
      const next = e.readDeltas(node, this.p);
      const msDelta = e.msDelta;
      const seqDelta = e.seqDelta;
      if (typeof msDelta !== 'number' || typeof seqDelta !== 'number' || msDelta < 0 || seqDelta < lowestSeqDelta) return;
      if (msDelta > ms || (msDelta === ms && seqDelta >= seq)) return;
      this.p = next;
    }
  }

  private prev(withFields: boolean): boolean {
    const nodes = this.stream.nodes;
    const e = this.entry;
    while (this.nodeIndex >= 0) {
      const node = nodes[this.nodeIndex];
      if (this.p < 0) {
        const offsets = this.offsets;
        offsets.length = 0;
        let q = node.entriesStart;
        while (q < node.used) {
          offsets.push(q);
          q = e.read(node, q, false);
        }
        this.p = offsets.length;
      }
      while (this.p > 0) {
        const at = this.offsets[--this.p];
        e.read(node, at, withFields);
        if (this.skipTombstones && (e.flags & FLAG_DELETED) !== 0) continue;
        if (compareIds(e.id, this.end) > 0) continue;
        if (compareIds(e.id, this.start) < 0) {
          this.done = true;
          return false;
        }
        return true;
      }
      this.nodeIndex--;
      this.p = -1;
    }
    this.done = true;
    return false;
  }
}
