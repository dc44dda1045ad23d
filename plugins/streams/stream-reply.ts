import type { CommandContext } from 'redix-server';
import type { EntryReader } from './stream-node';
import { formatId } from './stream-id';
import type { StreamIterator } from './stream-value';

/** One entry as Redis replies it: [id, [field, value, ...]]. */
export function replyEntry(c: CommandContext, e: EntryReader): void {
  const reply = c.reply;
  reply.array(2);
  reply.bulk(formatId(e.id));
  const pairs = e.pairs;
  reply.array(pairs.length);
  for (let i = 0; i < pairs.length; i++) reply.bulkBuffer(pairs[i]);
}

/**
 * Replies up to `count` entries (0: all) of an iterator as an array. Entries are gathered first
 * since the reply writer needs the array length up front.
 */
export function replyRange(c: CommandContext, it: StreamIterator, count: number): number {
  const ids: string[] = [];
  const fields: Buffer[][] = [];
  while ((count === 0 || ids.length < count) && it.next(true)) {
    ids.push(formatId(it.entry.id));
    fields.push(it.entry.pairs.slice());
  }
  const reply = c.reply;
  reply.array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    reply.array(2);
    reply.bulk(ids[i]);
    const pairs = fields[i];
    reply.array(pairs.length);
    for (let j = 0; j < pairs.length; j++) reply.bulkBuffer(pairs[j]);
  }
  return ids.length;
}
