import { errors, isKeyword, parseInteger, type CommandContext, type ReplyWriter } from 'redix-server';
import type { ZNode } from './skiplist';
import type { ZSetValue } from './zset-value';
import { scoreAboveMin, scoreBelowMax, lexAboveMin, lexBelowMax, type LexRange, type ScoreRange } from './skiplist';
import { ERR_MIN_MAX_NOT_FLOAT, ERR_MIN_MAX_NOT_LEX, parseLexRange, parseScoreRange } from './zset-args';
import { lookupZsetRead } from './zset-lookup';

export const BY_AUTO = 0;
export const BY_RANK = 1;
export const BY_SCORE = 2;
export const BY_LEX = 3;
export const DIR_AUTO = 0;
export const DIR_FORWARD = 1;
export const DIR_REVERSE = 2;

/** A parsed ZRANGE-family request (Redis's zrangeGenericCommand steps 1 and 2). */
export interface RangeRequest {
  by: number;
  reverse: boolean;
  withScores: boolean;
  start: number;
  end: number;
  offset: number;
  limit: number;
  score: ScoreRange | null;
  lex: LexRange | null;
}

/**
 * Parses `key min max [options]` from argv[keyIndex]; replies and returns null on an error. `store`
 * (ZRANGESTORE) refuses WITHSCORES.
 */
export function parseRangeRequest(c: CommandContext, argv: Buffer[], keyIndex: number, store: boolean, by: number, direction: number): RangeRequest | null {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyIndex + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const arg = argv[j];
    if (!store && isKeyword(arg, 'WITHSCORES')) {
      withScores = true;
    } else if (isKeyword(arg, 'LIMIT') && left >= 2) {
      const o = parseInteger(argv[j + 1]);
      const l = o === null ? null : parseInteger(argv[j + 2]);
      if (o === null || l === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return null;
      }
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === DIR_AUTO && isKeyword(arg, 'REV')) {
      direction = DIR_REVERSE;
    } else if (by === BY_AUTO && isKeyword(arg, 'BYLEX')) {
      by = BY_LEX;
    } else if (by === BY_AUTO && isKeyword(arg, 'BYSCORE')) {
      by = BY_SCORE;
    } else {
      c.reply.error(errors.ERR_SYNTAX);
      return null;
    }
  }
  if (by === BY_AUTO) by = BY_RANK;
  const reverse = direction === DIR_REVERSE;
  if (limit !== -1 && by === BY_RANK) {
    c.reply.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return null;
  }
  if (withScores && by === BY_LEX) {
    c.reply.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return null;
  }
  let minArg = argv[keyIndex + 1];
  let maxArg = argv[keyIndex + 2];
  // The reverse score and lex forms take the range as max min.
  if (reverse && by !== BY_RANK) [minArg, maxArg] = [maxArg, minArg];
  const req: RangeRequest = { by, reverse, withScores, start: 0, end: 0, offset, limit, score: null, lex: null };
  if (by === BY_RANK) {
    const start = parseInteger(minArg);
    const end = start === null ? null : parseInteger(maxArg);
    if (start === null || end === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return null;
    }
    req.start = start;
    req.end = end;
  } else if (by === BY_SCORE) {
    req.score = parseScoreRange(minArg, maxArg);
    if (req.score === null) {
      c.reply.error(ERR_MIN_MAX_NOT_FLOAT);
      return null;
    }
  } else {
    req.lex = parseLexRange(minArg, maxArg);
    if (req.lex === null) {
      c.reply.error(ERR_MIN_MAX_NOT_LEX);
      return null;
    }
  }
  return req;
}

/** Fills `out` with the nodes a range request selects, in reply order. */
export function collectRange(zset: ZSetValue, req: RangeRequest, out: ZNode[]): void {
  out.length = 0;
  const list = zset.list;
  const size = list.length;
  if (req.by === BY_RANK) {
    let { start, end } = req;
    if (start < 0) start = size + start;
    if (end < 0) end = size + end;
    if (start < 0) start = 0;
    if (start > end || start >= size) return;
    if (end >= size) end = size - 1;
    let n = req.reverse ? list.byRank(size - start) : list.byRank(start + 1);
    for (let i = start; i <= end && n !== null; i++) {
      out.push(n);
      n = req.reverse ? n.backward : n.next;
    }
    return;
  }
  let offset = req.offset;
  let limit = req.limit;
  if (offset > 0 && offset >= size) return;
  if (req.by === BY_SCORE) {
    const r = req.score!;
    let n = req.reverse ? list.lastInScoreRange(r) : list.firstInScoreRange(r);
    // A negative offset skips everything, as Redis's `while (ln && offset--)` does.
    while (n !== null && offset-- !== 0) n = req.reverse ? n.backward : n.next;
    while (n !== null && limit-- !== 0) {
      if (req.reverse ? !scoreAboveMin(n.score, r) : !scoreBelowMax(n.score, r)) break;
      out.push(n);
      n = req.reverse ? n.backward : n.next;
    }
    return;
  }
  const r = req.lex!;
  let n = req.reverse ? list.lastInLexRange(r) : list.firstInLexRange(r);
  while (n !== null && offset-- !== 0) n = req.reverse ? n.backward : n.next;
  while (n !== null && limit-- !== 0) {
    if (req.reverse ? !lexAboveMin(n.member, r) : !lexBelowMax(n.member, r)) break;
    out.push(n);
    n = req.reverse ? n.backward : n.next;
  }
}

/** Replies nodes with or without scores: RESP3 gives [member, score] pairs, RESP2 a flat array. */
export function replyNodes(reply: ReplyWriter, nodes: readonly ZNode[], withScores: boolean): void {
  if (!withScores) {
    reply.array(nodes.length);
    for (let i = 0; i < nodes.length; i++) reply.bulk(nodes[i].member);
    return;
  }
  const resp3 = reply.protocol === 3;
  reply.array(resp3 ? nodes.length : nodes.length * 2);
  for (let i = 0; i < nodes.length; i++) {
    if (resp3) reply.array(2);
    reply.bulk(nodes[i].member);
    reply.double(nodes[i].score);
  }
}

/** The source of a range read; replies and returns null on WRONGTYPE, undefined when missing. */
export function rangeSource(c: CommandContext, key: string): ZSetValue | undefined | null {
  return lookupZsetRead(c, key);
}
