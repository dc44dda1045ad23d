import { Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, parseInteger, type CommandContext, type ConfigStore } from 'redix-server';
import { StringLimits } from './string-limits';
import { STRINGS_DOCS } from './strings-docs';

const STRING = '@string';
const GETRANGE_COMPLEXITY = 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

/** GETRANGE and SUBSTR: inclusive range with negative indexes counted from the end, clamped. */
function getRange(c: CommandContext, argv: Buffer[]): void {
  let start = parseInteger(argv[2]);
  let end = parseInteger(argv[3]);
  if (start === null || end === null) {
    c.reply.error(errors.ERR_NOT_INTEGER);
    return;
  }
  const value = c.db.lookupRead(bytesToString(argv[1]));
  if (value === undefined) {
    c.reply.bulk('');
    return;
  }
  if (typeof value !== 'string') {
    c.reply.error(errors.ERR_WRONGTYPE);
    return;
  }
  const length = value.length;
  // Why: Redis answers "" for two negative indexes in reverse order before clamping, but clamps
  // other out-of-range pairs to the ends (so "-100 -50" on "Hello" gives "H").
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) c.reply.bulk('');
  else c.reply.bulk(value.slice(start, end + 1));
}

/** Written by appendFlattened so the engine cannot drop the read that flattens. */
const flattening = { sink: 0 };

/**
 * old + piece, flattened now and then. V8 joins strings lazily into a rope (about 32 bytes a
 * node), so a key grown by many small APPENDs would cost many times its size. Reading a character
 * flattens a rope in place; doing it each time the length crosses a step of max(4 KB, 1/8 of the
 * current size) keeps memory near the data size while the copying stays O(1) amortized per byte.
 */
function appendFlattened(old: string, piece: string): string {
  const joined = old + piece;
  const step = Math.max(4096, 2 ** Math.floor(Math.log2(old.length + 1)) / 8);
  if (Math.floor(joined.length / step) !== Math.floor(old.length / step)) flattening.sink = joined.charCodeAt(0);
  return joined;
}

@CommandModule()
export class RangeCommands {
  private readonly limits: StringLimits;

  constructor(@inject(TOKENS.Config) config: ConfigStore) {
    this.limits = new StringLimits(config);
  }

  /** APPEND key value */
  @Command({ name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.0.0', summary: 'Append a value to a key', complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.', aclCategories: ['@write', STRING, '@fast'], ...STRINGS_DOCS.append })
  append(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const old = c.db.lookupWrite(key);
    if (old === undefined) {
      c.db.set(key, bytesToString(argv[2]));
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'append', key);
      c.reply.integer(argv[2].length);
      return;
    }
    if (typeof old !== 'string') {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    const length = old.length + argv[2].length;
    if (!this.limits.lengthOkOrReply(c, length)) return;
    c.db.set(key, appendFlattened(old, bytesToString(argv[2])), true);
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'append', key);
    c.reply.integer(length);
  }

  /** STRLEN key */
  @Command({ name: 'strlen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.2.0', summary: 'Get the length of the value stored in a key', complexity: 'O(1)', aclCategories: ['@read', STRING, '@fast'], ...STRINGS_DOCS.strlen })
  strlen(c: CommandContext, argv: Buffer[]): void {
    const value = c.db.lookupRead(bytesToString(argv[1]));
    if (value === undefined) c.reply.integer(0);
    else if (typeof value === 'string') c.reply.integer(value.length);
    else c.reply.error(errors.ERR_WRONGTYPE);
  }

  /** GETRANGE key start end */
  @Command({ name: 'getrange', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.4.0', summary: 'Get a substring of the string stored at a key', complexity: GETRANGE_COMPLEXITY, aclCategories: ['@read', STRING, '@slow'], ...STRINGS_DOCS.getrange })
  getrange(c: CommandContext, argv: Buffer[]): void {
    getRange(c, argv);
  }

  /** SUBSTR key start end */
  @Command({ name: 'substr', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '1.0.0', summary: 'Get a substring of the string stored at a key', complexity: GETRANGE_COMPLEXITY, aclCategories: ['@read', STRING, '@slow'], ...STRINGS_DOCS.substr })
  substr(c: CommandContext, argv: Buffer[]): void {
    getRange(c, argv);
  }

  /** SETRANGE key offset value */
  @Command({ name: 'setrange', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'string', since: '2.2.0', summary: 'Overwrite part of a string at key starting at the specified offset', complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.', aclCategories: ['@write', STRING, '@slow'], ...STRINGS_DOCS.setrange })
  setrange(c: CommandContext, argv: Buffer[]): void {
    const offset = parseInteger(argv[2]);
    if (offset === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (offset < 0) {
      c.reply.error('ERR offset is out of range');
      return;
    }
    const key = bytesToString(argv[1]);
    const patch = argv[3];
    const old = c.db.lookupWrite(key);
    if (old === undefined) {
      // Setting nothing on a missing key creates nothing, whatever the offset.
      if (patch.length === 0) {
        c.reply.integer(0);
        return;
      }
      if (!this.limits.lengthOkOrReply(c, offset + patch.length)) return;
      c.db.set(key, '\0'.repeat(offset) + bytesToString(patch));
      c.notifyKeyspaceEvent(NOTIFY.STRING, 'setrange', key);
      c.reply.integer(offset + patch.length);
      return;
    }
    if (typeof old !== 'string') {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    if (patch.length === 0) {
      c.reply.integer(old.length);
      return;
    }
    if (!this.limits.lengthOkOrReply(c, offset + patch.length)) return;
    const text = bytesToString(patch);
    const updated = offset >= old.length
      ? old + '\0'.repeat(offset - old.length) + text
      : old.slice(0, offset) + text + old.slice(offset + text.length);
    c.db.set(key, updated, true);
    c.notifyKeyspaceEvent(NOTIFY.STRING, 'setrange', key);
    c.reply.integer(updated.length);
  }
}
