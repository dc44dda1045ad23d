import { nextAt, setNext, setSpan, spanAt, ZNode } from './znode';
import { lexAboveMin, lexBelowMax, scoreAboveMin, scoreBelowMax, type LexRange, type ScoreRange } from './zset-intervals';

export { ZNode } from './znode';
export * from './zset-intervals';

/**
 * A skip list with spans, ordered by (score, member bytes), as Redis's zskiplist: O(log n) insert,
 * delete, rank of an element and element at a rank. Members are latin1 strings, so comparing them
 * with `<` compares their bytes (memcmp order, a shorter prefix first).
 */
export const MAX_LEVEL = 32;
/** Each level is kept with probability 1/4, as Redis's ZSKIPLIST_P. */
const LEVEL_P = 0.25;

/** True when (s1, m1) sorts before (s2, m2). */
function before(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_P) level++;
  return level;
}

/** What `update` slots hold between operations, so a shared path pins no list's nodes. */
const NO_NODE = new ZNode('', 0, 1);
/**
 * The search path of the running operation, shared by every list (handlers are synchronous): two
 * arrays of MAX_LEVEL per sorted set cost ~0.5 kB each, more than a small set's members.
 */
const UPDATE: ZNode[] = Array.from({ length: MAX_LEVEL }, () => NO_NODE);
const RANK: number[] = Array.from({ length: MAX_LEVEL }, () => 0);

export class SkipList {
  readonly head = new ZNode('', 0, MAX_LEVEL);
  tail: ZNode | null = null;
  length = 0;
  level = 1;
  private readonly update = UPDATE;
  private readonly rank = RANK;

  /** Drops the path's references once an operation is done (a deleted list can then be collected). */
  private releasePath(levels = this.level): void {
    for (let i = 0; i < levels; i++) this.update[i] = NO_NODE;
  }

  get first(): ZNode | null {
    return this.head.next;
  }

  /** Inserts a member that is not in the list yet. */
  insert(score: number, member: string): ZNode {
    const update = this.update;
    const rank = this.rank;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let n = nextAt(x, i);
      while (n !== null && before(n.score, n.member, score, member)) {
        rank[i] += spanAt(x, i);
        x = n;
        n = nextAt(x, i);
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        setSpan(this.head, i, this.length);
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      setNext(node, i, nextAt(u, i));
      setNext(u, i, node);
      setSpan(node, i, spanAt(u, i) - (rank[0] - rank[i]));
      setSpan(u, i, rank[0] - rank[i] + 1);
    }
    for (let i = level; i < this.level; i++) setSpan(update[i], i, spanAt(update[i], i) + 1);
    node.backward = update[0] === this.head ? null : update[0];
    if (node.next !== null) node.next.backward = node;
    else this.tail = node;
    this.length++;
    this.releasePath();
    return node;
  }

  /** Unlinks `x`, given the nodes before it at each level (`update`). */
  private unlink(x: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (nextAt(u, i) === x) {
        setSpan(u, i, spanAt(u, i) + spanAt(x, i) - 1);
        setNext(u, i, nextAt(x, i));
      } else {
        setSpan(u, i, spanAt(u, i) - 1);
      }
    }
    if (x.next !== null) x.next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && nextAt(this.head, this.level - 1) === null) this.level--;
    this.length--;
  }

  /** Fills `update` with the last node before (score, member) at each level. */
  private findPath(score: number, member: string): ZNode {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && before(n.score, n.member, score, member)) {
        x = n;
        n = nextAt(x, i);
      }
      this.update[i] = x;
    }
    return x;
  }

  /** Removes (score, member); false if it is not there. */
  delete(score: number, member: string): boolean {
    const levels = this.level;
    const x = this.findPath(score, member).next;
    if (x === null || x.score !== score || x.member !== member) {
      this.releasePath();
      return false;
    }
    this.unlink(x, this.update);
    this.releasePath(levels);
    return true;
  }

  /**
   * Changes the score of `node` (in the list) to `score`: in place when the order stays, else by
   * removing and re-inserting. Returns the node now holding the member.
   */
  updateScore(node: ZNode, score: number): ZNode {
    const prev = node.backward;
    const next = node.next;
    if ((prev === null || before(prev.score, prev.member, score, node.member)) && (next === null || before(score, node.member, next.score, next.member))) {
      node.score = score;
      return node;
    }
    this.delete(node.score, node.member);
    return this.insert(score, node.member);
  }

  /** 1-based rank of (score, member), 0 when absent. */
  rankOf(score: number, member: string): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && (before(n.score, n.member, score, member) || (n.score === score && n.member === member))) {
        rank += spanAt(x, i);
        x = n;
        n = nextAt(x, i);
      }
      if (x !== this.head && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at 1-based `rank`, or null. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && traversed + spanAt(x, i) <= rank) {
        traversed += spanAt(x, i);
        x = n;
        n = nextAt(x, i);
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The first node with a score in `r`, or null. */
  firstInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && !scoreAboveMin(n.score, r)) {
        x = n;
        n = nextAt(x, i);
      }
    }
    const first = x.next;
    return first !== null && scoreBelowMax(first.score, r) ? first : null;
  }

  /** The last node with a score in `r`, or null. */
  lastInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && scoreBelowMax(n.score, r)) {
        x = n;
        n = nextAt(x, i);
      }
    }
    return x !== this.head && scoreAboveMin(x.score, r) ? x : null;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && !lexAboveMin(n.member, r)) {
        x = n;
        n = nextAt(x, i);
      }
    }
    const first = x.next;
    return first !== null && lexBelowMax(first.member, r) ? first : null;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && lexBelowMax(n.member, r)) {
        x = n;
        n = nextAt(x, i);
      }
    }
    return x !== this.head && lexAboveMin(x.member, r) ? x : null;
  }

  /** 1-based rank of a node known to be in the list. */
  rankOfNode(node: ZNode): number {
    return this.rankOf(node.score, node.member);
  }

  /**
   * Removes the nodes from 1-based rank `start` to `end` (inclusive), telling `removed` each
   * member. Returns how many went.
   */
  deleteRankRange(start: number, end: number, removed: (member: string) => void): number {
    const levels = this.level;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = nextAt(x, i);
      while (n !== null && traversed + spanAt(x, i) < start) {
        traversed += spanAt(x, i);
        x = n;
        n = nextAt(x, i);
      }
      this.update[i] = x;
    }
    traversed++;
    let node = x.next;
    let count = 0;
    while (node !== null && traversed <= end) {
      const next = node.next;
      this.unlink(node, this.update);
      removed(node.member);
      count++;
      traversed++;
      node = next;
    }
    this.releasePath(levels);
    return count;
  }

  /** Removes every node from `first` (in the list) on while `inRange(node)` holds. */
  deleteFrom(first: ZNode, inRange: (node: ZNode) => boolean, removed: (member: string) => void): number {
    const levels = this.level;
    this.findPath(first.score, first.member);
    let node: ZNode | null = first;
    let count = 0;
    while (node !== null && inRange(node)) {
      const next: ZNode | null = node.next;
      this.unlink(node, this.update);
      removed(node.member);
      count++;
      node = next;
    }
    this.releasePath(levels);
    return count;
  }
}
