import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, parseInteger,
  type CommandContext, type PropagatedArg, type ServerContext,
} from 'redix-server';
import { ERR_INVALID_ID, U64_MAX, compareIds, formatId, incrId, isZeroId, parseId, parseIdOrReply, type StreamId } from './stream-id';
import { LISTPACK_MAX_SIZE, StreamValue } from './stream-value';
import { StreamNodeLimits, lookupStreamRead, lookupStreamWrite } from './stream-lookup';
import { parseAddOrTrimArgsOrReply, type AddTrimArgs } from './stream-trim-args';
import { STREAMS_DOCS } from './streams-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'stream', since: '5.0.0' } as const;

/** The ID an auto-generated XADD gets: now, or the last ID's successor if the clock is behind (streamNextID). */
function nextId(last: StreamId): StreamId | null {
  const ms = BigInt(Date.now());
  if (ms > last.ms) return { ms, seq: 0n };
  return incrId(last);
}

/**
 * The `~` trim rewritten to be exact for replicas and the AOF (streamRewriteTrimArgument): `=` and
 * the length or first ID (tombstones included) the trim left.
 */
function rewriteApproxTrim(out: PropagatedArg[], s: StreamValue, args: AddTrimArgs): void {
  out[args.thresholdIndex - 1] = '=';
  out[args.thresholdIndex] = args.trim!.strategy === 'maxlen' ? String(s.length) : formatId(s.edgeId(true, false));
}

@CommandModule()
export class StreamWriteCommands {
  private readonly limits: StreamNodeLimits;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new StreamNodeLimits(server.config);
  }

  /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
  @Command({ name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], ...KEY_1, summary: 'Appends a new entry to a stream', complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xadd })
  xadd(c: CommandContext, argv: Buffer[]): void {
    const args = parseAddOrTrimArgsOrReply(c, argv, true, this.limits.maxEntries);
    if (args === null) return;
    const fieldPos = args.idIndex + 1;
    const pairCount = argv.length - fieldPos;
    if (pairCount < 2 || pairCount % 2 === 1) {
      c.reply.error(errors.errWrongArity('xadd'));
      return;
    }
    const given = args.id;
    if (given !== null && args.seqGiven && isZeroId(given)) {
      c.reply.error('ERR The ID specified in XADD must be greater than 0-0');
      return;
    }
    const key = bytesToString(argv[1]);
    let s = lookupStreamWrite(c, key);
    if (s === null) return;
    let created = false;
    if (s === undefined) {
      if (args.noMkStream) {
        c.reply.nullBulk();
        return;
      }
      s = new StreamValue();
      c.db.set(key, s);
      created = true;
    }
    const last = s.lastId;
    if (last.ms === U64_MAX && last.seq === U64_MAX) {
      c.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
      return;
    }
    let id: StreamId | null;
    if (given === null) id = nextId(last);
    else if (args.seqGiven) id = given;
    else if (last.ms === given.ms) {
      if (last.seq === U64_MAX) {
        // streamAppendItem fails without setting errno here: Redis reports the other error.
        c.reply.error('ERR Elements are too large to be stored');
        return;
      }
      id = { ms: given.ms, seq: last.seq + 1n };
    } else id = given;
    if (id === null || compareIds(id, last) <= 0) {
      c.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
      return;
    }
    const pairs = argv.slice(fieldPos);
    let total = 0;
    for (let i = 0; i < pairs.length; i++) total += pairs[i].length;
    if (total > LISTPACK_MAX_SIZE) {
      c.reply.error('ERR Elements are too large to be stored');
      return;
    }
    s.append(id, pairs, this.limits);
    const idText = formatId(id);
    c.reply.bulk(idText);
    if (!created) c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xadd', key);
    let out: PropagatedArg[] | null = null;
    const trim = args.trim;
    if (trim !== null) {
      if (s.trim(trim) > 0) c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xtrim', key);
      if (trim.approx) rewriteApproxTrim((out = argv.slice()), s, args);
    }
    // Replicas and the AOF get the ID this XADD assigned.
    if (given === null || !args.seqGiven) (out ??= argv.slice())[args.idIndex] = idText;
    if (out !== null) c.propagateAs(out);
  }

  /** XDEL key id [id ...] */
  @Command({ name: 'xdel', arity: -3, flags: ['write', 'fast'], ...KEY_1, summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xdel })
  xdel(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const s = lookupStreamWrite(c, key);
    if (s === null) return;
    if (s === undefined) {
      c.reply.integer(0);
      return;
    }
    // Every ID is checked first so the command is all or nothing.
    const ids: StreamId[] = [];
    for (let j = 2; j < argv.length; j++) {
      const id = parseIdOrReply(c.reply, argv[j], 0n, true);
      if (id === null) return;
      ids.push(id);
    }
    let deleted = 0;
    let firstDeleted = false;
    for (const id of ids) {
      if (!s.deleteEntry(id)) continue;
      if (compareIds(id, s.firstId) === 0) firstDeleted = true;
      if (compareIds(id, s.maxDeletedId) > 0) s.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (s.length === 0) s.firstId = { ms: 0n, seq: 0n };
      else if (firstDeleted) s.firstId = s.edgeId(true, true);
      c.db.markDirty(deleted);
      c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xdel', key);
    }
    c.reply.integer(deleted);
  }

  /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
  @Command({ name: 'xtrim', arity: -4, flags: ['write'], ...KEY_1, summary: 'Trims the stream to (approximately if \'~\' is passed) a certain size', complexity: 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.', aclCategories: ['@write', '@stream', '@slow'], ...STREAMS_DOCS.xtrim })
  xtrim(c: CommandContext, argv: Buffer[]): void {
    const args = parseAddOrTrimArgsOrReply(c, argv, false, this.limits.maxEntries);
    if (args === null) return;
    const key = bytesToString(argv[1]);
    const s = lookupStreamWrite(c, key);
    if (s === null) return;
    if (s === undefined) {
      c.reply.integer(0);
      return;
    }
    const deleted = s.trim(args.trim!);
    if (deleted > 0) {
      c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xtrim', key);
      if (args.trim!.approx) {
        const out: PropagatedArg[] = argv.slice();
        rewriteApproxTrim(out, s, args);
        c.propagateAs(out);
      }
      c.db.markDirty(deleted);
    }
    c.reply.integer(deleted);
  }

  /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
  @Command({ name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], ...KEY_1, summary: 'An internal command for replicating stream values', complexity: 'O(1)', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xsetid })
  xsetid(c: CommandContext, argv: Buffer[]): void {
    const id = parseIdOrReply(c.reply, argv[2], 0n, true);
    if (id === null) return;
    let entriesAdded = -1;
    let maxDeleted: StreamId = { ms: 0n, seq: 0n };
    for (let i = 3; i < argv.length; i += 2) {
      const moreArgs = argv.length - 1 - i;
      if (isKeyword(argv[i], 'ENTRIESADDED') && moreArgs > 0) {
        const n = parseInteger(argv[i + 1]);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        if (n < 0) {
          c.reply.error('ERR entries_added must be positive');
          return;
        }
        entriesAdded = n;
      } else if (isKeyword(argv[i], 'MAXDELETEDID') && moreArgs > 0) {
        const parsed = parseId(argv[i + 1].latin1Slice(0, argv[i + 1].length), 0n, true);
        if (parsed === null) {
          c.reply.error(ERR_INVALID_ID);
          return;
        }
        if (compareIds(id, parsed.id) < 0) {
          c.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
          return;
        }
        maxDeleted = parsed.id;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const key = bytesToString(argv[1]);
    const s = lookupStreamWrite(c, key);
    if (s === null) return;
    if (s === undefined) {
      c.reply.error(errors.ERR_NO_SUCH_KEY);
      return;
    }
    if (s.length > 0) {
      if (compareIds(id, s.lastValidId()) < 0) {
        c.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
        return;
      }
      if (entriesAdded !== -1 && s.length > entriesAdded) {
        c.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
        return;
      }
    }
    s.lastId = id;
    if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
    if (!isZeroId(maxDeleted)) s.maxDeletedId = maxDeleted;
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xsetid', key);
    c.reply.ok();
  }

  /** XLEN key */
  @Command({ name: 'xlen', arity: 2, flags: ['readonly', 'fast'], ...KEY_1, summary: 'Return the number of entries in a stream', complexity: 'O(1)', aclCategories: ['@read', '@stream', '@fast'], ...STREAMS_DOCS.xlen })
  xlen(c: CommandContext, argv: Buffer[]): void {
    const s = lookupStreamRead(c, bytesToString(argv[1]));
    if (s === null) return;
    c.reply.integer(s === undefined ? 0 : s.length);
  }
}
