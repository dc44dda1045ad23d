import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, parseInt64, parseInteger,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { HashValue } from './hash-value';
import { ListpackLimits, commitHashWrite, lookupHashWrite } from './hash-lookup';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble, LONG_DOUBLE_ZERO } from 'redix-server/numbers';
import { HASHES_DOCS } from './hashes-docs';

const ERR_HASH_NOT_INTEGER = 'ERR hash value is not an integer';
const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
const ERR_NAN_OR_INFINITY = 'ERR value is NaN or Infinity';
const ERR_PRODUCES_NAN_OR_INFINITY = 'ERR increment would produce NaN or Infinity';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** Decimal texts this short are below 2^53 in magnitude: plain number arithmetic is exact. */
const SAFE_DIGITS = 15;

/**
 * A signed 64-bit integer in Redis's strict syntax: a plain number when its text is short enough
 * for the sum of two to stay exact, a bigint otherwise; null when not an integer.
 */
function parseCount(text: Buffer | string): number | bigint | null {
  return text.length <= SAFE_DIGITS ? parseInteger(text) : parseInt64(text);
}

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
const WRITE_FAST = { ...KEY_1, flags: ['write', 'denyoom', 'fast'], group: 'hash', aclCategories: ['@write', '@hash', '@fast'] } as const;

@CommandModule()
export class HashWriteCommands {
  private readonly limits: ListpackLimits;
  /** Scratch field and value strings of a multi-pair HSET, emptied after each. */
  private readonly fields: string[] = [];
  private readonly values: string[] = [];

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new ListpackLimits(server.config);
  }

  /** HSET key field value [field value ...] */
  @Command({ name: 'hset', arity: -4, ...WRITE_FAST, since: '2.0.0', summary: 'Set the string value of a hash field', complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', ...HASHES_DOCS.hset })
  hset(c: CommandContext, argv: Buffer[]): void {
    const added = this.setPairsOrReply(c, argv, 'hset');
    if (added < 0) return;
    c.reply.integer(added);
    // Redis replies first, then emits (a RESP3 subscriber writing sees this order).
    c.notifyKeyspaceEvent(NOTIFY.HASH, 'hset', bytesToString(argv[1]));
  }

  /** HMSET key field value [field value ...] (deprecated form of HSET that replies OK) */
  @Command({ name: 'hmset', arity: -4, ...WRITE_FAST, since: '2.0.0', summary: 'Set multiple hash fields to multiple values', complexity: 'O(N) where N is the number of fields being set.', ...HASHES_DOCS.hmset })
  hmset(c: CommandContext, argv: Buffer[]): void {
    if (this.setPairsOrReply(c, argv, 'hmset') < 0) return;
    c.reply.ok();
    c.notifyKeyspaceEvent(NOTIFY.HASH, 'hset', bytesToString(argv[1]));
  }

  /** Sets every field/value pair of argv[2..]; returns how many fields were new, or -1 after an error reply. */
  private setPairsOrReply(c: CommandContext, argv: Buffer[], name: string): number {
    // The arity only says "at least 4": an unpaired field is an arity error too.
    if (argv.length % 2 === 1) {
      c.reply.error(errors.errWrongArity(name));
      return -1;
    }
    const key = bytesToString(argv[1]);
    const found = lookupHashWrite(c, key);
    if (found === null) return -1;
    const table = found === undefined ? null : found.table;
    if (table !== null) {
      // A hashtable takes the argument bytes as they are: no string per field or value.
      let added = 0;
      for (let i = 2; i < argv.length; i += 2) if (table.setBytes(argv[i], argv[i + 1])) added++;
      commitHashWrite(c, key, found!, false, (argv.length - 2) / 2);
      return added;
    }
    const hash = found ?? new HashValue();
    const { maxEntries, maxValue } = this.limits;
    let added: number;
    if (argv.length === 4) {
      added = hash.set(bytesToString(argv[2]), bytesToString(argv[3]), maxEntries, maxValue) ? 1 : 0;
    } else {
      const { fields, values } = this;
      const n = (argv.length - 2) / 2;
      for (let i = 0; i < n; i++) {
        fields[i] = bytesToString(argv[2 + 2 * i]);
        values[i] = bytesToString(argv[3 + 2 * i]);
      }
      added = hash.setPairs(fields, values, n, maxEntries, maxValue);
      fields.length = 0;
      values.length = 0;
    }
    commitHashWrite(c, key, hash, found === undefined, (argv.length - 2) / 2);
    return added;
  }

  /** HSETNX key field value */
  @Command({ name: 'hsetnx', arity: 4, ...WRITE_FAST, since: '2.0.0', summary: 'Set the value of a hash field, only if the field does not exist', complexity: 'O(1)', ...HASHES_DOCS.hsetnx })
  hsetnx(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const found = lookupHashWrite(c, key);
    if (found === null) return;
    const field = bytesToString(argv[2]);
    if (found !== undefined && found.has(field)) {
      c.reply.integer(0);
      return;
    }
    const hash = found ?? new HashValue();
    const value = bytesToString(argv[3]);
    hash.set(field, value, this.limits.maxEntries, this.limits.maxValue);
    commitHashWrite(c, key, hash, found === undefined, 1);
    c.reply.integer(1);
    c.notifyKeyspaceEvent(NOTIFY.HASH, 'hset', key);
  }

  /** HDEL key field [field ...] */
  @Command({ name: 'hdel', arity: -3, ...KEY_1, flags: ['write', 'fast'], group: 'hash', since: '2.0.0', summary: 'Delete one or more hash fields', complexity: 'O(N) where N is the number of fields to be removed.', aclCategories: ['@write', '@hash', '@fast'], ...HASHES_DOCS.hdel })
  hdel(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const hash = lookupHashWrite(c, key);
    if (hash === null) return;
    if (hash === undefined) {
      c.reply.integer(0);
      return;
    }
    let deleted = 0;
    let keyRemoved = false;
    for (let i = 2; i < argv.length; i++) {
      if (!hash.delete(bytesToString(argv[i]))) continue;
      deleted++;
      // An empty hash is never kept: the key goes with its last field.
      if (hash.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
    if (deleted > 0) {
      c.db.markDirty(keyRemoved ? deleted - 1 : deleted);
      c.notifyKeyspaceEvent(NOTIFY.HASH, 'hdel', key);
      if (keyRemoved) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    }
    c.reply.integer(deleted);
  }

  /** HINCRBY key field increment */
  @Command({ name: 'hincrby', arity: 4, ...WRITE_FAST, since: '2.0.0', summary: 'Increment the integer value of a hash field by the given number', complexity: 'O(1)', ...HASHES_DOCS.hincrby })
  hincrby(c: CommandContext, argv: Buffer[]): void {
    const increment = parseCount(argv[3]);
    if (increment === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    const key = bytesToString(argv[1]);
    const found = lookupHashWrite(c, key);
    if (found === null) return;
    const field = bytesToString(argv[2]);
    const currentText = found === undefined ? undefined : found.get(field);
    let result = increment;
    if (currentText !== undefined) {
      const current = parseCount(currentText);
      if (current === null) {
        c.reply.error(ERR_HASH_NOT_INTEGER);
        return;
      }
      if (typeof current === 'number' && typeof increment === 'number') {
        result = current + increment;
      } else {
        const sum = BigInt(current) + BigInt(increment);
        if (sum > INT64_MAX || sum < INT64_MIN) {
          c.reply.error(errors.ERR_OVERFLOW);
          return;
        }
        result = sum;
      }
    }
    const hash = found ?? new HashValue();
    const text = String(result);
    hash.set(field, text, this.limits.maxEntries, this.limits.maxValue);
    commitHashWrite(c, key, hash, found === undefined, 1);
    c.reply.integer(result);
    c.notifyKeyspaceEvent(NOTIFY.HASH, 'hincrby', key);
  }

  /** HINCRBYFLOAT key field increment */
  @Command({ name: 'hincrbyfloat', arity: 4, ...WRITE_FAST, since: '2.6.0', summary: 'Increment the float value of a hash field by the given amount', complexity: 'O(1)', ...HASHES_DOCS.hincrbyfloat })
  hincrbyfloat(c: CommandContext, argv: Buffer[]): void {
    // Redis adds in long double (80-bit on x86-64): emulated exactly so results match digit for digit.
    const increment = parseLongDouble(bytesToString(argv[3]));
    if (increment === null) {
      c.reply.error(errors.ERR_NOT_FLOAT);
      return;
    }
    if (increment.infinite) {
      c.reply.error(ERR_NAN_OR_INFINITY);
      return;
    }
    const key = bytesToString(argv[1]);
    const found = lookupHashWrite(c, key);
    if (found === null) return;
    const field = bytesToString(argv[2]);
    const currentText = found === undefined ? undefined : found.get(field);
    let current = LONG_DOUBLE_ZERO;
    if (currentText !== undefined) {
      const parsed = parseLongDouble(currentText);
      if (parsed === null) {
        c.reply.error(ERR_HASH_NOT_FLOAT);
        return;
      }
      current = parsed;
    }
    const sum = addLongDouble(current, increment);
    if (sum.infinite) {
      c.reply.error(ERR_PRODUCES_NAN_OR_INFINITY);
      return;
    }
    const hash = found ?? new HashValue();
    const text = formatLongDoubleHuman(sum);
    hash.set(field, text, this.limits.maxEntries, this.limits.maxValue);
    commitHashWrite(c, key, hash, found === undefined, 1);
    c.reply.bulk(text);
    c.notifyKeyspaceEvent(NOTIFY.HASH, 'hincrbyfloat', key);
    // Replicas and the AOF get the result, not the increment, so float rounding cannot drift.
    c.propagateAs(['HSET', argv[1], argv[2], text]);
  }
}
