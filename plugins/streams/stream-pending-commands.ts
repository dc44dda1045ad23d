import { Command, CommandModule, bytesToString, errors, isKeyword, parseInteger, type CommandContext } from 'redix-server';
import { U64_MAX, ZERO_ID, compareIds, decrId, formatId, incrId, parseId, parseIdOrReply, parseIntervalIdOrReply, type StreamId } from './stream-id';
import { PendingEntry, type Consumer, type ConsumerGroup } from './stream-group';
import type { StreamValue } from './stream-value';
import { lookupStreamRead } from './stream-lookup';
import { lookupOrCreateConsumer, propagateClaim, propagateGroupId } from './stream-delivery';
import { cString } from './stream-group-commands';
import { STREAMS_DOCS } from './streams-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'stream' } as const;

function noGroup(c: CommandContext, argv: Buffer[]): void {
  c.reply.error(`NOGROUP No such key '${cString(bytesToString(argv[1]))}' or consumer group '${cString(bytesToString(argv[2]))}'`);
}

/** An integer argument, or null after replying `message` (getLongLongFromObjectOrReply with a message). */
function integerOrReply(c: CommandContext, arg: Buffer, message: string = errors.ERR_NOT_INTEGER): number | null {
  const n = parseInteger(arg);
  if (n === null) c.reply.error(message);
  return n;
}

/** The entry [id, [field, value ...]] or, with JUSTID, the id alone. */
function replyClaimed(c: CommandContext, s: StreamValue, id: StreamId, justId: boolean): void {
  if (justId) {
    c.reply.bulk(formatId(id));
    return;
  }
  const it = s.iterate(id, id, false);
  it.next(true);
  const pairs = it.entry.pairs;
  c.reply.array(2);
  c.reply.bulk(formatId(id));
  c.reply.array(pairs.length);
  for (let i = 0; i < pairs.length; i++) c.reply.bulkBuffer(pairs[i]);
}

/** Moves a pending entry to `consumer`: the claim step both XCLAIM and XAUTOCLAIM take. */
function reassign(nack: PendingEntry, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  if (nack.consumer !== null) nack.consumer.pel.remove(nack.id);
  nack.consumer = consumer;
  consumer.pel.insert(nack);
}

/** A pending entry whose stream entry is gone: dropped from both PELs. */
function dropPending(group: ConsumerGroup, nack: PendingEntry): void {
  group.pel.remove(nack.id);
  nack.consumer.pel.remove(nack.id);
}

@CommandModule()
export class StreamPendingCommands {
  /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
  @Command({ name: 'xpending', arity: -3, flags: ['readonly'], ...KEY_1, since: '5.0.0', summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', complexity: 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.', aclCategories: ['@read', '@stream', '@slow'], ...STREAMS_DOCS.xpending })
  xpending(c: CommandContext, argv: Buffer[]): void {
    const argc = argv.length;
    if (argc !== 3 && (argc < 6 || argc > 9)) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    let start: StreamId = ZERO_ID;
    let end: StreamId = ZERO_ID;
    let count = 0;
    let minIdle = 0;
    let consumerName: string | null = null;
    if (argc >= 6) {
      let startIdx = 3;
      if (isKeyword(argv[3], 'IDLE')) {
        const n = integerOrReply(c, argv[4]);
        if (n === null) return;
        minIdle = n;
        if (argc < 8) {
          c.reply.error(errors.ERR_SYNTAX);
          return;
        }
        startIdx += 2;
      }
      const n = integerOrReply(c, argv[startIdx + 2]);
      if (n === null) return;
      count = n < 0 ? 0 : n;
      const s = parseIntervalIdOrReply(c.reply, argv[startIdx], 0n);
      if (s === null) return;
      start = s.id;
      if (s.exclusive) {
        const next = incrId(start);
        if (next === null) {
          c.reply.error('ERR invalid start ID for the interval');
          return;
        }
        start = next;
      }
      const e = parseIntervalIdOrReply(c.reply, argv[startIdx + 1], U64_MAX);
      if (e === null) return;
      end = e.id;
      if (e.exclusive) {
        const prev = decrId(end);
        if (prev === null) {
          c.reply.error('ERR invalid end ID for the interval');
          return;
        }
        end = prev;
      }
      if (startIdx + 3 < argc) consumerName = bytesToString(argv[startIdx + 3]);
    }
    const s = lookupStreamRead(c, bytesToString(argv[1]));
    if (s === null) return;
    const group = s?.groups?.get(bytesToString(argv[2]));
    if (group === undefined) {
      noGroup(c, argv);
      return;
    }
    const reply = c.reply;
    if (argc === 3) {
      const items = group.pel.items;
      reply.array(4);
      reply.integer(items.length);
      if (items.length === 0) {
        reply.nullBulk();
        reply.nullBulk();
        reply.nullArray();
        return;
      }
      reply.bulk(formatId(items[0].id));
      reply.bulk(formatId(items[items.length - 1].id));
      const owners = group.sortedConsumers().filter((cons) => cons.pel.size > 0);
      reply.array(owners.length);
      for (const owner of owners) {
        reply.array(2);
        reply.bulk(owner.name);
        reply.bulkInteger(owner.pel.size);
      }
      return;
    }
    let pel = group.pel;
    if (consumerName !== null) {
      const consumer = group.consumers.get(consumerName);
      if (consumer === undefined) {
        reply.array(0);
        return;
      }
      pel = consumer.pel;
    }
    const now = Date.now();
    const items = pel.items;
    const out: PendingEntry[] = [];
    for (let i = pel.lowerBound(start); count > 0 && i < items.length && compareIds(items[i].id, end) <= 0; i++) {
      const nack = items[i];
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      out.push(nack);
      count--;
    }
    reply.array(out.length);
    for (const nack of out) {
      reply.array(4);
      reply.bulk(formatId(nack.id));
      reply.bulk(nack.consumer.name);
      reply.integer(Math.max(0, now - nack.deliveryTime));
      reply.integer(nack.deliveryCount);
    }
  }

  /** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id] */
  @Command({ name: 'xclaim', arity: -6, flags: ['write', 'fast'], ...KEY_1, since: '5.0.0', summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xclaim })
  xclaim(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const s = lookupStreamRead(c, key);
    if (s === null) return;
    const groupName = bytesToString(argv[2]);
    const group = s?.groups?.get(groupName);
    if (s === undefined || group === undefined) {
      noGroup(c, argv);
      return;
    }
    let minIdle = integerOrReply(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
    if (minIdle === null) return;
    if (minIdle < 0) minIdle = 0;
    // IDs first; the first argument that is not one starts the options.
    const ids: StreamId[] = [];
    let j = 5;
    for (; j < argv.length; j++) {
      const parsed = parseId(bytesToString(argv[j]), 0n, true);
      if (parsed === null) break;
      ids.push(parsed.id);
    }
    const now = Date.now();
    let deliveryTime = -1;
    let retryCount = -1;
    let force = false;
    let justId = false;
    let lastId: StreamId = ZERO_ID;
    for (; j < argv.length; j++) {
      const moreArgs = argv.length - 1 - j;
      const opt = argv[j];
      if (isKeyword(opt, 'FORCE')) force = true;
      else if (isKeyword(opt, 'JUSTID')) justId = true;
      else if (isKeyword(opt, 'IDLE') && moreArgs > 0) {
        const n = integerOrReply(c, argv[++j], 'ERR Invalid IDLE option argument for XCLAIM');
        if (n === null) return;
        deliveryTime = now - n;
      } else if (isKeyword(opt, 'TIME') && moreArgs > 0) {
        const n = integerOrReply(c, argv[++j], 'ERR Invalid TIME option argument for XCLAIM');
        if (n === null) return;
        deliveryTime = n;
      } else if (isKeyword(opt, 'RETRYCOUNT') && moreArgs > 0) {
        const n = integerOrReply(c, argv[++j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
        if (n === null) return;
        retryCount = n;
      } else if (isKeyword(opt, 'LASTID') && moreArgs > 0) {
        const id = parseIdOrReply(c.reply, argv[++j], 0n, true);
        if (id === null) return;
        lastId = id;
      } else {
        c.reply.error(`ERR Unrecognized XCLAIM option '${cString(bytesToString(opt))}'`);
        return;
      }
    }
    c.preventPropagation();
    c.db.lookupWrite(key);
    let changes = 0;
    let propagateLastId = false;
    if (compareIds(lastId, group.lastId) > 0) {
      group.lastId = lastId;
      propagateLastId = true;
    }
    if (deliveryTime !== -1) {
      if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    } else {
      deliveryTime = now;
    }
    let consumer: Consumer | null = null;
    const claimed: StreamId[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const idArg = bytesToString(argv[5 + i]);
      let nack = group.pel.get(id);
      if (!s.entryExists(id)) {
        // The entry was deleted: its pending entry goes too, on replicas as well.
        if (nack !== undefined) {
          propagateClaim(c, key, groupName, group, idArg, nack);
          propagateLastId = false;
          changes++;
          dropPending(group, nack);
        }
        continue;
      }
      if (force && nack === undefined) {
        nack = new PendingEntry(id, null as unknown as Consumer, now, 1);
        group.pel.insert(nack);
      }
      if (nack === undefined) continue;
      if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      if (consumer === null) consumer = lookupOrCreateConsumer(c, key, group, bytesToString(argv[3]), now).consumer;
      nack.deliveryTime = deliveryTime;
      if (retryCount >= 0) nack.deliveryCount = retryCount;
      else if (!justId) nack.deliveryCount++;
      reassign(nack, consumer);
      claimed.push(id);
      propagateClaim(c, key, groupName, group, idArg, nack);
      propagateLastId = false;
      changes++;
    }
    if (propagateLastId) {
      propagateGroupId(c, key, groupName, group);
      changes++;
    }
    if (changes > 0) c.db.markDirty(changes);
    c.reply.array(claimed.length);
    for (const id of claimed) replyClaimed(c, s, id, justId);
  }

  /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
  @Command({ name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], ...KEY_1, since: '6.2.0', summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', complexity: 'O(1) if COUNT is small.', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xautoclaim })
  xautoclaim(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    let minIdle = integerOrReply(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
    if (minIdle === null) return;
    if (minIdle < 0) minIdle = 0;
    const startArg = parseIntervalIdOrReply(c.reply, argv[5], 0n);
    if (startArg === null) return;
    let start = startArg.id;
    if (startArg.exclusive) {
      const next = incrId(start);
      if (next === null) {
        c.reply.error('ERR invalid start ID for the interval');
        return;
      }
      start = next;
    }
    let count = 100;
    let justId = false;
    for (let j = 6; j < argv.length; j++) {
      const moreArgs = argv.length - 1 - j;
      if (isKeyword(argv[j], 'COUNT') && moreArgs > 0) {
        const n = parseInteger(argv[j + 1]);
        // LONG_MAX / 16, the most Redis can allocate room for.
        if (n === null || n < 1 || n > 2 ** 59) {
          c.reply.error('ERR COUNT must be > 0');
          return;
        }
        count = n;
        j++;
      } else if (isKeyword(argv[j], 'JUSTID')) {
        justId = true;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const s = lookupStreamRead(c, key);
    if (s === null) return;
    const groupName = bytesToString(argv[2]);
    const group = s?.groups?.get(groupName);
    if (s === undefined || group === undefined) {
      noGroup(c, argv);
      return;
    }
    c.preventPropagation();
    c.db.lookupWrite(key);
    const now = Date.now();
    let attempts = count * 10;
    let consumer: Consumer | null = null;
    const claimed: StreamId[] = [];
    const deleted: StreamId[] = [];
    const items = group.pel.items;
    let i = group.pel.lowerBound(start);
    let changes = 0;
    while (attempts-- > 0 && count > 0 && i < items.length) {
      const nack = items[i];
      const id = nack.id;
      if (!s.entryExists(id)) {
        propagateClaim(c, key, groupName, group, formatId(id), nack);
        changes++;
        dropPending(group, nack);
        deleted.push(id);
        count--;
        continue;
      }
      i++;
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      if (consumer === null) consumer = lookupOrCreateConsumer(c, key, group, bytesToString(argv[3]), now).consumer;
      nack.deliveryTime = now;
      if (!justId) nack.deliveryCount++;
      reassign(nack, consumer);
      claimed.push(id);
      count--;
      propagateClaim(c, key, groupName, group, formatId(id), nack);
      changes++;
    }
    const next = i < items.length ? items[i].id : ZERO_ID;
    if (changes > 0) c.db.markDirty(changes);
    c.reply.array(3);
    c.reply.bulk(formatId(next));
    c.reply.array(claimed.length);
    for (const id of claimed) replyClaimed(c, s, id, justId);
    c.reply.array(deleted.length);
    for (const id of deleted) c.reply.bulk(formatId(id));
  }
}
