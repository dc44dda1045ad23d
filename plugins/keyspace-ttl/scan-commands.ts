import {
  Command, CommandModule, TOKENS, bytesToString, compileGlob, inject, parseScanCursorOrReply, parseScanOptionsOrReply,
  type CommandContext, type Database, type DataTypeRegistry, type GlobMatcher, type ServerContext, type StoredValue,
} from 'redix-server';
import { KEYSPACE_DOCS } from './keyspace-docs';

/** Lower-cases ASCII letters only, as strcasecmp compares. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));
}

/**
 * Collects the keys KEYS and SCAN return. One per module, reset per call, so the iteration
 * callbacks are created once rather than as closures per request.
 */
class KeyCollector {
  constructor(private readonly dataTypes: DataTypeRegistry) {}

  db: Database | null = null;
  match: GlobMatcher | null = null;
  /** Lower-case type name SCAN ... TYPE asks for, or null. */
  typeName: string | null = null;
  keys: string[] = [];

  reset(db: Database, match: GlobMatcher | null, typeName: string | null): void {
    this.db = db;
    this.match = match;
    this.typeName = typeName;
    this.keys = [];
  }

  /** KEYS: pattern, then expiry (checked, not enforced: KEYS deletes nothing). */
  readonly visitEntry = (_value: StoredValue, key: string): void => {
    if (this.match !== null && !this.match(key)) return;
    const db = this.db!;
    if (db.expiresCount !== 0 && db.isExpired(key)) return;
    this.keys.push(key);
  };

  /** SCAN: pattern, then type (a counted read, as in Redis), then expiry (an expired key is deleted). */
  readonly visitKey = (key: string): void => {
    if (this.match !== null && !this.match(key)) return;
    const db = this.db!;
    if (this.typeName !== null) {
      const value = db.lookupRead(key);
      if (value === undefined) {
        // Why: Redis reads the type before its expiry check, and a key that expired reads as
        // "none": so TYPE none returns a key that has just expired (and was deleted by the read).
        // A replica keeps the key, and its expiry check then filters it out.
        if (this.typeName !== 'none' || db.isExpired(key)) return;
      } else {
        // Redis compares getObjectTypeName's answer (a module type's 9-character name) with strcasecmp.
        const type = this.dataTypes.typeNameOf(value);
        if (type !== this.typeName && asciiLower(type) !== this.typeName) return;
      }
    } else if (db.expiresCount !== 0 && !db.exists(key)) {
      return;
    }
    this.keys.push(key);
  };

  take(): string[] {
    const keys = this.keys;
    this.keys = [];
    this.db = null;
    this.match = null;
    return keys;
  }
}

/** Commands that enumerate the keyspace. */
@CommandModule()
export class ScanCommands {
  private readonly collector: KeyCollector;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.collector = new KeyCollector(server.dataTypes);
  }

  /** KEYS pattern */
  @Command({ name: 'keys', arity: 2, flags: ['readonly'], group: 'generic', since: '1.0.0', summary: 'Find all keys matching the given pattern', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', aclCategories: ['@keyspace', '@read', '@slow', '@dangerous'], ...KEYSPACE_DOCS.keys })
  keys(c: CommandContext, argv: Buffer[]): void {
    const pattern = bytesToString(argv[1]);
    const collector = this.collector;
    collector.reset(c.db, pattern === '*' ? null : compileGlob(pattern), null);
    c.db.forEachEntry(collector.visitEntry);
    c.reply.bulkArray(collector.take());
  }

  /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
  @Command({ name: 'scan', arity: -2, flags: ['readonly'], group: 'generic', since: '2.8.0', summary: 'Incrementally iterate the keys space', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', aclCategories: ['@keyspace', '@read', '@slow'], ...KEYSPACE_DOCS.scan })
  scan(c: CommandContext, argv: Buffer[]): void {
    const cursor = parseScanCursorOrReply(c, argv[1]);
    if (cursor === null) return;
    const options = parseScanOptionsOrReply(c, argv, 2, true);
    if (options === null) return;
    const collector = this.collector;
    collector.reset(c.db, options.match, options.type === null ? null : asciiLower(options.type));
    const next = c.db.scan(cursor, options.count, collector.visitKey);
    const keys = collector.take();
    c.reply.array(2);
    c.reply.bulk(next);
    c.reply.bulkArray(keys);
  }
}
