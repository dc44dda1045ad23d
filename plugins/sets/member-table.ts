import { ShardedMap } from 'redix-server';

/**
 * The `hashtable` encoding of a set: members (latin1 strings) in a dense array, with a map from
 * member to its slot. The array gives SPOP and SRANDMEMBER a uniform pick in O(1) (a JS Set or Map
 * cannot be indexed); removal moves the last member into the freed slot. SSCAN walks the map, whose
 * iterator is live (moving a member's slot updates its entry in place and keeps its position), so a
 * full scan sees every member present throughout it.
 */
export class MemberTable {
  private readonly slots = new ShardedMap<number>();
  private list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  has(member: string): boolean {
    return this.slots.get(member) !== undefined;
  }

  /** Adds a member; false when it was already there. */
  add(member: string): boolean {
    const slots = this.slots;
    if (slots.get(member) !== undefined) return false;
    const list = this.list;
    slots.set(member, list.length);
    list.push(member);
    return true;
  }

  /** Removes a member; false when it was not there. */
  remove(member: string): boolean {
    const slot = this.slots.get(member);
    if (slot === undefined) return false;
    this.slots.delete(member);
    const list = this.list;
    const last = list.pop()!;
    if (slot < list.length) {
      list[slot] = last;
      this.slots.set(last, slot);
    }
    return true;
  }

  /** The member in slot `index` (0 ≤ index < size): a uniform pick with a uniform index. */
  at(index: number): string {
    return this.list[index];
  }

  /** Calls fn for every member, in slot order. */
  forEach(fn: (member: string) => void): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) fn(list[i]);
  }

  /** The members in slot order (a fresh array). */
  members(): string[] {
    return this.list.slice();
  }

  /** The live iterator SSCAN steps through. */
  scanIterator(): Iterator<string> {
    return this.slots.keys();
  }

  clone(): MemberTable {
    const copy = new MemberTable();
    const list = this.list;
    for (let i = 0; i < list.length; i++) copy.add(list[i]);
    return copy;
  }
}
