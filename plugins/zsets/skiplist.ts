/**
 * A skip list with spans, ordered by (score, member bytes), as Redis's zskiplist: O(log n) insert,
 * delete, rank of an element and element at a rank. Members are latin1 strings, so comparing them
 * with `<` compares their bytes (memcmp order, a shorter prefix first).
 */
export const MAX_LEVEL = 32;
/** Each level is kept with probability 1/4, as Redis's ZSKIPLIST_P. */
const LEVEL_P = 0.25;

export class ZNode {
  /** The next node at each level. */
  readonly next: (ZNode | null)[];
  /** How many level-0 steps each `next` link skips (for ranks). */
  readonly span: number[];
  backward: ZNode | null = null;

  constructor(
    public member: string,
    public score: number,
    level: number,
  ) {
    // Built by push so V8 keeps them packed arrays (new Array(n) makes holey, slower ones).
    this.next = [];
    this.span = [];
    for (let i = 0; i < level; i++) {
      this.next.push(null);
      this.span.push(0);
    }
  }
}

/** A score interval; exclusive ends are the `(` form. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A member interval; `-`/`+` (every member before/after) are the MIN_LEX/MAX_LEX sentinels. */
export interface LexRange {
  min: string | symbol;
  max: string | symbol;
  minex: boolean;
  maxex: boolean;
}

export const MIN_LEX = Symbol('-');
export const MAX_LEX = Symbol('+');

export function scoreAboveMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}
export function scoreBelowMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}
export function lexAboveMin(member: string, r: LexRange): boolean {
  if (r.min === MIN_LEX) return true;
  if (r.min === MAX_LEX) return false;
  return r.minex ? member > (r.min as string) : member >= (r.min as string);
}
export function lexBelowMax(member: string, r: LexRange): boolean {
  if (r.max === MAX_LEX) return true;
  if (r.max === MIN_LEX) return false;
  return r.maxex ? member < (r.max as string) : member <= (r.max as string);
}

/** True when (s1, m1) sorts before (s2, m2). */
function before(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_P) level++;
  return level;
}

export class SkipList {
  readonly head = new ZNode('', 0, MAX_LEVEL);
  tail: ZNode | null = null;
  length = 0;
  level = 1;
  // Reused search paths (handlers are synchronous).
  private readonly update: ZNode[] = [];
  private readonly rank: number[] = [];

  constructor() {
    for (let i = 0; i < MAX_LEVEL; i++) {
      this.update.push(this.head);
      this.rank.push(0);
    }
  }

  get first(): ZNode | null {
    return this.head.next[0];
  }

  /** Inserts a member that is not in the list yet. */
  insert(score: number, member: string): ZNode {
    const update = this.update;
    const rank = this.rank;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let n = x.next[i];
      while (n !== null && before(n.score, n.member, score, member)) {
        rank[i] += x.span[i];
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      node.next[i] = u.next[i];
      u.next[i] = node;
      node.span[i] = u.span[i] - (rank[0] - rank[i]);
      u.span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.backward = update[0] === this.head ? null : update[0];
    if (node.next[0] !== null) node.next[0].backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks `x`, given the nodes before it at each level (`update`). */
  private unlink(x: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next[i] === x) {
        u.span[i] += x.span[i] - 1;
        u.next[i] = x.next[i];
      } else {
        u.span[i]--;
      }
    }
    if (x.next[0] !== null) x.next[0].backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Fills `update` with the last node before (score, member) at each level. */
  private findPath(score: number, member: string): ZNode {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && before(n.score, n.member, score, member)) {
        x = n;
        n = x.next[i];
      }
      this.update[i] = x;
    }
    return x;
  }

  /** Removes (score, member); false if it is not there. */
  delete(score: number, member: string): boolean {
    const x = this.findPath(score, member).next[0];
    if (x === null || x.score !== score || x.member !== member) return false;
    this.unlink(x, this.update);
    return true;
  }

  /**
   * Changes the score of `node` (in the list) to `score`: in place when the order stays, else by
   * removing and re-inserting. Returns the node now holding the member.
   */
  updateScore(node: ZNode, score: number): ZNode {
    const prev = node.backward;
    const next = node.next[0];
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
      let n = x.next[i];
      while (n !== null && (before(n.score, n.member, score, member) || (n.score === score && n.member === member))) {
        rank += x.span[i];
        x = n;
        n = x.next[i];
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
      let n = x.next[i];
      while (n !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = n;
        n = x.next[i];
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The first node with a score in `r`, or null. */
  firstInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && !scoreAboveMin(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const first = x.next[0];
    return first !== null && scoreBelowMax(first.score, r) ? first : null;
  }

  /** The last node with a score in `r`, or null. */
  lastInScoreRange(r: ScoreRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && scoreBelowMax(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && scoreAboveMin(x.score, r) ? x : null;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && !lexAboveMin(n.member, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const first = x.next[0];
    return first !== null && lexBelowMax(first.member, r) ? first : null;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && lexBelowMax(n.member, r)) {
        x = n;
        n = x.next[i];
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
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && traversed + x.span[i] < start) {
        traversed += x.span[i];
        x = n;
        n = x.next[i];
      }
      this.update[i] = x;
    }
    traversed++;
    let node = x.next[0];
    let count = 0;
    while (node !== null && traversed <= end) {
      const next = node.next[0];
      this.unlink(node, this.update);
      removed(node.member);
      count++;
      traversed++;
      node = next;
    }
    return count;
  }

  /** Removes every node from `first` (in the list) on while `inRange(node)` holds. */
  deleteFrom(first: ZNode, inRange: (node: ZNode) => boolean, removed: (member: string) => void): number {
    this.findPath(first.score, first.member);
    let node: ZNode | null = first;
    let count = 0;
    while (node !== null && inRange(node)) {
      const next: ZNode | null = node.next[0];
      this.unlink(node, this.update);
      removed(node.member);
      count++;
      node = next;
    }
    return count;
  }
}
