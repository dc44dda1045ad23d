import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, type CommandContext, type ServerContext } from 'redix-server';
import { ListFill, lookupListWrite } from './list-lookup';
import { ERR_MUST_BE_POSITIVE, afterPop, parseEndOrReply, parseLongOrReply, parseMinLongOrReply, popRangeReply, popRangeWithKey, pushMoved, type End } from './list-ops';
import { LIST_SPECS } from './list-specs';
import type { ListValue } from './list-value';

export const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
export const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';

/** LMPOP/BLMPOP arguments: the keys, the end and the count, or null after an error reply. */
export interface MpopArgs {
  keys: string[];
  head: boolean;
  count: number;
}

/** numkeys key [key ...] LEFT|RIGHT [COUNT count], from argv[numkeysAt] (lmpopGenericCommand). */
export function parseMpopOrReply(c: CommandContext, argv: Buffer[], numkeysAt: number): MpopArgs | null {
  const numkeys = parseMinLongOrReply(c, argv[numkeysAt], 1, ERR_NUMKEYS);
  if (numkeys === null) return null;
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= argv.length) {
    c.reply.error(errors.ERR_SYNTAX);
    return null;
  }
  const head = parseEndOrReply(c, argv[whereAt]);
  if (head === null) return null;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && j < argv.length - 1 && isKeyword(argv[j], 'COUNT')) {
      const n = parseMinLongOrReply(c, argv[++j], 1, ERR_COUNT_POSITIVE);
      if (n === null) return null;
      count = n;
    } else {
      c.reply.error(errors.ERR_SYNTAX);
      return null;
    }
  }
  const keys: string[] = [];
  for (let i = numkeysAt + 1; i < whereAt; i++) keys.push(bytesToString(argv[i]));
  return { keys, head, count: count === -1 ? 1 : count };
}

/**
 * Pops from the first non-empty list of `keys` (mpopGenericCommand): replies [key, elements],
 * propagates LPOP/RPOP key n; false when every key is missing (nothing replied), null after
 * WRONGTYPE.
 */
export function mpop(c: CommandContext, args: MpopArgs): boolean | null {
  for (const key of args.keys) {
    const list = lookupListWrite(c, key);
    if (list === null) return null;
    if (list === undefined) continue;
    const n = popRangeWithKey(c, key, list, args.head, args.count);
    c.propagateAs([args.head ? 'LPOP' : 'RPOP', key, String(n)]);
    return true;
  }
  return false;
}

/**
 * LMOVE's work once the source is known to be a non-empty list: checks the destination (WRONGTYPE
 * leaves both lists untouched), moves one element, replies it. False after WRONGTYPE.
 */
export function moveOne(c: CommandContext, srcKey: string, src: ListValue, dstKey: string, from: End, to: End, fill: ListFill): boolean {
  const dst = srcKey === dstKey ? src : lookupListWrite(c, dstKey);
  if (dst === null) return false;
  const value = (from ? src.popHead() : src.popTail()) as string;
  // A list moved onto itself is never emptied: the element goes straight back.
  pushMoved(c, dstKey, dst, () => fill.newList(), value, to);
  c.notifyKeyspaceEvent(NOTIFY.LIST, from ? 'lpop' : 'rpop', srcKey);
  if (src.length === 0) {
    c.db.delete(srcKey);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', srcKey);
  }
  return true;
}

/** LPOP, RPOP, LTRIM, LREM, LMPOP, LMOVE, RPOPLPUSH: the commands that remove or move elements. */
@CommandModule()
export class ListPopCommands {
  private readonly fill: ListFill;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.fill = new ListFill(server.config);
  }

  /** LPOP key [count] */
  @Command(LIST_SPECS.lpop)
  lpop(c: CommandContext, argv: Buffer[]): void {
    this.pop(c, argv, true);
  }

  /** RPOP key [count] */
  @Command(LIST_SPECS.rpop)
  rpop(c: CommandContext, argv: Buffer[]): void {
    this.pop(c, argv, false);
  }

  /** popGenericCommand: one element as a bulk string, or with a count up to that many as an array. */
  private pop(c: CommandContext, argv: Buffer[], head: boolean): void {
    if (argv.length > 3) {
      c.reply.error(errors.errWrongArity(head ? 'lpop' : 'rpop'));
      return;
    }
    const hasCount = argv.length === 3;
    let count = 0;
    if (hasCount) {
      const n = parseMinLongOrReply(c, argv[2], 0, ERR_MUST_BE_POSITIVE);
      if (n === null) return;
      count = n;
    }
    const key = bytesToString(argv[1]);
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) {
      if (hasCount) c.reply.nullArray();
      else c.reply.nullBulk();
      return;
    }
    if (hasCount && count === 0) {
      c.reply.array(0);
      return;
    }
    if (!hasCount) {
      c.reply.bulk((head ? list.popHead() : list.popTail()) as string);
      afterPop(c, key, list, head, 1);
      return;
    }
    popRangeReply(c, key, list, head, Math.min(count, list.length));
  }

  /** LTRIM key start stop */
  @Command(LIST_SPECS.ltrim)
  ltrim(c: CommandContext, argv: Buffer[]): void {
    let start = parseLongOrReply(c, argv[2]);
    if (start === null) return;
    let end = parseLongOrReply(c, argv[3]);
    if (end === null) return;
    const key = bytesToString(argv[1]);
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) {
      c.reply.ok();
      return;
    }
    const len = list.length;
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > end || start >= len) {
      ltrim = len;
      rtrim = 0;
    } else {
      if (end >= len) end = len - 1;
      ltrim = start;
      rtrim = len - end - 1;
    }
    list.deleteRange(0, ltrim);
    list.deleteRange(list.length - rtrim, rtrim);
    c.notifyKeyspaceEvent(NOTIFY.LIST, 'ltrim', key);
    if (list.length === 0) {
      c.db.delete(key);
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    } else {
      c.db.markDirty(ltrim + rtrim);
    }
    c.reply.ok();
  }

  /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
  @Command(LIST_SPECS.lrem)
  lrem(c: CommandContext, argv: Buffer[]): void {
    const toRemove = parseLongOrReply(c, argv[2]);
    if (toRemove === null) return;
    const key = bytesToString(argv[1]);
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) {
      c.reply.integer(0);
      return;
    }
    const removed = list.removeEqual(bytesToString(argv[3]), Math.abs(toRemove), toRemove < 0);
    if (removed > 0) {
      c.notifyKeyspaceEvent(NOTIFY.LIST, 'lrem', key);
      if (list.length === 0) {
        c.db.delete(key);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
      } else {
        c.db.markDirty(removed);
      }
    }
    c.reply.integer(removed);
  }

  /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
  @Command(LIST_SPECS.lmpop)
  lmpop(c: CommandContext, argv: Buffer[]): void {
    const args = parseMpopOrReply(c, argv, 1);
    if (args === null) return;
    if (mpop(c, args) === false) c.reply.nullArray();
  }

  /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
  @Command(LIST_SPECS.lmove)
  lmove(c: CommandContext, argv: Buffer[]): void {
    const from = parseEndOrReply(c, argv[3]);
    if (from === null) return;
    const to = parseEndOrReply(c, argv[4]);
    if (to === null) return;
    this.move(c, argv, from, to);
  }

  /** RPOPLPUSH source destination */
  @Command(LIST_SPECS.rpoplpush)
  rpoplpush(c: CommandContext, argv: Buffer[]): void {
    this.move(c, argv, false, true);
  }

  private move(c: CommandContext, argv: Buffer[], from: End, to: End): void {
    const srcKey = bytesToString(argv[1]);
    const src = lookupListWrite(c, srcKey);
    if (src === null) return;
    if (src === undefined) {
      c.reply.nullBulk();
      return;
    }
    moveOne(c, srcKey, src, bytesToString(argv[2]), from, to, this.fill);
  }
}
