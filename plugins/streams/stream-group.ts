import { compareIds, type StreamId } from './stream-id';

/** A delivered, not yet acknowledged entry (streamNACK): shared by the group's and its consumer's PEL. */
export class PendingEntry {
  constructor(
    readonly id: StreamId,
    public consumer: Consumer,
    /** Unix ms of the last delivery. */
    public deliveryTime: number,
    public deliveryCount: number,
  ) {}
}

/**
 * Pending entries sorted by ID (Redis keeps them in a rax): binary search to find, appends at the
 * end in the common case of new deliveries.
 */
export class PendingList {
  readonly items: PendingEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Index of the first entry with ID >= id. */
  lowerBound(id: StreamId): number {
    const items = this.items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(items[mid].id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: StreamId): PendingEntry | undefined {
    const i = this.lowerBound(id);
    const e = this.items[i];
    return e !== undefined && compareIds(e.id, id) === 0 ? e : undefined;
  }

  /** Inserts unless an entry with that ID is there; true if inserted. */
  insert(entry: PendingEntry): boolean {
    const items = this.items;
    const n = items.length;
    if (n === 0 || compareIds(items[n - 1].id, entry.id) < 0) {
      items.push(entry);
      return true;
    }
    const i = this.lowerBound(entry.id);
    if (i < n && compareIds(items[i].id, entry.id) === 0) return false;
    items.splice(i, 0, entry);
    return true;
  }

  remove(id: StreamId): PendingEntry | undefined {
    const i = this.lowerBound(id);
    const e = this.items[i];
    if (e === undefined || compareIds(e.id, id) !== 0) return undefined;
    this.items.splice(i, 1);
    return e;
  }
}

export class Consumer {
  readonly pel = new PendingList();
  constructor(
    readonly name: string,
    /** Unix ms the consumer was last seen (created, read, claimed). */
    public seenTime: number,
  ) {}
}

/** The "entries read" value that means unknown (SCG_INVALID_ENTRIES_READ). */
export const INVALID_ENTRIES_READ = -1;

export class ConsumerGroup {
  readonly pel = new PendingList();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    readonly name: string,
    public lastId: StreamId,
    public entriesRead: number,
  ) {}

  /** The consumers in name order (Redis's rax order: bytes). */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates a consumer; null if it exists. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new Consumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** Deletes a consumer and its pending entries from the group's PEL; returns how many it had. */
  deleteConsumer(consumer: Consumer): number {
    const pending = consumer.pel.items;
    for (let i = 0; i < pending.length; i++) this.pel.remove(pending[i].id);
    this.consumers.delete(consumer.name);
    return pending.length;
  }
}

/** Groups in name order. */
export function sortedGroups(groups: Map<string, ConsumerGroup> | null): ConsumerGroup[] {
  if (groups === null) return [];
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
