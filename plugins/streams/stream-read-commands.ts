import {
  Command, CommandModule, bytesToString, errors, isKeyword, parseInteger, parseTimeoutOrReply,
  type CommandContext, type KeysBlockHandler,
} from 'redix-server';
import { ERR_INVALID_ID, MAX_ID, ZERO_ID, compareIds, incrId, parseId, type StreamId } from './stream-id';
import { StreamValue } from './stream-value';
import type { ConsumerGroup } from './stream-group';
import { lookupOrCreateConsumer, propagateConsumerCreation, replyConsumerHistory, replyNewEntries } from './stream-delivery';
import { STREAMS_DOCS } from './streams-docs';

/** A blocked read without COUNT is served at most this many entries (XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

/** The `>` of XREADGROUP, kept as the maximum ID as Redis does. */
function isNewOnly(id: StreamId): boolean {
  return compareIds(id, MAX_ID) === 0;
}

/** What a blocked XREAD/XREADGROUP waits for: per key the ID to read past, and the group side. */
class StreamWaiter implements KeysBlockHandler {
  constructor(
    private readonly ids: Map<string, StreamId>,
    private readonly count: number,
    private readonly groupName: string | null,
    private readonly consumerName: string,
    private readonly noAck: boolean,
  ) {}

  serve(c: CommandContext, key: string): boolean {
    const value = c.db.peek(key);
    let group: ConsumerGroup | undefined;
    let gt = this.ids.get(key)!;
    if (this.groupName !== null) {
      // A group read depends on the key and its group: either gone ends the wait with an error.
      if (!(value instanceof StreamValue)) {
        c.reply.error('UNBLOCKED the stream key no longer exists');
        return true;
      }
      group = value.groups?.get(this.groupName);
      if (group === undefined) {
        c.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return true;
      }
      gt = group.lastId;
    } else if (!(value instanceof StreamValue)) {
      return false;
    }
    if (compareIds(value.lastId, gt) <= 0) return false;
    const start = incrId(gt)!;
    const now = Date.now();
    c.preventPropagation();
    if (c.reply.protocol === 2) {
      c.reply.array(1);
      c.reply.array(2);
    } else {
      c.reply.map(1);
    }
    c.reply.bulk(key);
    if (group === undefined) {
      replyNewEntries(c, value, start, this.count, null, now);
      return true;
    }
    c.db.lookupWrite(key);
    const { consumer, created } = lookupOrCreateConsumer(c, key, group, this.consumerName, now);
    if (created && this.noAck) propagateConsumerCreation(c, key, this.groupName!, this.consumerName);
    replyNewEntries(c, value, start, this.count, { key, groupName: this.groupName!, group, consumer, noAck: this.noAck }, now);
    c.db.markDirty();
    return true;
  }

  timeout(c: CommandContext): void {
    c.reply.nullArray();
  }
}

@CommandModule()
export class StreamReadCommands {
  /** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
  @Command({ name: 'xread', arity: -4, flags: ['readonly', 'blocking', 'movablekeys'], group: 'stream', since: '5.0.0', summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', complexity: 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.', aclCategories: ['@read', '@stream', '@slow', '@blocking'], ...STREAMS_DOCS.xread })
  xread(c: CommandContext, argv: Buffer[]): void {
    readGeneric(c, argv, false);
  }

  /** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
  @Command({ name: 'xreadgroup', arity: -7, flags: ['write', 'blocking', 'movablekeys'], group: 'stream', since: '5.0.0', summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', complexity: 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.', aclCategories: ['@write', '@stream', '@slow', '@blocking'], ...STREAMS_DOCS.xreadgroup })
  xreadgroup(c: CommandContext, argv: Buffer[]): void {
    readGeneric(c, argv, true);
  }
}

/** xreadCommand: parse, serve what is there, else block (or reply nil). */
function readGeneric(c: CommandContext, argv: Buffer[], xreadgroup: boolean): void {
  // The command is propagated as the XCLAIMs / XGROUP SETIDs it generates, never as itself.
  c.preventPropagation();
  let deadline = -1;
  let count = 0;
  let streamsArg = 0;
  let streamCount = 0;
  let noAck = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const o = argv[i];
    if (isKeyword(o, 'BLOCK') && moreArgs > 0) {
      if (c.isInternal && !c.isMasterLink) {
        c.reply.error(`ERR ${bytesToString(argv[0])} command is not allowed with BLOCK option from scripts`);
        return;
      }
      i++;
      const d = parseTimeoutOrReply(c, argv[i], 'milliseconds');
      if (d === null) return;
      deadline = d;
    } else if (isKeyword(o, 'COUNT') && moreArgs > 0) {
      i++;
      const n = parseInteger(argv[i]);
      if (n === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      count = n < 0 ? 0 : n;
    } else if (isKeyword(o, 'STREAMS') && moreArgs > 0) {
      streamsArg = i + 1;
      streamCount = argv.length - streamsArg;
      if (streamCount % 2 !== 0) {
        c.reply.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        return;
      }
      streamCount /= 2;
      break;
    } else if (isKeyword(o, 'GROUP') && moreArgs >= 2) {
      if (!xreadgroup) {
        c.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      groupName = bytesToString(argv[i + 1]);
      consumerName = bytesToString(argv[i + 2]);
      i += 2;
    } else if (isKeyword(o, 'NOACK')) {
      if (!xreadgroup) {
        c.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      noAck = true;
    } else {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
  }
  if (streamsArg === 0) {
    c.reply.error(errors.ERR_SYNTAX);
    return;
  }
  if (xreadgroup && groupName === null) {
    c.reply.error('ERR Missing GROUP option for XREADGROUP');
    return;
  }
  const keys: string[] = [];
  const ids: StreamId[] = [];
  const groups: (ConsumerGroup | null)[] = [];
  for (let i = streamsArg + streamCount; i < argv.length; i++) {
    const key = bytesToString(argv[i - streamCount]);
    keys.push(key);
    const o = c.db.lookupRead(key);
    if (o !== undefined && !(o instanceof StreamValue)) {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    let group: ConsumerGroup | null = null;
    if (groupName !== null) {
      group = o?.groups?.get(groupName) ?? null;
      if (group === null) {
        c.reply.error(`NOGROUP No such key '${cString(key)}' or consumer group '${cString(groupName)}' in XREADGROUP with GROUP option`);
        return;
      }
    }
    groups.push(group);
    const arg = argv[i];
    if (arg.length === 1 && arg[0] === 36) {
      if (xreadgroup) {
        c.reply.error('ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
        return;
      }
      ids.push(o !== undefined ? o.lastId : ZERO_ID);
      continue;
    }
    if (arg.length === 1 && arg[0] === 62) {
      if (!xreadgroup) {
        c.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return;
      }
      ids.push(MAX_ID);
      continue;
    }
    const parsed = parseId(bytesToString(arg), 0n, true);
    if (parsed === null) {
      c.reply.error(ERR_INVALID_ID);
      return;
    }
    ids.push(parsed.id);
  }
  // Which streams can be served now, and from where.
  const serve: { index: number; start: StreamId; history: boolean }[] = [];
  for (let i = 0; i < streamCount; i++) {
    const o = c.db.peek(keys[i]);
    if (!(o instanceof StreamValue)) continue;
    const gt = ids[i];
    const group = groups[i];
    if (group !== null) {
      if (!isNewOnly(gt)) serve.push({ index: i, start: gt, history: true });
      else if (o.length > 0 && compareIds(o.lastValidId(), group.lastId) > 0) serve.push({ index: i, start: group.lastId, history: false });
    } else if (o.length > 0 && compareIds(o.lastValidId(), gt) > 0) {
      serve.push({ index: i, start: gt, history: false });
    }
  }
  if (serve.length > 0) {
    const now = Date.now();
    if (c.reply.protocol === 2) c.reply.array(serve.length);
    else c.reply.map(serve.length);
    for (const { index, start, history } of serve) {
      const key = keys[index];
      const s = c.db.peek(key) as StreamValue;
      if (c.reply.protocol === 2) c.reply.array(2);
      c.reply.bulk(key);
      const group = groups[index];
      if (group === null) {
        replyNewEntries(c, s, incrId(start) ?? start, count, null, now);
        continue;
      }
      c.db.lookupWrite(key);
      const { consumer, created } = lookupOrCreateConsumer(c, key, group, consumerName, now);
      if (created && noAck) propagateConsumerCreation(c, key, groupName!, consumerName);
      if (history) replyConsumerHistory(c, s, incrId(start) ?? start, count, consumer, now);
      else replyNewEntries(c, s, incrId(start)!, count, { key, groupName: groupName!, group, consumer, noAck }, now);
      c.db.markDirty();
    }
    return;
  }
  if (deadline !== -1) {
    if (c.blockingDenied) {
      c.reply.nullArray();
      return;
    }
    const waitIds = new Map<string, StreamId>();
    for (let i = 0; i < keys.length; i++) if (!waitIds.has(keys[i])) waitIds.set(keys[i], ids[i]);
    c.blockOnKeys([...waitIds.keys()], deadline, new StreamWaiter(waitIds, count !== 0 ? count : BLOCKED_DEFAULT_COUNT, groupName, consumerName, noAck));
    return;
  }
  c.reply.nullArray();
}

/** A name as Redis's %s prints it: up to its first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
