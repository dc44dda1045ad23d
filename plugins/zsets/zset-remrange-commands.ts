import { Command, CommandModule, NOTIFY, bytesToString, errors, parseInteger, type CommandContext } from 'redix-server';
import { lexBelowMax, scoreBelowMax, type LexRange, type ScoreRange, type ZNode } from './skiplist';
import type { ZSetValue } from './zset-value';
import { lookupZsetWrite } from './zset-lookup';
import { ERR_MIN_MAX_NOT_FLOAT, ERR_MIN_MAX_NOT_LEX, parseLexRange, parseScoreRange } from './zset-args';
import { ZSETS_DOCS } from './zsets-docs';

@CommandModule()
export class ZsetRemrangeCommands {
  // State of the removal in progress, read by the callbacks bound once below.
  private target: ZSetValue | null = null;
  private score: ScoreRange | null = null;
  private lex: LexRange | null = null;
  private readonly dropMember = (member: string): void => {
    this.target!.dict.delete(member);
  };
  private readonly inScore = (n: ZNode): boolean => scoreBelowMax(n.score, this.score!);
  private readonly inLex = (n: ZNode): boolean => lexBelowMax(n.member, this.lex!);

  /** ZREMRANGEBYRANK key start stop */
  @Command({ name: 'zremrangebyrank', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Remove all members in a sorted set within the given indexes', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zremrangebyrank })
  zremrangebyrank(c: CommandContext, argv: Buffer[]): void {
    let start = parseInteger(argv[2]);
    let end = start === null ? null : parseInteger(argv[3]);
    if (start === null || end === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    const key = bytesToString(argv[1]);
    const zset = lookupZsetWrite(c, key);
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.integer(0);
      return;
    }
    const size = zset.size;
    if (start < 0) start = size + start;
    if (end < 0) end = size + end;
    if (start < 0) start = 0;
    if (start > end || start >= size) {
      c.reply.integer(0);
      return;
    }
    if (end >= size) end = size - 1;
    this.target = zset;
    try {
      const removed = zset.list.deleteRankRange(start + 1, end + 1, this.dropMember);
      this.finish(c, key, zset, removed, 'zremrangebyrank');
    } finally {
      this.target = null;
    }
  }

  /** ZREMRANGEBYSCORE key min max */
  @Command({ name: 'zremrangebyscore', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Remove all members in a sorted set within the given scores', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zremrangebyscore })
  zremrangebyscore(c: CommandContext, argv: Buffer[]): void {
    const range = parseScoreRange(argv[2], argv[3]);
    if (range === null) {
      c.reply.error(ERR_MIN_MAX_NOT_FLOAT);
      return;
    }
    const key = bytesToString(argv[1]);
    const zset = lookupZsetWrite(c, key);
    if (zset === null) return;
    const first = zset === undefined ? null : zset.list.firstInScoreRange(range);
    if (zset === undefined || first === null) {
      c.reply.integer(0);
      return;
    }
    this.target = zset;
    this.score = range;
    try {
      const removed = zset.list.deleteFrom(first, this.inScore, this.dropMember);
      this.finish(c, key, zset, removed, 'zremrangebyscore');
    } finally {
      this.target = null;
      this.score = null;
    }
  }

  /** ZREMRANGEBYLEX key min max */
  @Command({ name: 'zremrangebylex', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.8.9', summary: 'Remove all members in a sorted set between the given lexicographical range', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zremrangebylex })
  zremrangebylex(c: CommandContext, argv: Buffer[]): void {
    const range = parseLexRange(argv[2], argv[3]);
    if (range === null) {
      c.reply.error(ERR_MIN_MAX_NOT_LEX);
      return;
    }
    const key = bytesToString(argv[1]);
    const zset = lookupZsetWrite(c, key);
    if (zset === null) return;
    const first = zset === undefined ? null : zset.list.firstInLexRange(range);
    if (zset === undefined || first === null) {
      c.reply.integer(0);
      return;
    }
    this.target = zset;
    this.lex = range;
    try {
      const removed = zset.list.deleteFrom(first, this.inLex, this.dropMember);
      this.finish(c, key, zset, removed, 'zremrangebylex');
    } finally {
      this.target = null;
      this.lex = null;
    }
  }

  private finish(c: CommandContext, key: string, zset: ZSetValue, removed: number, event: string): void {
    if (removed > 0) {
      c.notifyKeyspaceEvent(NOTIFY.ZSET, event, key);
      if (zset.size === 0) {
        c.db.delete(key);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
        if (removed > 1) c.db.markDirty(removed - 1);
      } else {
        c.db.markDirty(removed);
      }
    }
    c.reply.integer(removed);
  }
}
