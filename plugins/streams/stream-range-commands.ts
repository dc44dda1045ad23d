import { Command, CommandModule, bytesToString, errors, isKeyword, parseInteger, type CommandContext } from 'redix-server';
import { U64_MAX, decrId, incrId, parseIntervalIdOrReply } from './stream-id';
import { lookupStreamRead } from './stream-lookup';
import { replyRange } from './stream-reply';
import { STREAMS_DOCS } from './streams-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'stream', since: '5.0.0', flags: ['readonly'], aclCategories: ['@read', '@stream', '@slow'] } as const;

@CommandModule()
export class StreamRangeCommands {
  /** XRANGE key start end [COUNT count] */
  @Command({ name: 'xrange', arity: -4, ...KEY_1, summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', complexity: 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', ...STREAMS_DOCS.xrange })
  xrange(c: CommandContext, argv: Buffer[]): void {
    rangeGeneric(c, argv, false);
  }

  /** XREVRANGE key end start [COUNT count] */
  @Command({ name: 'xrevrange', arity: -4, ...KEY_1, summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE', complexity: 'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', ...STREAMS_DOCS.xrevrange })
  xrevrange(c: CommandContext, argv: Buffer[]): void {
    rangeGeneric(c, argv, true);
  }
}

/** xrangeGenericCommand: incomplete start IDs get sequence 0, incomplete ends the maximum. */
function rangeGeneric(c: CommandContext, argv: Buffer[], rev: boolean): void {
  const startArg = parseIntervalIdOrReply(c.reply, rev ? argv[3] : argv[2], 0n);
  if (startArg === null) return;
  let start = startArg.id;
  if (startArg.exclusive) {
    const next = incrId(start);
    if (next === null) {
      c.reply.error('ERR invalid start ID for the interval');
      return;
    }
    start = next;
  }
  const endArg = parseIntervalIdOrReply(c.reply, rev ? argv[2] : argv[3], U64_MAX);
  if (endArg === null) return;
  let end = endArg.id;
  if (endArg.exclusive) {
    const prev = decrId(end);
    if (prev === null) {
      c.reply.error('ERR invalid end ID for the interval');
      return;
    }
    end = prev;
  }
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isKeyword(argv[j], 'COUNT') && j + 1 < argv.length) {
      const n = parseInteger(argv[j + 1]);
      if (n === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      count = n < 0 ? 0 : n;
      j++;
    } else {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
  }
  const s = lookupStreamRead(c, bytesToString(argv[1]));
  if (s === null) return;
  if (s === undefined) {
    c.reply.array(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  replyRange(c, s.iterate(start, end, rev), count === -1 ? 0 : count);
}
