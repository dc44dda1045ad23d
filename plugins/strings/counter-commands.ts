import { Command, CommandModule, NOTIFY, bytesToString, errors, type CommandContext } from 'redix-server';
import { INT64_MIN, addAsLongDouble, addInt64, parseInt64Value } from './string-numbers';
import { STRINGS_DOCS } from './strings-docs';

const STRING = '@string';
const COUNTER_FLAGS = ['write', 'denyoom', 'fast'] as const;
const COUNTER_ACL = ['@write', STRING, '@fast'];
const ERR_NAN_OR_INFINITY = 'ERR increment would produce NaN or Infinity';

/**
 * What INCR, DECR, INCRBY and DECRBY share (Redis's incrDecrCommand): the stored value must be a
 * strict int64, the result must stay in int64, and the key keeps its TTL.
 */
function incrDecr(c: CommandContext, keyArg: Buffer, increment: number | bigint): void {
  const key = bytesToString(keyArg);
  const old = c.db.lookupWrite(key);
  let current: number | bigint = 0;
  if (old !== undefined) {
    if (typeof old !== 'string') {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    const parsed = parseInt64Value(old);
    if (parsed === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    current = parsed;
  }
  const result = addInt64(current, increment);
  if (result === null) {
    c.reply.error(errors.ERR_OVERFLOW);
    return;
  }
  c.db.set(key, String(result), true);
  // INCR, DECR, INCRBY and DECRBY all emit "incrby", as Redis does.
  c.notifyKeyspaceEvent(NOTIFY.STRING, 'incrby', key);
  c.reply.integer(result);
}

/** Parses an increment argument, or replies "not an integer" and returns null. */
function incrementOrReply(c: CommandContext, arg: Buffer): number | bigint | null {
  const n = parseInt64Value(arg);
  if (n === null) c.reply.error(errors.ERR_NOT_INTEGER);
  return n;
}

@CommandModule()
export class CounterCommands {
  /** INCR key */
  @Command({ name: 'incr', arity: 2, flags: COUNTER_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Increment the integer value of a key by one', complexity: 'O(1)', aclCategories: COUNTER_ACL, ...STRINGS_DOCS.incr })
  incr(c: CommandContext, argv: Buffer[]): void {
    incrDecr(c, argv[1], 1);
  }

  /** DECR key */
  @Command({ name: 'decr', arity: 2, flags: COUNTER_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Decrement the integer value of a key by one', complexity: 'O(1)', aclCategories: COUNTER_ACL, ...STRINGS_DOCS.decr })
  decr(c: CommandContext, argv: Buffer[]): void {
    incrDecr(c, argv[1], -1);
  }

  /** INCRBY key increment */
  @Command({ name: 'incrby', arity: 3, flags: COUNTER_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Increment the integer value of a key by the given amount', complexity: 'O(1)', aclCategories: COUNTER_ACL, ...STRINGS_DOCS.incrby })
  incrby(c: CommandContext, argv: Buffer[]): void {
    const increment = incrementOrReply(c, argv[2]);
    if (increment !== null) incrDecr(c, argv[1], increment);
  }

  /** DECRBY key decrement */
  @Command({ name: 'decrby', arity: 3, flags: COUNTER_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Decrement the integer value of a key by the given number', complexity: 'O(1)', aclCategories: COUNTER_ACL, ...STRINGS_DOCS.decrby })
  decrby(c: CommandContext, argv: Buffer[]): void {
    const decrement = incrementOrReply(c, argv[2]);
    if (decrement === null) return;
    // -INT64_MIN does not fit in int64: Redis refuses it before looking at the key.
    if (decrement === INT64_MIN) {
      c.reply.error('ERR decrement would overflow');
      return;
    }
    incrDecr(c, argv[1], -decrement);
  }

  /** INCRBYFLOAT key increment */
  @Command({ name: 'incrbyfloat', arity: 3, flags: COUNTER_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.6.0', summary: 'Increment the float value of a key by the given amount', complexity: 'O(1)', aclCategories: COUNTER_ACL, ...STRINGS_DOCS.incrbyfloat })
  incrbyfloat(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const old = c.db.lookupWrite(key);
    if (old !== undefined && typeof old !== 'string') {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    const result = addAsLongDouble(old ?? '0', bytesToString(argv[2]));
    if (result === 'not-a-float') {
      c.reply.error(errors.ERR_NOT_FLOAT);
      return;
    }
    if (result === 'nan-or-infinity') {
      c.reply.error(ERR_NAN_OR_INFINITY);
      return;
    }
    c.db.set(key, result, true);
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'incrbyfloat', key);
    c.reply.bulk(result);
    // Replicas and the AOF get the result, so float formatting can never make them diverge.
    c.propagateAs(['SET', argv[1], result, 'KEEPTTL']);
  }
}
