import { Command, CommandModule, bytesToString, errors, isKeyword, parseInt64, type CommandContext } from 'redix-server';
import type { ZNode } from './skiplist';
import type { ZSetValue } from './zset-value';
import { lookupZsetRead } from './zset-lookup';
import { ZSETS_DOCS } from './zsets-docs';

const LONG_MAX = 9223372036854775807n;

function randomNode(zset: ZSetValue): ZNode {
  return zset.list.byRank(1 + Math.floor(Math.random() * zset.size))!;
}

function replyNode(c: CommandContext, node: ZNode, withScores: boolean, resp3: boolean): void {
  if (withScores && resp3) c.reply.array(2);
  c.reply.bulk(node.member);
  if (withScores) c.reply.double(node.score);
}

@CommandModule()
export class ZsetRandomCommand {
  /** ZRANDMEMBER key [count [WITHSCORES]] */
  @Command({ name: 'zrandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '6.2.0', summary: 'Get one or multiple random elements from a sorted set', complexity: 'O(N) where N is the number of elements returned', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrandmember })
  zrandmember(c: CommandContext, argv: Buffer[]): void {
    if (argv.length >= 3) {
      const l = parseInt64(argv[2]);
      if (l === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      if (l < -LONG_MAX) {
        c.reply.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
        return;
      }
      if (argv.length > 4 || (argv.length === 4 && !isKeyword(argv[3], 'WITHSCORES'))) {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
      const withScores = argv.length === 4;
      if (withScores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) {
        c.reply.error('ERR value is out of range');
        return;
      }
      this.withCount(c, argv, Number(l), withScores);
      return;
    }
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined) c.reply.nullBulk();
    else c.reply.bulk(randomNode(zset).member);
  }

  private withCount(c: CommandContext, argv: Buffer[], l: number, withScores: boolean): void {
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined || l === 0) {
      c.reply.array(0);
      return;
    }
    const resp3 = c.reply.protocol === 3;
    const size = zset.size;
    const unique = l > 0;
    const count = Math.abs(l);
    // Negative count: independent picks, repeats allowed.
    if (!unique || count === 1) {
      c.reply.array(withScores && !resp3 ? count * 2 : count);
      for (let i = 0; i < count; i++) {
        // A client the reply takes over its output limit is closed unanswered: stop (as Redis).
        if ((i & 1023) === 1023 && c.outputLimitReached()) return;
        replyNode(c, randomNode(zset), withScores, resp3);
      }
      return;
    }
    if (count >= size) {
      c.reply.array(withScores && !resp3 ? size * 2 : size);
      // Redis's zuiNext walks a sorted set from its highest score down.
      for (let n = zset.list.tail; n !== null; n = n.backward) replyNode(c, n, withScores, resp3);
      return;
    }
    c.reply.array(withScores && !resp3 ? count * 2 : count);
    if (count * 3 > size) {
      // Selection sampling over the whole list (Knuth's algorithm S): each member kept with the
      // probability still needed, in rank order.
      let needed = count;
      let left = size;
      for (let n = zset.list.first; n !== null && needed > 0; n = n.next, left--) {
        if (Math.random() * left < needed) {
          replyNode(c, n, withScores, resp3);
          needed--;
        }
      }
      return;
    }
    // Few members of many: distinct random ranks (Floyd's algorithm), each found in O(log n).
    const ranks = new Set<number>();
    for (let j = size - count + 1; j <= size; j++) {
      const t = 1 + Math.floor(Math.random() * j);
      ranks.add(ranks.has(t) ? j : t);
    }
    for (const rank of ranks) replyNode(c, zset.list.byRank(rank)!, withScores, resp3);
  }
}
