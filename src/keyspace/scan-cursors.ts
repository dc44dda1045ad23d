/**
 * SCAN-family cursors. A cursor names a live Map iterator kept here, so a full iteration returns
 * every element present throughout it, whatever is added or removed meanwhile. The number of open
 * cursors is bounded (oldest dropped first); an unknown cursor ends the iteration.
 */
const MAX_OPEN_CURSORS = 10_000;

interface OpenCursor {
  owner: object;
  iterator: Iterator<unknown>;
}

export class ScanCursors {
  private open = new Map<string, OpenCursor>();
  private nextId = 1;

  /**
   * Continues (or, with cursor "0", starts) an iteration over `owner`, taking up to `count` elements
   * from the iterator and passing each to `visit`. Returns the cursor for the next call ("0" when done).
   */
  step<T>(owner: object, cursor: string, count: number, start: () => Iterator<T>, visit: (item: T) => void): string {
    let iterator: Iterator<T>;
    if (cursor === '0') {
      iterator = start();
    } else {
      const found = this.open.get(cursor);
      if (found === undefined || found.owner !== owner) return '0';
      this.open.delete(cursor);
      iterator = found.iterator as Iterator<T>;
    }
    for (let i = 0; i < count; i++) {
      const next = iterator.next();
      if (next.done) return '0';
      visit(next.value);
    }
    const id = String(this.nextId++);
    this.open.set(id, { owner, iterator });
    if (this.open.size > MAX_OPEN_CURSORS) {
      const oldest = this.open.keys().next().value as string;
      this.open.delete(oldest);
    }
    return id;
  }

  get openCount(): number {
    return this.open.size;
  }
}
