import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, inject,
  type CommandContext, type ServerContext,
} from 'redix-server';
import type { ZNode } from './skiplist';
import { ZSetValue } from './zset-value';
import { ZsetLimits, lookupZsetRead } from './zset-lookup';
import {
  BY_AUTO, BY_LEX, BY_RANK, BY_SCORE, DIR_AUTO, DIR_FORWARD, DIR_REVERSE, collectRange, parseRangeRequest, replyNodes,
} from './zset-range';
import { ZSETS_DOCS } from './zsets-docs';

@CommandModule()
export class ZsetRangeCommands {
  private readonly limits: ZsetLimits;
  /** Reused result buffer (handlers are synchronous). */
  private readonly nodes: ZNode[] = [];

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new ZsetLimits(server.config);
  }

  /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
  @Command({ name: 'zrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Return a range of members in a sorted set', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrange })
  zrange(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_AUTO, DIR_AUTO);
  }

  /** ZREVRANGE key start stop [WITHSCORES] */
  @Command({ name: 'zrevrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrevrange })
  zrevrange(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_RANK, DIR_REVERSE);
  }

  /** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
  @Command({ name: 'zrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.0.5', summary: 'Return a range of members in a sorted set, by score', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrangebyscore })
  zrangebyscore(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_SCORE, DIR_FORWARD);
  }

  /** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
  @Command({ name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.2.0', summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrevrangebyscore })
  zrevrangebyscore(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_SCORE, DIR_REVERSE);
  }

  /** ZRANGEBYLEX key min max [LIMIT offset count] */
  @Command({ name: 'zrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.8.9', summary: 'Return a range of members in a sorted set, by lexicographical range', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrangebylex })
  zrangebylex(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_LEX, DIR_FORWARD);
  }

  /** ZREVRANGEBYLEX key max min [LIMIT offset count] */
  @Command({ name: 'zrevrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.8.9', summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zrevrangebylex })
  zrevrangebylex(c: CommandContext, argv: Buffer[]): void {
    this.range(c, argv, BY_LEX, DIR_REVERSE);
  }

  private range(c: CommandContext, argv: Buffer[], by: number, direction: number): void {
    const req = parseRangeRequest(c, argv, 1, false, by, direction);
    if (req === null) return;
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.array(0);
      return;
    }
    const nodes = this.nodes;
    try {
      collectRange(zset, req, nodes);
      replyNodes(c.reply, nodes, req.withScores);
    } finally {
      nodes.length = 0;
    }
  }

  /** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
  @Command({ name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'sorted-set', since: '6.2.0', summary: 'Store a range of members from sorted set into another key', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zrangestore })
  zrangestore(c: CommandContext, argv: Buffer[]): void {
    const req = parseRangeRequest(c, argv, 2, true, BY_AUTO, DIR_AUTO);
    if (req === null) return;
    const zset = lookupZsetRead(c, bytesToString(argv[2]));
    if (zset === null) return;
    const nodes = this.nodes;
    try {
      if (zset !== undefined) collectRange(zset, req, nodes);
      storeNodes(c, bytesToString(argv[1]), nodes, this.limits, 'zrangestore');
    } finally {
      nodes.length = 0;
    }
  }
}

/**
 * Stores `nodes` as a new sorted set at `dst` and replies its size; an empty result deletes `dst`
 * (with a `del` event), as Redis's store handlers do.
 */
export function storeNodes(c: CommandContext, dst: string, nodes: readonly ZNode[], limits: ZsetLimits, event: string): void {
  if (nodes.length === 0) {
    if (c.db.delete(dst)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', dst);
    c.reply.integer(0);
    return;
  }
  const result = new ZSetValue();
  for (let i = 0; i < nodes.length; i++) result.insertNew(nodes[i].member, nodes[i].score);
  result.chooseEncoding(limits.maxEntries, limits.maxValue);
  c.db.set(dst, result);
  c.notifyKeyspaceEvent(NOTIFY.ZSET, event, dst);
  c.reply.integer(nodes.length);
}

