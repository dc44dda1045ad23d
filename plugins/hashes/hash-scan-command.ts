import {
  Command, CommandModule, TOKENS, bytesToString, compileGlob, errors, inject, isKeyword, parseInteger,
  type CommandContext, type GlobMatcher, type ServerContext,
} from 'redix-server';
import type { HashValue } from './hash-value';
import { lookupHashRead } from './hash-lookup';
import { HASHES_DOCS } from './hashes-docs';

const DEFAULT_COUNT = 10;
const ULONG_LIMIT = 1n << 64n;
const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * A SCAN cursor as Redis reads it (strtoul on a NUL-terminated copy): decimal, optional sign,
 * a negative value wrapping around 2^64, the text ending at a NUL; an empty text is cursor 0.
 * Returns the cursor's canonical decimal text, or null when Redis would say "invalid cursor".
 */
export function parseScanCursor(arg: Buffer): string | null {
  if (arg.length > 0 && isSpace(arg[0])) return null;
  const nul = arg.indexOf(0);
  const text = arg.latin1Slice(0, nul < 0 ? arg.length : nul);
  if (text.length === 0) return '0';
  if (text.length <= 15 && /^\d+$/.test(text)) return String(Number(text));
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (m === null) return null;
  let n = BigInt(m[2]);
  if (n >= ULONG_LIMIT) return null;
  if (m[1] === '-' && n !== 0n) n = ULONG_LIMIT - n;
  return n.toString();
}

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
    const cursor = parseScanCursor(argv[2]);
    if (cursor === null) {
      c.reply.error(errors.ERR_INVALID_CURSOR);
      return;
    }
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    if (hash === undefined) {
      c.reply.raw(EMPTY_SCAN);
      return;
    }
    let count = DEFAULT_COUNT;
    let match: GlobMatcher | null = null;
    for (let i = 3; i < argv.length; i += 2) {
      const hasValue = i + 1 < argv.length;
      if (hasValue && isKeyword(argv[i], 'COUNT')) {
        const n = parseInteger(argv[i + 1]);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        if (n < 1) {
          c.reply.error(errors.ERR_SYNTAX);
          return;
        }
        count = n;
      } else if (hasValue && isKeyword(argv[i], 'MATCH')) {
        const pattern = bytesToString(argv[i + 1]);
        match = pattern === '*' ? null : compileGlob(pattern);
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
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
