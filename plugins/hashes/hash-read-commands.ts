import { Command, CommandModule, bytesToString, type CommandContext, type ReplyWriter } from 'redix-server';
import type { HashValue } from './hash-value';
import { lookupHashRead } from './hash-lookup';
import { HASHES_DOCS } from './hashes-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
const READ_FAST = { ...KEY_1, flags: ['readonly', 'fast'], group: 'hash', aclCategories: ['@read', '@hash', '@fast'] } as const;
const READ_SLOW = { ...KEY_1, flags: ['readonly'], group: 'hash', aclCategories: ['@read', '@hash', '@slow'] } as const;
const WHOLE_HASH = 'O(N) where N is the size of the hash.';

@CommandModule()
export class HashReadCommands {
  /** Where the whole-hash walkers below write; set right before each walk. */
  private out: ReplyWriter | null = null;
  // Bound once, so walking a hash allocates no closure per request.
  private readonly writeField = (_value: string, field: string): void => this.out!.bulk(field);
  private readonly writeValue = (value: string): void => this.out!.bulk(value);
  private readonly writePair = (value: string, field: string): void => {
    this.out!.bulk(field);
    this.out!.bulk(value);
  };

  /** HGET key field */
  @Command({ name: 'hget', arity: 3, ...READ_FAST, since: '2.0.0', summary: 'Get the value of a hash field', complexity: 'O(1)', ...HASHES_DOCS.hget })
  hget(c: CommandContext, argv: Buffer[]): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    if (hash === undefined) c.reply.nullBulk();
    else replyValue(c.reply, hash, argv[2]);
  }

  /** HMGET key field [field ...] */
  @Command({ name: 'hmget', arity: -3, ...READ_FAST, since: '2.0.0', summary: 'Get the values of all the given hash fields', complexity: 'O(N) where N is the number of fields being requested.', ...HASHES_DOCS.hmget })
  hmget(c: CommandContext, argv: Buffer[]): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      if (hash === undefined) c.reply.nullBulk();
      else replyValue(c.reply, hash, argv[i]);
    }
  }

  /** HEXISTS key field */
  @Command({ name: 'hexists', arity: 3, ...READ_FAST, since: '2.0.0', summary: 'Determine if a hash field exists', complexity: 'O(1)', ...HASHES_DOCS.hexists })
  hexists(c: CommandContext, argv: Buffer[]): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    const found = hash !== undefined && (hash.table !== null ? hash.table.findBytes(argv[2]) >= 0 : hash.has(bytesToString(argv[2])));
    c.reply.integer(found ? 1 : 0);
  }

  /** HLEN key */
  @Command({ name: 'hlen', arity: 2, ...READ_FAST, since: '2.0.0', summary: 'Get the number of fields in a hash', complexity: 'O(1)', ...HASHES_DOCS.hlen })
  hlen(c: CommandContext, argv: Buffer[]): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    c.reply.integer(hash === undefined ? 0 : hash.size);
  }

  /** HSTRLEN key field */
  @Command({ name: 'hstrlen', arity: 3, ...READ_FAST, since: '3.2.0', summary: 'Get the length of the value of a hash field', complexity: 'O(1)', ...HASHES_DOCS.hstrlen })
  hstrlen(c: CommandContext, argv: Buffer[]): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    if (hash === undefined) {
      c.reply.integer(0);
      return;
    }
    const table = hash.table;
    if (table === null) {
      const value = hash.get(bytesToString(argv[2]));
      c.reply.integer(value === undefined ? 0 : value.length);
      return;
    }
    const i = table.findBytes(argv[2]);
    if (i >= 0) table.valueRange(i);
    c.reply.integer(i < 0 ? 0 : table.rangeEnd - table.rangeStart);
  }

  /** HKEYS key */
  @Command({ name: 'hkeys', arity: 2, ...READ_SLOW, since: '2.0.0', summary: 'Get all the fields in a hash', complexity: WHOLE_HASH, ...HASHES_DOCS.hkeys })
  hkeys(c: CommandContext, argv: Buffer[]): void {
    this.replyWhole(c, argv, false, this.writeField);
  }

  /** HVALS key */
  @Command({ name: 'hvals', arity: 2, ...READ_SLOW, since: '2.0.0', summary: 'Get all the values in a hash', complexity: WHOLE_HASH, ...HASHES_DOCS.hvals })
  hvals(c: CommandContext, argv: Buffer[]): void {
    this.replyWhole(c, argv, false, this.writeValue);
  }

  /** HGETALL key */
  @Command({ name: 'hgetall', arity: 2, ...READ_SLOW, since: '2.0.0', summary: 'Get all the fields and values in a hash', complexity: WHOLE_HASH, ...HASHES_DOCS.hgetall })
  hgetall(c: CommandContext, argv: Buffer[]): void {
    this.replyWhole(c, argv, true, this.writePair);
  }

  /** HKEYS/HVALS/HGETALL: an array (or, for pairs, a map) of every entry; empty for a missing key. */
  private replyWhole(c: CommandContext, argv: Buffer[], asMap: boolean, write: (value: string, field: string) => void): void {
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    const size = hash === undefined ? 0 : hash.size;
    if (asMap) c.reply.map(size);
    else c.reply.array(size);
    if (hash === undefined) return;
    const table = hash.table;
    if (table === null) {
      this.walk(c.reply, hash, write);
      return;
    }
    // The hashtable's bytes go straight into the reply: no string per field or value.
    const out = c.reply;
    const fields = write !== this.writeValue;
    const values = write !== this.writeField;
    for (let i = table.nextEntry(-1); i >= 0; i = table.nextEntry(i)) {
      if (fields) {
        table.fieldRange(i);
        out.bulkRange(table.rangeBuffer, table.rangeStart, table.rangeEnd);
      }
      if (values) {
        table.valueRange(i);
        out.bulkRange(table.rangeBuffer, table.rangeStart, table.rangeEnd);
      }
    }
  }

  /** Writes every entry straight into the reply, no intermediate array. */
  private walk(out: ReplyWriter, fields: { forEach(fn: (value: string, field: string) => void): void }, fn: (value: string, field: string) => void): void {
    this.out = out;
    try {
      fields.forEach(fn);
    } finally {
      this.out = null;
    }
  }
}

/**
 * A field's value as a bulk reply (null when missing); a hashtable finds the field by its bytes
 * and copies the value from its own, no string made.
 */
function replyValue(out: ReplyWriter, hash: HashValue, field: Buffer): void {
  const table = hash.table;
  if (table === null) {
    const value = hash.get(bytesToString(field));
    if (value === undefined) out.nullBulk();
    else out.bulk(value);
    return;
  }
  const i = table.findBytes(field);
  if (i < 0) {
    out.nullBulk();
    return;
  }
  table.valueRange(i);
  out.bulkRange(table.rangeBuffer, table.rangeStart, table.rangeEnd);
}
