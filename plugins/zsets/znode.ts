/** A skip-list node and its links, laid out for V8 (see `upper`). */
export class ZNode {
  /** The next node at level 0 (its span is always 1). */
  next: ZNode | null = null;
  backward: ZNode | null = null;
  /**
   * Levels 1 and up, as [next1, span1, next2, span2, …]: one array for both, and none at all for
   * the three nodes in four that have one level (two arrays per node cost ~110 bytes a member).
   */
  readonly upper: (ZNode | number | null)[] | null;

  constructor(
    public member: string,
    public score: number,
    level: number,
  ) {
    if (level === 1) {
      this.upper = null;
      return;
    }
    // Built by push so V8 keeps it a packed array (new Array(n) makes a holey, slower one).
    const upper: (ZNode | number | null)[] = [];
    for (let i = 1; i < level; i++) upper.push(null, 0);
    this.upper = upper;
  }
}

/** The next node at level `i`. */
export function nextAt(x: ZNode, i: number): ZNode | null {
  return i === 0 ? x.next : (x.upper![2 * i - 2] as ZNode | null);
}

/** How many level-0 steps the level-`i` link of `x` skips (for ranks). */
export function spanAt(x: ZNode, i: number): number {
  return i === 0 ? 1 : (x.upper![2 * i - 1] as number);
}

export function setNext(x: ZNode, i: number, n: ZNode | null): void {
  if (i === 0) x.next = n;
  else x.upper![2 * i - 2] = n;
}

export function setSpan(x: ZNode, i: number, span: number): void {
  if (i !== 0) x.upper![2 * i - 1] = span;
}
