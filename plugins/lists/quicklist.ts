import { LISTPACK_EMPTY_BYTES, listpackEntryBytes } from './listpack-size';

/** Node byte limits for list-max-listpack-size -1 .. -5 (quicklist.c optimization_level). */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** A count-limited node (positive fill) still never grows past this many bytes. */
const SIZE_SAFETY_LIMIT = 8192;
/** Redis's overestimate of what one entry adds to a node when checking the limit. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * One node: a packed run of elements (latin1 strings) and the bytes its listpack would take in
 * Redis, kept exact so nodes split where Redis's do and RDB type 18 is written byte for byte.
 */
export class QuickListNode {
  constructor(
    public items: string[],
    public sz: number,
  ) {}
}

function nodeOf(items: string[]): QuickListNode {
  let sz = LISTPACK_EMPTY_BYTES;
  for (let i = 0; i < items.length; i++) sz += listpackEntryBytes(items[i]);
  return new QuickListNode(items, sz);
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
    return node.items.length < this.fill;
  }

  /** _quicklistNodeAllowMerge. */
  private allowMerge(a: QuickListNode | undefined, b: QuickListNode | undefined): boolean {
    if (a === undefined || b === undefined) return false;
    const mergeSz = a.sz + b.sz - 11;
    if (meetsLevel(mergeSz, this.fill)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.items.length + b.items.length <= this.fill;
  }

  pushHead(s: string): void {
    const head = this.nodes[0];
    if (this.allowInsert(head, s.length)) {
      head.items.unshift(s);
      head.sz += listpackEntryBytes(s);
    } else {
      this.nodes.unshift(nodeOf([s]));
    }
    this.length++;
  }

  pushTail(s: string): void {
    const tail = this.nodes[this.nodes.length - 1];
    if (this.allowInsert(tail, s.length)) {
      tail.items.push(s);
      tail.sz += listpackEntryBytes(s);
    } else {
      this.nodes.push(nodeOf([s]));
    }
    this.length++;
  }

  popHead(): string | undefined {
    const head = this.nodes[0];
    if (head === undefined) return undefined;
    const s = head.items.shift() as string;
    this.length--;
    if (head.items.length === 0) this.nodes.shift();
    else head.sz -= listpackEntryBytes(s);
    return s;
  }

  popTail(): string | undefined {
    const tail = this.nodes[this.nodes.length - 1];
    if (tail === undefined) return undefined;
    const s = tail.items.pop() as string;
    this.length--;
    if (tail.items.length === 0) this.nodes.pop();
    else tail.sz -= listpackEntryBytes(s);
    return s;
  }

  /** The node holding element `index` (0 ≤ index < length) and the offset in it, walking from the nearer end. */
  locate(index: number): [number, number] {
    const nodes = this.nodes;
    if (index < this.length / 2) {
      let i = 0;
      while (index >= nodes[i].items.length) index -= nodes[i++].items.length;
      return [i, index];
    }
    let back = this.length - 1 - index;
    let i = nodes.length - 1;
    while (back >= nodes[i].items.length) back -= nodes[i--].items.length;
    return [i, nodes[i].items.length - 1 - back];
  }

  /** Element `index` (negative counts from the tail), or undefined when out of range. */
  get(index: number): string | undefined {
    if (index < 0) index += this.length;
    if (index < 0 || index >= this.length) return undefined;
    const [n, off] = this.locate(index);
    return this.nodes[n].items[off];
  }

  /** Replaces element `index` in place (LSET); false when out of range. */
  set(index: number, s: string): boolean {
    if (index < 0) index += this.length;
    if (index < 0 || index >= this.length) return false;
    const [n, off] = this.locate(index);
    const node = this.nodes[n];
    node.sz += listpackEntryBytes(s) - listpackEntryBytes(node.items[off]);
    node.items[off] = s;
    return true;
  }

  /** Calls `fn` for elements start..end (inclusive, in range), in order. */
  forRange(start: number, end: number, fn: (s: string) => void): void {
    if (start > end) return;
    let [n, off] = this.locate(start);
    let left = end - start + 1;
    const nodes = this.nodes;
    while (left > 0) {
      const items = nodes[n].items;
      const stop = Math.min(items.length, off + left);
      for (let i = off; i < stop; i++) fn(items[i]);
      left -= stop - off;
      n++;
      off = 0;
    }
  }

  /** Calls `fn` for elements end..start (inclusive, in range), tail first. */
  forRangeReverse(start: number, end: number, fn: (s: string) => void): void {
    if (start > end) return;
    let [n, off] = this.locate(end);
    let left = end - start + 1;
    const nodes = this.nodes;
    while (left > 0) {
      const items = nodes[n].items;
      const stop = Math.max(-1, off - left);
      for (let i = off; i > stop; i--) fn(items[i]);
      left -= off - stop;
      n--;
      if (n >= 0) off = nodes[n].items.length - 1;
    }
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    const out: string[] = [];
    for (const node of this.nodes) for (const s of node.items) out.push(s);
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
      const del = Math.min(count, node.items.length - off);
      if (off === 0 && del === node.items.length) {
        this.nodes.splice(n, 1);
      } else {
        const removed = node.items.splice(off, del);
        for (const s of removed) node.sz -= listpackEntryBytes(s);
        n++;
      }
      count -= del;
      off = 0;
    }
  }

  /** Removes the element at node `n`, offset `off` (quicklistDelIndex); true if the node went. */
  deleteAt(n: number, off: number): boolean {
    const node = this.nodes[n];
    const [s] = node.items.splice(off, 1);
    this.length--;
    if (node.items.length === 0) {
      this.nodes.splice(n, 1);
      return true;
    }
    node.sz -= listpackEntryBytes(s);
    return false;
  }

  /**
   * LREM: removes elements equal to `s`, at most `max` (0: all), walking from the head or the
   * tail; emptied nodes go (quicklistDelEntry does not merge). Returns how many went.
   */
  removeEqual(s: string, max: number, fromTail: boolean): number {
    let removed = 0;
    const nodes = this.nodes;
    for (let n = fromTail ? nodes.length - 1 : 0; n >= 0 && n < nodes.length && (max === 0 || removed < max); ) {
      const node = nodes[n];
      const items = node.items;
      const before = removed;
      if (!fromTail) {
        let w = 0;
        for (let r = 0; r < items.length; r++) {
          if (items[r] === s && (max === 0 || removed < max)) removed++;
          else items[w++] = items[r];
        }
        items.length = w;
      } else {
        let w = items.length - 1;
        for (let r = items.length - 1; r >= 0; r--) {
          if (items[r] === s && (max === 0 || removed < max)) removed++;
          else items[w--] = items[r];
        }
        items.splice(0, w + 1);
      }
      const gone = items.length === 0;
      if (gone) nodes.splice(n, 1);
      else if (removed !== before) node.sz -= (removed - before) * listpackEntryBytes(s);
      if (fromTail) n--;
      else if (!gone) n++;
    }
    this.length -= removed;
    return removed;
  }

  /** Inserts `s` before or after element `index` (LINSERT), as _quicklistInsert places it. */
  insertAt(index: number, s: string, after: boolean): void {
    const [n, off] = this.locate(index);
    const node = this.nodes[n];
    const len = s.length;
    const bytes = listpackEntryBytes(s);
    const full = !this.allowInsert(node, len);
    const atTail = after && off === node.items.length - 1;
    const atHead = !after && off === 0;
    const availNext = atTail && this.allowInsert(this.nodes[n + 1], len);
    const availPrev = atHead && this.allowInsert(this.nodes[n - 1], len);
    this.length++;
    if (!full) {
      node.items.splice(after ? off + 1 : off, 0, s);
      node.sz += bytes;
    } else if (atTail && availNext) {
      const next = this.nodes[n + 1];
      next.items.unshift(s);
      next.sz += bytes;
    } else if (atHead && availPrev) {
      const prev = this.nodes[n - 1];
      prev.items.push(s);
      prev.sz += bytes;
    } else if (atTail || atHead) {
      this.nodes.splice(after ? n + 1 : n, 0, nodeOf([s]));
    } else {
      // Split: after keeps [0, off] and a new node gets s + the rest; before, a new node gets
      // [0, off - 1] + s and the node keeps [off, end]. Then neighbours merge where they fit.
      let fresh: QuickListNode;
      if (after) {
        const rest = node.items.splice(off + 1);
        fresh = nodeOf([s, ...rest]);
        this.nodes.splice(n + 1, 0, fresh);
      } else {
        const head = node.items.splice(0, off);
        head.push(s);
        fresh = nodeOf(head);
        this.nodes.splice(n, 0, fresh);
      }
      node.sz = nodeOf(node.items).sz;
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
    for (const s of b.items) a.items.push(s);
    a.sz += b.sz - LISTPACK_EMPTY_BYTES;
    this.nodes.splice(i + 1, 1);
  }

  /** Appends a node read from an RDB file or a DUMP payload as is (quicklistAppendListpack). */
  appendNode(items: string[]): void {
    if (items.length === 0) return;
    this.nodes.push(nodeOf(items));
    this.length += items.length;
  }

  clone(): QuickList {
    const copy = new QuickList(this.fill);
    copy.nodes = this.nodes.map((node) => new QuickListNode(node.items.slice(), node.sz));
    copy.length = this.length;
    return copy;
  }
}
