import {
  Command, CommandModule, TOKENS, bytesToString, inject, parseScanCursorOrReply, parseScanOptionsOrReply,
  type CommandContext, type GlobMatcher, type ServerContext,
} from 'redix-server';
import type { SetValue } from './set-value';
import { lookupSetRead } from './set-lookup';
import { SETS_DOCS } from './sets-docs';

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

@CommandModule()
export class SetScanCommand {
  /** State of the scan step in progress (handlers are synchronous, so one is enough). */
  private set: SetValue | null = null;
  private match: GlobMatcher | null = null;
  private items: string[] = [];
  // Bound once, so a scan allocates no closure per request.
  private readonly startIteration = (): Iterator<string> => this.set!.table!.scanIterator();
  private readonly keep = (member: string): void => {
    if (this.match === null || this.match(member)) this.items.push(member);
  };

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** SSCAN key cursor [MATCH pattern] [COUNT count] */
  @Command({ name: 'sscan', arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, flags: ['readonly'], group: 'set', since: '2.8.0', summary: 'Incrementally iterate Set elements', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', aclCategories: ['@read', '@set', '@slow'], ...SETS_DOCS.sscan })
  sscan(c: CommandContext, argv: Buffer[]): void {
    // Redis checks the cursor, then the key, and only then the options.
    const cursor = parseScanCursorOrReply(c, argv[2]);
    if (cursor === null) return;
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    if (set === undefined) {
      c.reply.raw(EMPTY_SCAN);
      return;
    }
    const options = parseScanOptionsOrReply(c, argv, 3);
    if (options === null) return;
    const { count, match } = options;
    this.set = set;
    this.match = match;
    try {
      let next = '0';
      // An intset comes back whole with cursor 0 whatever the cursor and COUNT, as in Redis; so
      // does a hashtable that fits in COUNT when a scan starts.
      if (set.ints !== null || (cursor === '0' && set.size <= count)) {
        const n = set.size;
        for (let i = 0; i < n; i++) this.keep(set.memberAt(i));
      } else {
        next = this.server.keyspace.cursors.step(set, cursor, count, this.startIteration, this.keep);
      }
      const items = this.items;
      c.reply.array(2);
      c.reply.bulk(next);
      c.reply.array(items.length);
      for (let i = 0; i < items.length; i++) c.reply.bulk(items[i]);
    } finally {
      this.set = null;
      this.match = null;
      this.items.length = 0;
    }
  }
}
