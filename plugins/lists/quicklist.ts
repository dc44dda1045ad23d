import { QuickListNode } from './packed-node';

export { QuickListNode };

/** Node byte limits for list-max-listpack-size -1 .. -5 (quicklist.c optimization_level). */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** A count-limited node (positive fill) still never grows past this many bytes. */
const SIZE_SAFETY_LIMIT = 8192;
/** Redis's overestimate of what one entry adds to a node when checking the limit. */
const SIZE_ESTIMATE_OVERHEAD = 8;

function nodeOf(items: readonly string[]): QuickListNode {
  return new QuickListNode(items);
}

function meetsLevel(sz: number, fill: number): boolean {
  if (fill >= 0) return false;
  const level = SIZE_LEVELS[-fill - 1];
  return level !== undefined && sz <= level;
}

/**
 * A list as Redis 7.0's quicklist lays it out: a chain of nodes of at most `fill` elements
 * (positive) or bytes (negative, list-max-listpack-size). O(1) push and pop at both ends, index
 * walks from the nearer end node by node. Node boundaries follow Redis's insert, split and merge
 * rules so a list built by the same commands has the same nodes.
 */
export class QuickList {
  nodes: QuickListNode[] = [];
  length = 0;

  constructor(readonly fill: number) {}

  /** _quicklistNodeAllowInsert: may an element of `len` bytes go into `node`? */
  private allowInsert(node: QuickListNode | undefined, len: number): boolean {
    if (node === undefined) return false;
    const newSz = node.sz + len + SIZE_ESTIMATE_OVERHEAD;
    if (meetsLevel(newSz, this.fill)) return true;
    if (newSz > SIZE_SAFETY_LIMIT) return false;
    return node.count < this.fill;
  }

  /** _quicklistNodeAllowMerge. */
  private allowMerge(a: QuickListNode | undefined, b: QuickListNode | undefined): boolean {
    if (a === undefined || b === undefined) return false;
    const mergeSz = a.sz + b.sz - 11;
    if (meetsLevel(mergeSz, this.fill)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.count + b.count <= this.fill;
  }

  pushHead(s: string): void {
    const head = this.nodes[0];
    if (this.allowInsert(head, s.length)) {
      head.pushHead(s);
    } else {
      // The old head is full for good: it gives back its spare room.
      if (head === undefined) this.nodes = [nodeOf([s])];
      else {
        head.shrink();
        this.nodes.unshift(nodeOf([s]));
      }
    }
    this.length++;
  }

  pushTail(s: string): void {
    const tail = this.nodes[this.nodes.length - 1];
    if (this.allowInsert(tail, s.length)) {
      tail.pushTail(s);
    } else {
      // A first node goes in an array literal: push onto [] would reserve 17 slots per list.
      if (tail === undefined) this.nodes = [nodeOf([s])];
      else {
        tail.shrink();
        this.nodes.push(nodeOf([s]));
      }
    }
    this.length++;
  }

  popHead(): string | undefined {
    const head = this.nodes[0];
    if (head === undefined) return undefined;
    const s = head.popHead();
    this.length--;
    if (head.count === 0) this.nodes.shift();
    return s;
  }

  popTail(): string | undefined {
    const tail = this.nodes[this.nodes.length - 1];
    if (tail === undefined) return undefined;
    const s = tail.popTail();
    this.length--;
    if (tail.count === 0) this.nodes.pop();
    return s;
  }

  /** The node holding element `index` (0 ≤ index < length) and the offset in it, walking from the nearer end. */
  locate(index: number): [number, number] {
    const nodes = this.nodes;
    if (index < this.length / 2) {
      let i = 0;
      while (index >= nodes[i].count) index -= nodes[i++].count;
      return [i, index];
    }
    let back = this.length - 1 - index;
    let i = nodes.length - 1;
    while (back >= nodes[i].count) back -= nodes[i--].count;
    return [i, nodes[i].count - 1 - back];
  }

  /** Element `index` (negative counts from the tail), or undefined when out of range. */
  get(index: number): string | undefined {
    if (index < 0) index += this.length;
    if (index < 0 || index >= this.length) return undefined;
    const [n, off] = this.locate(index);
    return this.nodes[n].get(off);
  }

  /** Replaces element `index` in place (LSET); false when out of range. */
  set(index: number, s: string): boolean {
    if (index < 0) index += this.length;
    if (index < 0 || index >= this.length) return false;
    const [n, off] = this.locate(index);
    const node = this.nodes[n];
    const items = node.toArray();
    items[off] = s;
    node.repack(items);
    return true;
  }

  /** Calls `fn` for elements start..end (inclusive, in range), in order. */
  forRange(start: number, end: number, fn: (s: string) => void): void {
    for (let i = start; i <= end; i++) fn(this.get(i) as string);
  }

  /** Calls `fn` for elements end..start (inclusive, in range), tail first. */
  forRangeReverse(start: number, end: number, fn: (s: string) => void): void {
    for (let i = end; i >= start; i--) fn(this.get(i) as string);
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    const out: string[] = [];
    for (const node of this.nodes) for (const s of node.toArray()) out.push(s);
    return out;
  }

  /** Removes `count` elements from `start` (quicklistDelRange: emptied nodes go, none merge). */
  deleteRange(start: number, count: number): void {
    if (count <= 0 || start >= this.length) return;
    if (start + count > this.length) count = this.length - start;
    let [n, off] = this.locate(start);
    this.length -= count;
    while (count > 0) {
      const node = this.nodes[n];
      const del = Math.min(count, node.count - off);
      if (off === 0 && del === node.count) {
        this.nodes.splice(n, 1);
      } else {
        removeFromNode(node, off, del);
        n++;
      }
      count -= del;
      off = 0;
    }
  }

  /** Removes the element at node `n`, offset `off` (quicklistDelIndex); true if the node went. */
  deleteAt(n: number, off: number): boolean {
    const node = this.nodes[n];
    this.length--;
    if (node.count === 1) {
      this.nodes.splice(n, 1);
      return true;
    }
    removeFromNode(node, off, 1);
    return false;
  }

  /**
   * LREM: removes elements equal to `s`, at most `max` (0: all), walking from the head or the
   * tail; emptied nodes go (quicklistDelEntry does not merge). Returns how many went.
   */
  removeEqual(s: string, max: number, fromTail: boolean): number {
    const target = Buffer.from(s, 'latin1');
    let removed = 0;
    const nodes = this.nodes;
    for (let n = fromTail ? nodes.length - 1 : 0; n >= 0 && n < nodes.length && (max === 0 || removed < max); ) {
      const node = nodes[n];
      let hits = node.matches(target);
      if (hits.length !== 0) {
        const room = max === 0 ? hits.length : Math.min(hits.length, max - removed);
        hits = fromTail ? hits.slice(hits.length - room) : hits.slice(0, room);
        removed += hits.length;
        if (hits.length === node.count) {
          nodes.splice(n, 1);
          if (fromTail) n--;
          continue;
        }
        const drop = new Set(hits);
        node.repack(node.toArray().filter((_, i) => !drop.has(i)));
      }
      if (fromTail) n--;
      else n++;
    }
    this.length -= removed;
    return removed;
  }

  /** Inserts `s` before or after element `index` (LINSERT), as _quicklistInsert places it. */
  insertAt(index: number, s: string, after: boolean): void {
    const [n, off] = this.locate(index);
    const node = this.nodes[n];
    const len = s.length;
    const full = !this.allowInsert(node, len);
    const atTail = after && off === node.count - 1;
    const atHead = !after && off === 0;
    const availNext = atTail && this.allowInsert(this.nodes[n + 1], len);
    const availPrev = atHead && this.allowInsert(this.nodes[n - 1], len);
    this.length++;
    if (!full) {
      if (after && off === node.count - 1) node.pushTail(s);
      else if (!after && off === 0) node.pushHead(s);
      else {
        const items = node.toArray();
        items.splice(after ? off + 1 : off, 0, s);
        node.repack(items);
      }
    } else if (atTail && availNext) {
      this.nodes[n + 1].pushHead(s);
    } else if (atHead && availPrev) {
      this.nodes[n - 1].pushTail(s);
    } else if (atTail || atHead) {
      this.nodes.splice(after ? n + 1 : n, 0, nodeOf([s]));
    } else {
      // Split: after keeps [0, off] and a new node gets s + the rest; before, a new node gets
      // [0, off - 1] + s and the node keeps [off, end]. Then neighbours merge where they fit.
      const items = node.toArray();
      if (after) {
        const rest = items.splice(off + 1);
        this.nodes.splice(n + 1, 0, nodeOf([s, ...rest]));
      } else {
        const head = items.splice(0, off);
        head.push(s);
        this.nodes.splice(n, 0, nodeOf(head));
      }
      node.repack(items);
      this.mergeAround(node);
    }
  }

  /** _quicklistMergeNodes around `center`. */
  private mergeAround(center: QuickListNode): void {
    let c = this.nodes.indexOf(center);
    if (this.allowMerge(this.nodes[c - 1], this.nodes[c - 2])) {
      this.merge(c - 2);
      c--;
    }
    if (this.allowMerge(this.nodes[c + 1], this.nodes[c + 2])) this.merge(c + 1);
    let target = c;
    if (this.allowMerge(this.nodes[c], this.nodes[c - 1])) {
      this.merge(c - 1);
      target = c - 1;
    }
    if (this.allowMerge(this.nodes[target], this.nodes[target + 1])) this.merge(target);
  }

  /** Merges node i+1 into node i. */
  private merge(i: number): void {
    const a = this.nodes[i];
    const b = this.nodes[i + 1];
    for (const s of b.toArray()) a.pushTail(s);
    this.nodes.splice(i + 1, 1);
  }

  /** Appends a node read from an RDB file or a DUMP payload as is (quicklistAppendListpack). */
  appendNode(items: string[]): void {
    if (items.length === 0) return;
    const node = nodeOf(items);
    node.shrink();
    this.nodes.push(node);
    this.length += items.length;
  }

  /** Appends a node built whole by a loader (ListpackNodeSink), as appendNode. */
  appendBuiltNode(node: QuickListNode): void {
    this.nodes.push(node);
    this.length += node.count;
  }

  clone(): QuickList {
    const copy = new QuickList(this.fill);
    copy.nodes = this.nodes.map((node) => node.clone());
    copy.length = this.length;
    return copy;
  }
}

/** Removes `del` elements of `node` from `off`: pops at either end, else a repack. */
function removeFromNode(node: QuickListNode, off: number, del: number): void {
  if (off === 0) {
    for (let i = 0; i < del; i++) node.popHead();
  } else if (off + del === node.count) {
    for (let i = 0; i < del; i++) node.popTail();
  } else {
    const items = node.toArray();
    items.splice(off, del);
    node.repack(items);
  }
}
