import type { TypedValue } from 'redix-server';
import { IntSet, parseIntMember } from './int-set';
import { MemberTable } from './member-table';

/** Redis caps set-max-intset-entries at 2^30 "due to intset internals". */
const INTSET_HARD_LIMIT = 1 << 30;

/**
 * A set, in one of Redis 7.0's two encodings: `intset` (every member an integer, at most
 * set-max-intset-entries of them) or `hashtable`. A set starts as an intset when its first member
 * is an integer and converts for good, as Redis does, on the first non-integer member or when it
 * outgrows the limit; it never converts back.
 */
export class SetValue implements TypedValue {
  ints: IntSet | null;
  table: MemberTable | null;

  constructor(intset: boolean) {
    this.ints = intset ? new IntSet() : null;
    this.table = intset ? null : new MemberTable();
  }

  /** An intset-encoded set over `ints` (a loader's). */
  static ofInts(ints: IntSet): SetValue {
    const set = new SetValue(false);
    set.table = null;
    set.ints = ints;
    return set;
  }

  /** An empty set in the encoding Redis picks for a set whose first member is `member` (setTypeCreate). */
  static forFirstMember(member: string): SetValue {
    return new SetValue(parseIntMember(member) !== null);
  }

  get type(): string {
    return 'set';
  }

  get size(): number {
    return this.ints !== null ? this.ints.size : this.table!.size;
  }

  get isIntset(): boolean {
    return this.ints !== null;
  }

  has(member: string): boolean {
    const ints = this.ints;
    if (ints === null) return this.table!.has(member);
    const v = parseIntMember(member);
    return v !== null && ints.has(v);
  }

  /** Adds a member (setTypeAdd); false when it was there. `maxIntset`: set-max-intset-entries. */
  add(member: string, maxIntset: number): boolean {
    const ints = this.ints;
    if (ints === null) return this.table!.add(member);
    const v = parseIntMember(member);
    if (v === null) {
      this.convert();
      return this.table!.add(member);
    }
    if (!ints.add(v)) return false;
    if (ints.size > Math.min(maxIntset, INTSET_HARD_LIMIT)) this.convert();
    return true;
  }

  remove(member: string): boolean {
    const ints = this.ints;
    if (ints === null) return this.table!.remove(member);
    const v = parseIntMember(member);
    return v !== null && ints.remove(v);
  }

  /** The member at `index` of the encoding's own order (sorted for an intset). */
  memberAt(index: number): string {
    return this.ints !== null ? this.ints.memberAt(index) : this.table!.at(index);
  }

  /** A uniformly random member; the set must not be empty. */
  randomMember(): string {
    return this.memberAt(Math.floor(Math.random() * this.size));
  }

  /** Removes and returns a uniformly random member; the set must not be empty. */
  popRandom(): string {
    const index = Math.floor(Math.random() * this.size);
    const ints = this.ints;
    if (ints !== null) {
      const member = ints.memberAt(index);
      ints.removeAt(index);
      return member;
    }
    const member = this.table!.at(index);
    this.table!.remove(member);
    return member;
  }

  /** Every member, in the encoding's order (ascending for an intset), as a fresh array. */
  members(): string[] {
    return this.ints !== null ? this.ints.members() : this.table!.members();
  }

  /** Converts an intset to a hashtable, keeping the members (setTypeConvert). */
  convert(): void {
    const ints = this.ints;
    if (ints === null) return;
    const table = new MemberTable();
    for (let i = 0; i < ints.size; i++) table.add(ints.memberAt(i));
    this.table = table;
    this.ints = null;
  }

  clone(): SetValue {
    const copy = new SetValue(this.ints !== null);
    if (this.ints !== null) copy.ints = this.ints.clone();
    else copy.table = this.table!.clone();
    return copy;
  }
}
