import type { TypedValue } from 'redix-server';
import { SkipList, type ZNode } from './skiplist';

/**
 * A sorted set: member → node map (ZSCORE, ZADD updates in O(1) look-ups) plus the skip list
 * ordered by (score, member) for ranks and ranges. One representation for every size; `skiplist`
 * records the encoding Redis would use (listpack while small), which OBJECT ENCODING, ZSCAN and
 * RDB writing follow.
 */
export class ZSetValue implements TypedValue {
  readonly dict = new Map<string, ZNode>();
  readonly list = new SkipList();
  /** Once Redis converts a listpack to a skiplist it stays one: the flag never goes back by itself. */
  skiplist = false;

  get type(): string {
    return 'zset';
  }

  get size(): number {
    return this.list.length;
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
    const copy = new ZSetValue();
    for (let n = this.list.first; n !== null; n = n.next) copy.insertNew(n.member, n.score);
    copy.skiplist = this.skiplist;
    return copy;
  }
}
