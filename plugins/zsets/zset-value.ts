import { parseDouble, type PackedStrings, type TypedValue } from 'redix-server';
import { SkipList, type ZNode } from './skiplist';

/**
 * A sorted set: member → node map (ZSCORE, ZADD updates in O(1) look-ups) plus the skip list
 * ordered by (score, member) for ranks and ranges. One representation for every size; `skiplist`
 * records the encoding Redis would use (listpack while small), which OBJECT ENCODING, ZSCAN and
 * RDB writing follow.
 */
export class ZSetValue implements TypedValue {
  private table: Map<string, ZNode> | null;
  private skip: SkipList | null;
  /**
   * A loaded listpack's member, score, ... items (scores as their text), until the set is first
   * used: a dump's small sorted sets cost one string each until then, not a Map and a node per
   * member (most of their load time and memory). Null once expanded.
   */
  private pending: PackedStrings | null;
  /** Once Redis converts a listpack to a skiplist it stays one: the flag never goes back by itself. */
  skiplist = false;

  /** An empty set, or one over a loaded listpack's checked items (`pending`, see above). */
  constructor(pending: PackedStrings | null = null) {
    this.pending = pending;
    this.table = pending === null ? new Map() : null;
    this.skip = pending === null ? new SkipList() : null;
  }

  /** member → node. */
  get dict(): Map<string, ZNode> {
    if (this.pending !== null) this.expand();
    return this.table!;
  }

  /** The nodes in (score, member) order. */
  get list(): SkipList {
    if (this.pending !== null) this.expand();
    return this.skip!;
  }

  get type(): string {
    return 'zset';
  }

  get size(): number {
    return this.pending !== null ? this.pending.length >> 1 : this.skip!.length;
  }

  /** Sum of `bytesOf(member length)` over the first `max` members (MEMORY USAGE's sample), without expanding the set. */
  sampleMembers(max: number, bytesOf: (length: number) => number): number {
    let sum = 0;
    let sampled = 0;
    const pending = this.pending;
    if (pending !== null) {
      for (let pos = pending.first(); pos >= 0 && sampled < max; pos = pending.next(pending.next(pos)), sampled++) sum += bytesOf(pending.lengthAt(pos));
      return sum;
    }
    for (let n = this.skip!.first; n !== null && sampled < max; n = n.next, sampled++) sum += bytesOf(n.member.length);
    return sum;
  }

  /** Builds the Map and skip list from the pending items (their scores were checked at load). */
  private expand(): void {
    const pending = this.pending!;
    this.pending = null;
    this.table = new Map();
    this.skip = new SkipList();
    for (let pos = pending.first(); pos >= 0; ) {
      const scorePos = pending.next(pos);
      this.insertNew(pending.itemAt(pos), parseDouble(pending.itemAt(scorePos))!);
      pos = pending.next(scorePos);
    }
  }

  score(member: string): number | undefined {
    const node = this.dict.get(member);
    return node === undefined ? undefined : node.score;
  }

  /** Adds a new member or moves an existing one to `score`. */
  set(member: string, score: number): void {
    const node = this.dict.get(member);
    if (node === undefined) this.dict.set(member, this.list.insert(score, member));
    else if (node.score !== score) this.dict.set(member, this.list.updateScore(node, score));
  }

  /** Adds a member known not to be in the set. */
  insertNew(member: string, score: number): void {
    this.dict.set(member, this.list.insert(score, member));
  }

  remove(member: string): boolean {
    const node = this.dict.get(member);
    if (node === undefined) return false;
    this.list.delete(node.score, member);
    this.dict.delete(member);
    return true;
  }

  /** Checks an insert that makes the set `newSize` long against the listpack limits, as Redis converts on add. */
  noteMember(newSize: number, memberLength: number, maxEntries: number, maxValue: number): void {
    if (!this.skiplist && (newSize > maxEntries || memberLength > maxValue)) this.skiplist = true;
  }

  /**
   * For sets built whole (stores, RDB loads): the encoding Redis picks for the result, listpack
   * when it fits both limits.
   */
  chooseEncoding(maxEntries: number, maxValue: number): void {
    if (this.list.length > maxEntries) {
      this.skiplist = true;
      return;
    }
    for (let n = this.list.first; n !== null; n = n.next) {
      if (n.member.length > maxValue) {
        this.skiplist = true;
        return;
      }
    }
    this.skiplist = false;
    // The listpack keeps integral scores as integers: a -0 becomes 0.
    for (let n = this.list.first; n !== null; n = n.next) if (n.score === 0) n.score = 0;
  }

  /** Members in rank order. */
  *members(): IterableIterator<string> {
    for (let n = this.list.first; n !== null; n = n.next) yield n.member;
  }

  clone(): ZSetValue {
    // The pending items are never changed: a copy can share them.
    const copy = new ZSetValue(this.pending);
    if (this.pending === null) for (let n = this.skip!.first; n !== null; n = n.next) copy.insertNew(n.member, n.score);
    copy.skiplist = this.skiplist;
    return copy;
  }
}
