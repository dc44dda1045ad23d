import {
  Command, CommandModule, NOTIFY, bytesToString, errors, isKeyword, parseInteger, parseTimeoutOrReply,
  type CommandContext, type KeysBlockHandler,
} from 'redix-server';
import { ZSetValue } from './zset-value';
import { ZSETS_DOCS } from './zsets-docs';

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT = 'ERR count should be greater than 0';

/** Reply shapes of the pop family (Redis's genericZpopCommand flags). */
const FLAT = 0;
const NESTED = 1;
const FLAT_WITH_KEY = 2;
const NESTED_WITH_KEY = 3;

/**
 * Pops up to `count` (-1: one, the plain form) members from the min or max end of `zset` at `key`,
 * replying in `shape`; deletes the emptied key. Returns how many were popped.
 */
function popAndReply(c: CommandContext, key: string, zset: ZSetValue, max: boolean, count: number, shape: number): number {
  const n = Math.min(count === -1 ? 1 : count, zset.size);
  if (shape === FLAT) c.reply.array(n * 2);
  else if (shape === NESTED) c.reply.array(n);
  else if (shape === FLAT_WITH_KEY) {
    c.reply.array(n * 2 + 1);
    c.reply.bulk(key);
  } else {
    c.reply.array(2);
    c.reply.bulk(key);
    c.reply.array(n);
  }
  const nested = shape === NESTED || shape === NESTED_WITH_KEY;
  for (let i = 0; i < n; i++) {
    const node = max ? zset.list.tail! : zset.list.first!;
    const member = node.member;
    const score = node.score;
    zset.remove(member);
    if (nested) c.reply.array(2);
    c.reply.bulk(member);
    c.reply.double(score);
  }
  c.notifyKeyspaceEvent(NOTIFY.ZSET, max ? 'zpopmax' : 'zpopmin', key);
  if (zset.size === 0) {
    c.db.delete(key);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    if (n > 1) c.db.markDirty(n - 1);
  } else {
    c.db.markDirty(n);
  }
  return n;
}

/** The non-blocking form replicas and the AOF get for a pop of `n` (count -1: the plain form). */
function propagatePop(c: CommandContext, key: string, max: boolean, count: number, n: number): void {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  c.propagateAs(count === -1 ? [name, key] : [name, key, String(n)]);
}

/** A client blocked in BZPOPMIN/BZPOPMAX/BZMPOP. */
class PopWaiter implements KeysBlockHandler {
  constructor(
    private readonly max: boolean,
    private readonly count: number,
    private readonly shape: number,
  ) {}

  serve(c: CommandContext, key: string): boolean {
    const value = c.db.lookupWrite(key);
    if (!(value instanceof ZSetValue) || value.size === 0) return false;
    const n = popAndReply(c, key, value, this.max, this.count, this.shape);
    propagatePop(c, key, this.max, this.count, n);
    return true;
  }

  timeout(c: CommandContext): void {
    c.reply.nullArray();
  }
}

@CommandModule()
export class ZsetPopCommands {
  /** ZPOPMIN key [count] */
  @Command({ name: 'zpopmin', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '5.0.0', summary: 'Remove and return members with the lowest scores in a sorted set', complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', aclCategories: ['@write', '@sortedset', '@fast'], ...ZSETS_DOCS.zpopmin })
  zpopmin(c: CommandContext, argv: Buffer[]): void {
    this.pop(c, argv, false);
  }

  /** ZPOPMAX key [count] */
  @Command({ name: 'zpopmax', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '5.0.0', summary: 'Remove and return members with the highest scores in a sorted set', complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', aclCategories: ['@write', '@sortedset', '@fast'], ...ZSETS_DOCS.zpopmax })
  zpopmax(c: CommandContext, argv: Buffer[]): void {
    this.pop(c, argv, true);
  }

  private pop(c: CommandContext, argv: Buffer[], max: boolean): void {
    if (argv.length > 3) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    let count = -1;
    if (argv.length === 3) {
      const n = parseInteger(argv[2]);
      if (n === null || n < 0) {
        c.reply.error(ERR_POSITIVE);
        return;
      }
      count = n;
    }
    const key = bytesToString(argv[1]);
    const zset = this.lookup(c, key);
    if (zset === null) return;
    if (zset === undefined || count === 0) {
      c.reply.array(0);
      return;
    }
    // RESP3 nests the pairs when a count is given.
    popAndReply(c, key, zset, max, count, c.reply.protocol === 3 && count !== -1 ? NESTED : FLAT);
  }

  /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
  @Command({ name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], group: 'sorted-set', since: '7.0.0', summary: 'Remove and return members with scores in a sorted set', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zmpop })
  zmpop(c: CommandContext, argv: Buffer[]): void {
    this.mpop(c, argv, 1, false);
  }

  /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
  @Command({ name: 'bzmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], group: 'sorted-set', since: '7.0.0', summary: 'Remove and return members with scores in a sorted set or block until one is available', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', aclCategories: ['@write', '@sortedset', '@slow', '@blocking'], ...ZSETS_DOCS.bzmpop })
  bzmpop(c: CommandContext, argv: Buffer[]): void {
    this.mpop(c, argv, 2, true);
  }

  private mpop(c: CommandContext, argv: Buffer[], numkeysIndex: number, blocking: boolean): void {
    const numkeys = parseInteger(argv[numkeysIndex]);
    if (numkeys === null || numkeys < 1) {
      c.reply.error(ERR_NUMKEYS);
      return;
    }
    const whereIndex = numkeysIndex + numkeys + 1;
    if (whereIndex >= argv.length) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    let max: boolean;
    if (isKeyword(argv[whereIndex], 'MIN')) max = false;
    else if (isKeyword(argv[whereIndex], 'MAX')) max = true;
    else {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    let count = -1;
    for (let j = whereIndex + 1; j < argv.length; j++) {
      if (count === -1 && isKeyword(argv[j], 'COUNT') && j + 1 < argv.length) {
        const n = parseInteger(argv[++j]);
        if (n === null || n < 1) {
          c.reply.error(ERR_COUNT);
          return;
        }
        count = n;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    if (count === -1) count = 1;
    const keys: string[] = [];
    for (let i = 0; i < numkeys; i++) keys.push(bytesToString(argv[numkeysIndex + 1 + i]));
    if (blocking) {
      this.blockingPop(c, argv[1], keys, max, count, NESTED_WITH_KEY);
      return;
    }
    for (const key of keys) {
      const zset = this.lookup(c, key);
      if (zset === null) return;
      if (zset === undefined) continue;
      const n = popAndReply(c, key, zset, max, count, NESTED_WITH_KEY);
      propagatePop(c, key, max, count, n);
      return;
    }
    c.reply.nullArray();
  }

  /** BZPOPMIN key [key ...] timeout */
  @Command({ name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, keyStep: 1, group: 'sorted-set', since: '5.0.0', summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', aclCategories: ['@write', '@sortedset', '@fast', '@blocking'], ...ZSETS_DOCS.bzpopmin })
  bzpopmin(c: CommandContext, argv: Buffer[]): void {
    this.bzpop(c, argv, false);
  }

  /** BZPOPMAX key [key ...] timeout */
  @Command({ name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, keyStep: 1, group: 'sorted-set', since: '5.0.0', summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', aclCategories: ['@write', '@sortedset', '@fast', '@blocking'], ...ZSETS_DOCS.bzpopmax })
  bzpopmax(c: CommandContext, argv: Buffer[]): void {
    this.bzpop(c, argv, true);
  }

  private bzpop(c: CommandContext, argv: Buffer[], max: boolean): void {
    const keys: string[] = [];
    for (let i = 1; i < argv.length - 1; i++) keys.push(bytesToString(argv[i]));
    this.blockingPop(c, argv[argv.length - 1], keys, max, -1, FLAT_WITH_KEY);
  }

  /** Pops from the first non-empty key, or blocks on all of them (Redis's blockingGenericZpopCommand). */
  private blockingPop(c: CommandContext, timeoutArg: Buffer, keys: string[], max: boolean, count: number, shape: number): void {
    const deadline = parseTimeoutOrReply(c, timeoutArg, 'seconds');
    if (deadline === null) return;
    for (const key of keys) {
      const zset = this.lookup(c, key);
      if (zset === null) return;
      if (zset === undefined) continue;
      const n = popAndReply(c, key, zset, max, count, shape);
      propagatePop(c, key, max, count, n);
      return;
    }
    c.blockOnKeys(keys, deadline, new PopWaiter(max, count, shape));
  }

  private lookup(c: CommandContext, key: string): ZSetValue | undefined | null {
    const value = c.db.lookupWrite(key);
    if (value === undefined || value instanceof ZSetValue) return value;
    c.reply.error(errors.ERR_WRONGTYPE);
    return null;
  }
}
