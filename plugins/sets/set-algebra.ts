import { SetValue } from './set-value';

const bySizeAscending = (a: SetValue, b: SetValue): number => a.size - b.size;
const bySizeDescending = (a: SetValue, b: SetValue): number => b.size - a.size;

/**
 * Set algebra as Redis 7.0 computes it. Results are built the way Redis builds them (an empty
 * intset that members are added to), so a result of few integers is an intset and lists its members
 * in ascending order, exactly as Redis replies SUNION/SDIFF/SINTERSTORE. Missing keys are
 * `undefined`: empty sets.
 */

/** Every member of every set. */
export function unionOf(sets: readonly (SetValue | undefined)[], maxIntset: number): SetValue {
  const result = new SetValue(true);
  for (let j = 0; j < sets.length; j++) {
    const set = sets[j];
    if (set === undefined) continue;
    const n = set.size;
    for (let i = 0; i < n; i++) result.add(set.memberAt(i), maxIntset);
  }
  return result;
}

/** The members of the first set that no other set has. */
export function differenceOf(sets: readonly (SetValue | undefined)[], maxIntset: number): SetValue {
  const result = new SetValue(true);
  const first = sets[0];
  if (first === undefined) return result;
  const others: SetValue[] = [];
  for (let j = 1; j < sets.length; j++) {
    const set = sets[j];
    if (set === first) return result; // the first key again: nothing is left
    if (set !== undefined && set.size > 0) others.push(set);
  }
  // Bigger sets first: a member present elsewhere is more likely found at once (as Redis orders them).
  others.sort(bySizeDescending);
  const n = first.size;
  outer: for (let i = 0; i < n; i++) {
    const member = first.memberAt(i);
    for (let j = 0; j < others.length; j++) if (others[j].has(member)) continue outer;
    result.add(member, maxIntset);
  }
  return result;
}

/**
 * The members common to all sets, in the order of the smallest set (the first of the smallest when
 * sizes tie, as Redis's sort leaves them); at most `limit` of them (0: all). Empty when a set is
 * missing.
 */
export function commonMembers(sets: readonly (SetValue | undefined)[], limit: number): string[] {
  const found: string[] = [];
  const present: SetValue[] = [];
  for (let j = 0; j < sets.length; j++) {
    const set = sets[j];
    if (set === undefined) return found;
    present.push(set);
  }
  // Array.prototype.sort is stable, so ties keep the keys' order.
  present.sort(bySizeAscending);
  const smallest = present[0];
  const n = smallest.size;
  outer: for (let i = 0; i < n; i++) {
    const member = smallest.memberAt(i);
    for (let j = 1; j < present.length; j++) {
      const other = present[j];
      if (other !== smallest && !other.has(member)) continue outer;
    }
    found.push(member);
    if (found.length === limit) break;
  }
  return found;
}
