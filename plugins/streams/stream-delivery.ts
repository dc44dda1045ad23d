import { NOTIFY, type CommandContext, type PropagatedArg } from 'redix-server';
import { compareIds, formatId, type StreamId } from './stream-id';
import { MAX_ID } from './stream-id';
import type { StreamValue } from './stream-value';
import { INVALID_ENTRIES_READ, PendingEntry, type Consumer, type ConsumerGroup } from './stream-group';

/** The group side of a read: which group and consumer, NOACK, and the names to propagate with. */
export interface GroupDelivery {
  key: string;
  groupName: string;
  group: ConsumerGroup;
  consumer: Consumer;
  noAck: boolean;
}

/** XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last: streamPropagateXCLAIM. */
export function propagateClaim(c: CommandContext, key: string, groupName: string, group: ConsumerGroup, id: string, nack: PendingEntry): void {
  c.alsoPropagate([
    'XCLAIM', key, groupName, nack.consumer.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ]);
}

/** XGROUP SETID key group last ENTRIESREAD n: streamPropagateGroupID (NOACK reads). */
export function propagateGroupId(c: CommandContext, key: string, groupName: string, group: ConsumerGroup): void {
  c.alsoPropagate(['XGROUP', 'SETID', key, groupName, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
}

/** XGROUP CREATECONSUMER key group consumer (a consumer created by a NOACK read). */
export function propagateConsumerCreation(c: CommandContext, key: string, groupName: string, consumer: string): void {
  const argv: PropagatedArg[] = ['XGROUP', 'CREATECONSUMER', key, groupName, consumer];
  c.alsoPropagate(argv);
}

/**
 * The consumer named `name`, its seen-time refreshed; created (with its keyspace event and one
 * change) when missing, as streamLookupConsumer / streamCreateConsumer.
 */
export function lookupOrCreateConsumer(c: CommandContext, key: string, group: ConsumerGroup, name: string, now: number): { consumer: Consumer; created: boolean } {
  const found = group.consumers.get(name);
  if (found !== undefined) {
    found.seenTime = now;
    return { consumer: found, created: false };
  }
  const consumer = group.createConsumer(name, now)!;
  c.db.markDirty();
  c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-createconsumer', key);
  return { consumer, created: true };
}

/**
 * Replies entries from `start` on (at most `count`, 0: all) as XREAD/XREADGROUP do
 * (streamReplyWithRange). With a group: the group's last ID and entries-read advance, and each
 * entry enters the PEL of the group and consumer (taken over from another consumer if it was
 * there), propagated as XCLAIM; with NOACK only the new last ID is, as XGROUP SETID.
 */
export function replyNewEntries(c: CommandContext, s: StreamValue, start: StreamId, count: number, g: GroupDelivery | null, now: number): number {
  const it = s.iterate(start, MAX_ID, false);
  const ids: StreamId[] = [];
  const fields: Buffer[][] = [];
  while ((count === 0 || ids.length < count) && it.next(true)) {
    ids.push(it.entry.id);
    fields.push(it.entry.pairs.slice());
  }
  let propagateLastId = false;
  if (g !== null) {
    const group = g.group;
    for (const id of ids) {
      if (compareIds(id, group.lastId) > 0) {
        if (group.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) group.entriesRead++;
        else if (s.entriesAdded !== 0) group.entriesRead = s.estimateDistance(id);
        group.lastId = id;
        if (g.noAck) propagateLastId = true;
      }
      if (!g.noAck) {
        const idText = formatId(id);
        let nack = group.pel.get(id);
        if (nack === undefined) {
          nack = new PendingEntry(id, g.consumer, now, 1);
          group.pel.insert(nack);
          g.consumer.pel.insert(nack);
        } else {
          nack.consumer.pel.remove(id);
          nack.consumer = g.consumer;
          nack.deliveryTime = now;
          nack.deliveryCount = 1;
          g.consumer.pel.insert(nack);
        }
        propagateClaim(c, g.key, g.groupName, group, idText, nack);
      }
    }
    if (propagateLastId) propagateGroupId(c, g.key, g.groupName, group);
  }
  const reply = c.reply;
  reply.array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    reply.array(2);
    reply.bulk(formatId(ids[i]));
    const pairs = fields[i];
    reply.array(pairs.length);
    for (let j = 0; j < pairs.length; j++) reply.bulkBuffer(pairs[j]);
  }
  return ids.length;
}

/**
 * A consumer's own history from `start` (streamReplyWithRangeFromConsumerPEL): its pending
 * entries, each delivered again (count and time updated); an entry deleted meanwhile comes back
 * as [id, nil].
 */
export function replyConsumerHistory(c: CommandContext, s: StreamValue, start: StreamId, count: number, consumer: Consumer, now: number): void {
  const items = consumer.pel.items;
  const from = consumer.pel.lowerBound(start);
  const to = count === 0 ? items.length : Math.min(items.length, from + count);
  const reply = c.reply;
  reply.array(to - from);
  for (let i = from; i < to; i++) {
    const nack = items[i];
    const it = s.iterate(nack.id, nack.id, false);
    reply.array(2);
    reply.bulk(formatId(nack.id));
    if (it.next(true)) {
      const pairs = it.entry.pairs;
      reply.array(pairs.length);
      for (let j = 0; j < pairs.length; j++) reply.bulkBuffer(pairs[j]);
      nack.deliveryTime = now;
      nack.deliveryCount++;
    } else {
      reply.nullArray();
    }
  }
}
