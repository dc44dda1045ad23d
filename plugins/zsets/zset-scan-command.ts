import {
  Command, CommandModule, TOKENS, bytesToString, formatDouble17g, inject, parseScanCursorOrReply, parseScanOptionsOrReply,
  type CommandContext, type GlobMatcher, type ServerContext,
} from 'redix-server';
import type { ZNode } from './skiplist';
import type { ZSetValue } from './zset-value';
import { lookupZsetRead } from './zset-lookup';
import { ZSETS_DOCS } from './zsets-docs';

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

@CommandModule()
export class ZsetScanCommand {
  /** State of the scan step in progress (handlers are synchronous). */
  private zset: ZSetValue | null = null;
  private match: GlobMatcher | null = null;
  private items: string[] = [];
  private readonly startIteration = (): Iterator<[string, ZNode]> => this.zset!.dict.entries();
  private readonly visitEntry = (entry: [string, ZNode]): void => this.keep(entry[1]);

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private keep(node: ZNode): void {
    if (this.match === null || this.match(node.member)) this.items.push(node.member, formatDouble17g(node.score));
  }

  /** ZSCAN key cursor [MATCH pattern] [COUNT count] */
  @Command({ name: 'zscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.8.0', summary: 'Incrementally iterate sorted sets elements and associated scores', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zscan })
  zscan(c: CommandContext, argv: Buffer[]): void {
    const cursor = parseScanCursorOrReply(c, argv[2]);
    if (cursor === null) return;
    const zset = lookupZsetRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.raw(EMPTY_SCAN);
      return;
    }
    const options = parseScanOptionsOrReply(c, argv, 3);
    if (options === null) return;
    const { count, match } = options;
    this.zset = zset;
    this.match = match;
    try {
      let next = '0';
      // A listpack comes back whole with cursor 0, in rank order, as in Redis.
      if (!zset.skiplist || (cursor === '0' && zset.size <= count)) {
        for (let n = zset.list.first; n !== null; n = n.next) this.keep(n);
      } else {
        next = this.server.keyspace.cursors.step(zset, cursor, count, this.startIteration, this.visitEntry);
      }
      const items = this.items;
      c.reply.array(2);
      c.reply.bulk(next);
      c.reply.array(items.length);
      for (let i = 0; i < items.length; i++) c.reply.bulk(items[i]);
    } finally {
      this.zset = null;
      this.match = null;
      this.items.length = 0;
    }
  }
}
