import { Command, CommandModule, bytesToString, type CommandContext } from 'redix-server';
import { lookupZsetRead } from './zset-lookup';
import { ERR_MIN_MAX_NOT_FLOAT, ERR_MIN_MAX_NOT_LEX, parseLexRange, parseScoreRange } from './zset-args';
import { ZSETS_DOCS } from './zsets-docs';

@CommandModule()
export class ZsetReadCommands {
  /** ZCARD key */
  @Command({ name: 'zcard', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Get the number of members in a sorted set', complexity: 'O(1)', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zcard })
  zcard(c: CommandContext, argv: Buffer[]): void {
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    c.reply.integer(zset === undefined ? 0 : zset.size);
  }

  /** ZSCORE key member */
  @Command({ name: 'zscore', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Get the score associated with the given member in a sorted set', complexity: 'O(1)', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zscore })
  zscore(c: CommandContext, argv: Buffer[]): void {
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    const score = zset === undefined ? undefined : zset.score(bytesToString(argv[2]));
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }

  /** ZMSCORE key member [member ...] */
  @Command({ name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '6.2.0', summary: 'Get the score associated with the given members in a sorted set', complexity: 'O(N) where N is the number of members being requested.', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zmscore })
  zmscore(c: CommandContext, argv: Buffer[]): void {
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const score = zset === undefined ? undefined : zset.score(bytesToString(argv[i]));
      if (score === undefined) c.reply.nullBulk();
      else c.reply.double(score);
    }
  }

  /** ZRANK key member */
  @Command({ name: 'zrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Determine the index of a member in a sorted set', complexity: 'O(log(N))', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zrank })
  zrank(c: CommandContext, argv: Buffer[]): void {
    this.rank(c, argv, false);
  }

  /** ZREVRANK key member */
  @Command({ name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', complexity: 'O(log(N))', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zrevrank })
  zrevrank(c: CommandContext, argv: Buffer[]): void {
    this.rank(c, argv, true);
  }

  private rank(c: CommandContext, argv: Buffer[], reverse: boolean): void {
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    const node = zset === undefined ? undefined : zset.dict.get(bytesToString(argv[2]));
    if (zset === undefined || node === undefined) {
      c.reply.nullBulk();
      return;
    }
    const rank = zset.list.rankOf(node.score, node.member);
    c.reply.integer(reverse ? zset.size - rank : rank - 1);
  }

  /** ZCOUNT key min max */
  @Command({ name: 'zcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Count the members in a sorted set with scores within the given values', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zcount })
  zcount(c: CommandContext, argv: Buffer[]): void {
    const range = parseScoreRange(argv[2], argv[3]);
    if (range === null) {
      c.reply.error(ERR_MIN_MAX_NOT_FLOAT);
      return;
    }
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.integer(0);
      return;
    }
    const first = zset.list.firstInScoreRange(range);
    if (first === null) {
      c.reply.integer(0);
      return;
    }
    const last = zset.list.lastInScoreRange(range)!;
    c.reply.integer(zset.list.rankOfNode(last) - zset.list.rankOfNode(first) + 1);
  }

  /** ZLEXCOUNT key min max */
  @Command({ name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.8.9', summary: 'Count the number of members in a sorted set between a given lexicographical range', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', aclCategories: ['@read', '@sortedset', '@fast'], ...ZSETS_DOCS.zlexcount })
  zlexcount(c: CommandContext, argv: Buffer[]): void {
    const range = parseLexRange(argv[2], argv[3]);
    if (range === null) {
      c.reply.error(ERR_MIN_MAX_NOT_LEX);
      return;
    }
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.integer(0);
      return;
    }
    const first = zset.list.firstInLexRange(range);
    if (first === null) {
      c.reply.integer(0);
      return;
    }
    const last = zset.list.lastInLexRange(range)!;
    c.reply.integer(zset.list.rankOfNode(last) - zset.list.rankOfNode(first) + 1);
  }
}
