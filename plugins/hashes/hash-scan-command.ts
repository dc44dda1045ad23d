import {
  Command, CommandModule, TOKENS, bytesToString, inject, parseScanCursorOrReply, parseScanOptionsOrReply,
  type CommandContext, type GlobMatcher, type ServerContext,
} from 'redix-server';
import type { HashValue } from './hash-value';
import { lookupHashRead } from './hash-lookup';
import { HASHES_DOCS } from './hashes-docs';

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

@CommandModule()
export class HashScanCommand {
  /** State of the scan step in progress (handlers are synchronous, so one is enough). */
  private hash: HashValue | null = null;
  private match: GlobMatcher | null = null;
  private items: string[] = [];
  // Bound once, so a scan allocates no closure per request.
  private readonly startIteration = (): Iterator<[string, string]> => this.hash!.entries();
  private readonly visitEntry = (entry: [string, string]): void => this.keep(entry[1], entry[0]);
  private readonly keep = (value: string, field: string): void => {
    if (this.match === null || this.match(field)) this.items.push(field, value);
  };

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** HSCAN key cursor [MATCH pattern] [COUNT count] */
  @Command({ name: 'hscan', arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, flags: ['readonly'], group: 'hash', since: '2.8.0', summary: 'Incrementally iterate hash fields and associated values', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', aclCategories: ['@read', '@hash', '@slow'], ...HASHES_DOCS.hscan })
  hscan(c: CommandContext, argv: Buffer[]): void {
    // Redis checks the cursor, then the key, and only then the options.
    const cursor = parseScanCursorOrReply(c, argv[2]);
    if (cursor === null) return;
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    if (hash === undefined) {
      c.reply.raw(EMPTY_SCAN);
      return;
    }
    const options = parseScanOptionsOrReply(c, argv, 3);
    if (options === null) return;
    const { count, match } = options;
    this.hash = hash;
    this.match = match;
    try {
      let next = '0';
      // A listpack hash comes back whole with cursor 0 whatever the cursor and COUNT, as in
      // Redis; so does a hashtable one that fits in COUNT when a scan starts.
      if (hash.isListpack || (cursor === '0' && hash.size <= count)) {
        hash.forEach(this.keep);
      } else {
        next = this.server.keyspace.cursors.step(hash, cursor, count, this.startIteration, this.visitEntry);
      }
      const items = this.items;
      c.reply.array(2);
      c.reply.bulk(next);
      c.reply.array(items.length);
      for (let i = 0; i < items.length; i++) c.reply.bulk(items[i]);
    } finally {
      this.hash = null;
      this.match = null;
      this.items.length = 0;
    }
  }
}
