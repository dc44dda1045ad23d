import { Command, CommandModule, NOTIFY, bytesToString, errors, isKeyword, type CommandContext, type KeyReference, type PropagatedArg } from 'redix-server';
import { STRINGS_DOCS } from './strings-docs';
import {
  OPT_EX, OPT_EXAT, OPT_GET, OPT_KEEPTTL, OPT_NX, OPT_PERSIST, OPT_PX, OPT_PXAT, OPT_XX, SYNTAX_ERROR,
  expireIndex, expireTimeOrReply, optionFlags, parseStringOptions,
} from './expire-options';

const STRING = '@string';
const SET_FORM = 'SET';
const PXAT = 'PXAT';

const WRONG_TYPE = 0;
const MISSING = 1;
const FOUND = 2;

/**
 * Replies with a key's string value as GET does (null when missing), or WRONGTYPE when the key
 * holds another type. Returns which of WRONG_TYPE, MISSING, FOUND it was.
 */
function replyValueOrWrongType(c: CommandContext, key: string): number {
  const value = c.db.lookupRead(key);
  if (value === undefined) {
    c.reply.nullBulk();
    return MISSING;
  }
  if (typeof value !== 'string') {
    c.reply.error(errors.ERR_WRONGTYPE);
    return WRONG_TYPE;
  }
  c.reply.bulk(value);
  return FOUND;
}

function isGet(a: Buffer): boolean {
  return a.length === 3 && (a[0] | 0x20) === 0x67 && (a[1] | 0x20) === 0x65 && (a[2] | 0x20) === 0x74;
}

/**
 * What SET, SETNX, SETEX and PSETEX share (Redis's setGenericCommand): validate the expire time,
 * answer GET, honour NX/XX, store, set the TTL. A set with a TTL is propagated as
 * `SET key value PXAT <abs-ms>` so replicas and the AOF replay it deterministically.
 * `integerReply` gives SETNX's 1/0 instead of OK/null.
 */
function setGeneric(c: CommandContext, argv: Buffer[], key: Buffer, value: Buffer, flags: number, expireArg: Buffer | null, command: string, integerReply: boolean): void {
  let expireAt: number | bigint | null = null;
  if (expireArg !== null) {
    expireAt = expireTimeOrReply(c, expireArg, flags, command);
    if (expireAt === null) return;
  }
  const name = bytesToString(key);
  let found = false;
  if ((flags & OPT_GET) !== 0) {
    const old = replyValueOrWrongType(c, name);
    if (old === WRONG_TYPE) return;
    found = old === FOUND;
  } else if ((flags & (OPT_NX | OPT_XX | OPT_KEEPTTL)) !== 0) {
    // The lookup also drops an expired key, so KEEPTTL cannot inherit a TTL that already passed.
    found = c.db.lookupWrite(name) !== undefined;
  }
  if (((flags & OPT_NX) !== 0 && found) || ((flags & OPT_XX) !== 0 && !found)) {
    if ((flags & OPT_GET) !== 0) return;
    if (integerReply) c.reply.integer(0);
    else c.reply.nullBulk();
    return;
  }
  c.db.set(name, bytesToString(value), (flags & OPT_KEEPTTL) !== 0);
  c.notifyKeyspaceEvent(NOTIFY.STRING, 'set', name);
  if (expireAt !== null) {
    c.db.setExpire(name, Number(expireAt));
    c.propagateAs([SET_FORM, key, value, PXAT, String(expireAt)]);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'expire', name);
  } else if ((flags & OPT_GET) !== 0) {
    // Replicas need no GET: propagate the command without it.
    const plain: PropagatedArg[] = [];
    for (let j = 0; j < argv.length; j++) if (j < 3 || !isGet(argv[j])) plain.push(argv[j]);
    c.propagateAs(plain);
  }
  if ((flags & OPT_GET) !== 0) return;
  if (integerReply) c.reply.integer(1);
  else c.reply.ok();
}

/** MSET and MSETNX: store every pair, each with its own "set" event as Redis emits them. */
function setPairs(c: CommandContext, argv: Buffer[]): void {
  for (let j = 1; j < argv.length; j += 2) {
    const key = bytesToString(argv[j]);
    c.db.set(key, bytesToString(argv[j + 1]));
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'set', key);
  }
}

/** SET's key and its flags (its key spec says variable_flags): with GET it reads the old value too. */
function setKeys(argv: readonly Buffer[]): KeyReference[] {
  for (let i = 3; i < argv.length; i++) {
    if (isKeyword(argv[i], 'GET')) return [{ pos: 1, flags: ['RW', 'access', 'update'] }];
  }
  return [{ pos: 1, flags: ['OW', 'update'] }];
}

@CommandModule()
export class GetSetCommands {
  /** GET key */
  @Command({ name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Get the value of a key', complexity: 'O(1)', aclCategories: ['@read', STRING, '@fast'], ...STRINGS_DOCS.get })
  get(c: CommandContext, argv: Buffer[]): void {
    const value = c.db.lookupRead(bytesToString(argv[1]));
    if (value === undefined) c.reply.nullBulk();
    else if (typeof value === 'string') c.reply.bulk(value);
    else c.reply.error(errors.ERR_WRONGTYPE);
  }

  /** SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
  @Command({ name: 'set', arity: -3, flags: ['write', 'denyoom'], getKeys: setKeys, firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Set the string value of a key', complexity: 'O(1)', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.set })
  set(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 3) {
      const key = bytesToString(argv[1]);
      c.db.set(key, bytesToString(argv[2]));
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'set', key);
      c.reply.ok();
      return;
    }
    const parsed = parseStringOptions(argv, 3, true);
    if (parsed === SYNTAX_ERROR) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const at = expireIndex(parsed);
    setGeneric(c, argv, argv[1], argv[2], optionFlags(parsed), at === 0 ? null : argv[at], 'set', false);
  }

  /** SETNX key value */
  @Command({ name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Set the value of a key, only if the key does not exist', complexity: 'O(1)', aclCategories: ['@write', STRING, '@fast'], ...STRINGS_DOCS.setnx })
  setnx(c: CommandContext, argv: Buffer[]): void {
    setGeneric(c, argv, argv[1], argv[2], OPT_NX, null, 'setnx', true);
  }

  /** SETEX key seconds value */
  @Command({ name: 'setex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.0.0', summary: 'Set the value and expiration of a key', complexity: 'O(1)', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.setex })
  setex(c: CommandContext, argv: Buffer[]): void {
    setGeneric(c, argv, argv[1], argv[3], OPT_EX, argv[2], 'setex', false);
  }

  /** PSETEX key milliseconds value */
  @Command({ name: 'psetex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.6.0', summary: 'Set the value and expiration in milliseconds of a key', complexity: 'O(1)', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.psetex })
  psetex(c: CommandContext, argv: Buffer[]): void {
    setGeneric(c, argv, argv[1], argv[3], OPT_PX, argv[2], 'psetex', false);
  }

  /** GETSET key value */
  @Command({ name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Set the string value of a key and return its old value', complexity: 'O(1)', aclCategories: ['@write', STRING, '@fast'], ...STRINGS_DOCS.getset })
  getset(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    if (replyValueOrWrongType(c, key) === WRONG_TYPE) return;
    c.db.set(key, bytesToString(argv[2]));
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'set', key);
    c.propagateAs([SET_FORM, argv[1], argv[2]]);
  }

  /** GETDEL key */
  @Command({ name: 'getdel', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '6.2.0', summary: 'Get the value of a key and delete the key', complexity: 'O(1)', aclCategories: ['@write', STRING, '@fast'], ...STRINGS_DOCS.getdel })
  getdel(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    if (replyValueOrWrongType(c, key) !== FOUND) return;
    c.db.delete(key);
    c.propagateAs(['DEL', argv[1]]);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
  }

  /** GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST] */
  @Command({ name: 'getex', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '6.2.0', summary: 'Get the value of a key and optionally set its expiration', complexity: 'O(1)', aclCategories: ['@write', STRING, '@fast'], ...STRINGS_DOCS.getex })
  getex(c: CommandContext, argv: Buffer[]): void {
    const parsed = parseStringOptions(argv, 2, false);
    if (parsed === SYNTAX_ERROR) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const key = bytesToString(argv[1]);
    const value = c.db.lookupRead(key);
    if (value === undefined) {
      c.reply.nullBulk();
      return;
    }
    if (typeof value !== 'string') {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    const flags = optionFlags(parsed);
    const at = expireIndex(parsed);
    let expireAt: number | bigint | null = null;
    if (at !== 0) {
      expireAt = expireTimeOrReply(c, argv[at], flags, 'getex');
      if (expireAt === null) return;
    }
    c.reply.bulk(value);
    // GETEX is never propagated as is: it becomes DEL, PEXPIREAT or PERSIST.
    if (expireAt !== null) {
      const absolute = (flags & (OPT_EXAT | OPT_PXAT)) !== 0;
      // An absolute time already past deletes the key now (not on a replica or while loading,
      // where the master's own DEL will follow).
      if (absolute && Number(expireAt) <= Date.now() && !c.isMasterLink && !c.server.loading) {
        c.db.delete(key);
        c.propagateAs(['DEL', argv[1]]);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
      } else {
        c.db.setExpire(key, Number(expireAt));
        c.propagateAs(['PEXPIREAT', argv[1], String(expireAt)]);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'expire', key);
      }
    } else if ((flags & OPT_PERSIST) !== 0) {
      if (c.db.persist(key)) {
        c.propagateAs(['PERSIST', argv[1]]);
        c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'persist', key);
      }
    }
  }

  /** MGET key [key ...] */
  @Command({ name: 'mget', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Get the values of all the given keys', complexity: 'O(N) where N is the number of keys to retrieve.', aclCategories: ['@read', STRING, '@fast'], ...STRINGS_DOCS.mget })
  mget(c: CommandContext, argv: Buffer[]): void {
    c.reply.array(argv.length - 1);
    for (let j = 1; j < argv.length; j++) {
      const value = c.db.lookupRead(bytesToString(argv[j]));
      // Unlike GET, a key of another type reads as null rather than an error.
      if (typeof value === 'string') c.reply.bulk(value);
      else c.reply.nullBulk();
    }
  }

  /** MSET key value [key value ...] */
  @Command({ name: 'mset', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 2, group: 'string', since: '1.0.1', summary: 'Set multiple keys to multiple values', complexity: 'O(N) where N is the number of keys to set.', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.mset })
  mset(c: CommandContext, argv: Buffer[]): void {
    if (argv.length % 2 === 0) {
      c.reply.error(errors.errWrongArity('mset'));
      return;
    }
    setPairs(c, argv);
    c.reply.ok();
  }

  /** MSETNX key value [key value ...] */
  @Command({ name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 2, group: 'string', since: '1.0.1', summary: 'Set multiple keys to multiple values, only if none of the keys exist', complexity: 'O(N) where N is the number of keys to set.', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.msetnx })
  msetnx(c: CommandContext, argv: Buffer[]): void {
    if (argv.length % 2 === 0) {
      c.reply.error(errors.errWrongArity('msetnx'));
      return;
    }
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.lookupWrite(bytesToString(argv[j])) !== undefined) {
        c.reply.integer(0);
        return;
      }
    }
    setPairs(c, argv);
    c.reply.integer(1);
  }
}
