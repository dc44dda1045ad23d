import {
  Command, CommandModule, bytesToString, errors, isKeyword, parseInt64,
  type CommandContext, type ReplyWriter,
} from 'redix-server';
import type { HashValue } from './hash-value';
import { lookupHashRead } from './hash-lookup';
import { HASHES_DOCS } from './hashes-docs';

/** Redis reads the count as a C long and refuses LONG_MIN (its negation would overflow). */
const LONG_MAX = 9223372036854775807n;
/** With WITHVALUES the reply holds 2 × count elements, so the count is halved. */
const HALF_LONG_MAX = LONG_MAX / 2n;
// "value must between" is Redis's own wording.
const ERR_COUNT_RANGE = `ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`;
const ERR_RANGE = 'ERR value is out of range';

@CommandModule()
export class HashRandomCommand {
  /** Scratch copies of a hash's entries for random access; emptied after each reply. */
  private fields: string[] = [];
  private values: string[] = [];
  private readonly collect = (value: string, field: string): void => {
    this.fields.push(field);
    this.values.push(value);
  };
  /** Reply and format of the whole-hash walk below; set right before it. */
  private out: ReplyWriter | null = null;
  private withValues = false;
  private readonly writeEntry = (value: string, field: string): void => {
    const out = this.out!;
    if (this.withValues) {
      if (out.protocol === 3) out.array(2);
      out.bulk(field);
      out.bulk(value);
    } else {
      out.bulk(field);
    }
  };

  /** HRANDFIELD key [count [WITHVALUES]] */
  @Command({ name: 'hrandfield', arity: -2, firstKey: 1, lastKey: 1, keyStep: 1, flags: ['readonly'], group: 'hash', since: '6.2.0', summary: 'Get one or multiple random fields from a hash', complexity: 'O(N) where N is the number of fields returned', aclCategories: ['@read', '@hash', '@slow'], ...HASHES_DOCS.hrandfield })
  hrandfield(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 2) {
      const hash = lookupHashRead(c, bytesToString(argv[1]));
      if (hash === null) return;
      const entry = hash === undefined ? undefined : hash.randomEntry();
      if (entry === undefined) c.reply.nullBulk();
      else c.reply.bulk(entry[0]);
      return;
    }
    // Arguments are checked before the key is looked at.
    const count = parseInt64(argv[2]);
    if (count === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (count < -LONG_MAX) {
      c.reply.error(ERR_COUNT_RANGE);
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !isKeyword(argv[3], 'WITHVALUES'))) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const withValues = argv.length === 4;
    if (withValues && (count < -HALF_LONG_MAX || count > HALF_LONG_MAX)) {
      c.reply.error(ERR_RANGE);
      return;
    }
    const hash = lookupHashRead(c, bytesToString(argv[1]));
    if (hash === null) return;
    if (hash === undefined || count === 0n) {
      c.reply.array(0);
      return;
    }
    try {
      if (count < 0n) this.replyWithRepeats(c, hash, Number(-count), withValues);
      else if (count >= BigInt(hash.size)) this.replyAll(c.reply, hash, withValues);
      else this.replyDistinct(c.reply, hash, Number(count), withValues);
    } finally {
      this.out = null;
      this.fields.length = 0;
      this.values.length = 0;
    }
  }

  /** Negative count: that many independent picks, repeats allowed. */
  private replyWithRepeats(c: CommandContext, hash: HashValue, count: number, withValues: boolean): void {
    this.snapshot(hash);
    const size = this.fields.length;
    const out = c.reply;
    this.header(out, count, withValues);
    for (let i = 0; i < count; i++) {
      // A client the reply takes over its output limit is closed unanswered: stop (as Redis).
      if ((i & 1023) === 1023 && c.outputLimitReached()) return;
      this.entry(out, Math.floor(Math.random() * size), withValues);
    }
  }

  /** Count at least the size: the whole hash, in its own order. */
  private replyAll(out: ReplyWriter, hash: HashValue, withValues: boolean): void {
    this.header(out, hash.size, withValues);
    this.out = out;
    this.withValues = withValues;
    hash.forEach(this.writeEntry);
  }

  /** Positive count below the size: distinct fields, a partial Fisher-Yates shuffle. */
  private replyDistinct(out: ReplyWriter, hash: HashValue, count: number, withValues: boolean): void {
    this.snapshot(hash);
    const { fields, values } = this;
    this.header(out, count, withValues);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (fields.length - i));
      const field = fields[j];
      const value = values[j];
      fields[j] = fields[i];
      values[j] = values[i];
      fields[i] = field;
      values[i] = value;
      this.entry(out, i, withValues);
    }
  }

  /** RESP2 flattens field/value pairs into one array; RESP3 nests each pair in an array of two. */
  private header(out: ReplyWriter, count: number, withValues: boolean): void {
    out.array(withValues && out.protocol === 2 ? count * 2 : count);
  }

  private entry(out: ReplyWriter, index: number, withValues: boolean): void {
    if (!withValues) {
      out.bulk(this.fields[index]);
      return;
    }
    if (out.protocol === 3) out.array(2);
    out.bulk(this.fields[index]);
    out.bulk(this.values[index]);
  }

  private snapshot(hash: HashValue): void {
    hash.forEach(this.collect);
  }
}
