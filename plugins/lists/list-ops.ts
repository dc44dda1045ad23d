import { NOTIFY, errors, parseInteger, type CommandContext } from 'redix-server';
import type { ListValue } from './list-value';

/** LEFT/RIGHT of LMOVE and LMPOP: true for LEFT (the head). */
export type End = boolean;
export const LEFT: End = true;
export const RIGHT: End = false;

/** "LEFT" → head, "RIGHT" → tail (any case), else null after a syntax error reply. */
export function parseEndOrReply(c: CommandContext, arg: Buffer): End | null {
  if (arg.length === 4 && arg.latin1Slice(0, 4).toLowerCase() === 'left') return LEFT;
  if (arg.length === 5 && arg.latin1Slice(0, 5).toLowerCase() === 'right') return RIGHT;
  c.reply.error(errors.ERR_SYNTAX);
  return null;
}

/** A signed 64-bit argument (getLongFromObjectOrReply), or null after replying `message`. */
export function parseLongOrReply(c: CommandContext, arg: Buffer, message = errors.ERR_NOT_INTEGER): number | null {
  const n = parseInteger(arg);
  if (n === null) c.reply.error(message);
  return n;
}

/** A long within [min, ∞) (getRangeLongFromObjectOrReply with a message), or null after replying. */
export function parseMinLongOrReply(c: CommandContext, arg: Buffer, min: number, message: string): number | null {
  const n = parseInteger(arg);
  if (n === null || n < min) {
    c.reply.error(message);
    return null;
  }
  return n;
}

export const ERR_MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';

/**
 * Replies elements start..end (inclusive, Redis's negative-index and clamping rules) as an
 * array, tail first when `reverse` (addListRangeReply).
 */
export function replyRange(c: CommandContext, list: ListValue, start: number, end: number, reverse: boolean): void {
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  let left = end - start + 1;
  c.reply.array(left);
  replyTo = c.reply;
  // Node by node, the bytes straight into the reply (no string per element): LRANGE's hot loop.
  const nodes = list.nodes;
  let [n, off] = list.locate(reverse ? end : start);
  while (left > 0) {
    const node = nodes[n];
    if (!reverse) {
      const stop = Math.min(node.count - 1, off + left - 1);
      node.forEachBytes(off, stop, false, replyBytes);
      left -= stop - off + 1;
      n++;
      off = 0;
    } else {
      const stop = Math.max(0, off - left + 1);
      node.forEachBytes(stop, off, true, replyBytes);
      left -= off - stop + 1;
      n--;
      if (n >= 0) off = nodes[n].count - 1;
    }
  }
}

/** The reply replyRange writes to, so its per-element callback is one function made once. */
let replyTo: CommandContext['reply'] | null = null;
const replyBytes = (buf: Buffer, from: number, to: number): void => {
  (replyTo as CommandContext['reply']).bulkRange(buf, from, to);
};

/**
 * After elements were popped from the `head` (or tail) end of `list` at `key`: the pop event, the
 * key deleted with its last element ("del" event), the change marked. True if the key went.
 */
export function afterPop(c: CommandContext, key: string, list: ListValue, head: boolean, count: number): boolean {
  c.notifyKeyspaceEvent(NOTIFY.LIST, head ? 'lpop' : 'rpop', key);
  if (list.length === 0) {
    c.db.delete(key);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    if (count > 1) c.db.markDirty(count - 1);
    return true;
  }
  c.db.markDirty(count);
  return false;
}

/**
 * Pops up to `count` elements from one end, replying [key, [elements]] (LMPOP, BLMPOP), and
 * returns how many were popped (what the propagated LPOP/RPOP key count says).
 */
export function popRangeWithKey(c: CommandContext, key: string, list: ListValue, head: boolean, count: number): number {
  const n = Math.min(count, list.length);
  c.reply.array(2);
  c.reply.bulk(key);
  popRangeReply(c, key, list, head, n);
  return n;
}

/** Pops `n` (≤ length) elements from one end, replying them as an array in pop order. */
export function popRangeReply(c: CommandContext, key: string, list: ListValue, head: boolean, n: number): void {
  const reply = c.reply;
  reply.array(n);
  if (head) {
    for (let i = 0; i < n; i++) reply.bulk(list.popHead() as string);
  } else {
    for (let i = 0; i < n; i++) reply.bulk(list.popTail() as string);
  }
  afterPop(c, key, list, head, n);
}

/**
 * Pushes `value` onto `dst` (created when undefined) at one end and replies it: LMOVE's second half
 * (lmoveHandlePush), the push event before the source's pop event, as Redis emits them.
 */
export function pushMoved(c: CommandContext, dstKey: string, dst: ListValue | undefined, created: () => ListValue, value: string, head: boolean): void {
  if (dst === undefined) {
    dst = created();
    c.db.set(dstKey, dst);
  }
  if (head) dst.pushHead(value);
  else dst.pushTail(value);
  c.db.markDirty();
  c.notifyKeyspaceEvent(NOTIFY.LIST, head ? 'lpush' : 'rpush', dstKey);
  c.reply.bulk(value);
}
