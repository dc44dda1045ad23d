import { isKeyword, parseInteger, type CommandContext } from 'redix-server';
import { ERR_INVALID_ID, ZERO_ID, parseId, type StreamId } from './stream-id';
import type { TrimArgs } from './stream-value';
import { mustObey } from './stream-lookup';

const ERR_MAXLEN_MINID = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';

/** XADD/XTRIM options as streamParseAddOrTrimArgsOrReply reads them. */
export interface AddTrimArgs {
  trim: TrimArgs | null;
  /** argv index of the MAXLEN/MINID threshold, for the `~` rewrite. */
  thresholdIndex: number;
  noMkStream: boolean;
  /** XADD: the ID given (null for `*`), and whether its sequence was given (`ms-*` leaves it). */
  id: StreamId | null;
  seqGiven: boolean;
  /** XADD: argv index of the ID. */
  idIndex: number;
}

/** Parses the options; null after replying an error. */
export function parseAddOrTrimArgsOrReply(c: CommandContext, argv: Buffer[], xadd: boolean, maxEntriesConfig: number): AddTrimArgs | null {
  const args: AddTrimArgs = { trim: null, thresholdIndex: 0, noMkStream: false, id: null, seqGiven: true, idIndex: 0 };
  let limit = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt.length === 1 && opt[0] === 42) break;
    const maxlen = isKeyword(opt, 'MAXLEN');
    if ((maxlen || isKeyword(opt, 'MINID')) && moreArgs > 0) {
      if (args.trim !== null) {
        c.reply.error(ERR_MAXLEN_MINID);
        return null;
      }
      let approx = false;
      const next = argv[i + 1];
      if (moreArgs >= 2 && next.length === 1 && next[0] === 126) {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && next.length === 1 && next[0] === 61) {
        i++;
      }
      const threshold = argv[i + 1];
      const trim: TrimArgs = { strategy: maxlen ? 'maxlen' : 'minid', maxLen: 0, minId: ZERO_ID, approx, limit: 0 };
      if (maxlen) {
        const n = parseInteger(threshold);
        if (n === null) {
          c.reply.error('ERR value is not an integer or out of range');
          return null;
        }
        if (n < 0) {
          c.reply.error('ERR The MAXLEN argument must be >= 0.');
          return null;
        }
        trim.maxLen = n;
      } else {
        const parsed = parseId(threshold.latin1Slice(0, threshold.length), 0n, true);
        if (parsed === null) {
          c.reply.error(ERR_INVALID_ID);
          return null;
        }
        trim.minId = parsed.id;
      }
      i++;
      args.trim = trim;
      args.thresholdIndex = i;
    } else if (isKeyword(opt, 'LIMIT') && moreArgs > 0) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) {
        c.reply.error('ERR value is not an integer or out of range');
        return null;
      }
      if (n < 0) {
        c.reply.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && isKeyword(opt, 'NOMKSTREAM')) {
      args.noMkStream = true;
    } else if (xadd) {
      const parsed = parseId(opt.latin1Slice(0, opt.length), 0n, true, true);
      if (parsed === null) {
        c.reply.error(ERR_INVALID_ID);
        return null;
      }
      args.id = parsed.id;
      args.seqGiven = parsed.seqGiven;
      break;
    } else {
      c.reply.error('ERR syntax error');
      return null;
    }
  }
  args.idIndex = i;
  if (limit !== 0 && args.trim === null) {
    c.reply.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && args.trim === null) {
    c.reply.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  const trim = args.trim;
  if (mustObey(c)) {
    // What a master or the AOF sends was rewritten to be exact: no work limit.
    if (trim !== null) trim.limit = 0;
  } else if (limitGiven) {
    if (trim === null || !trim.approx) {
      c.reply.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
    trim.limit = limit;
  } else if (trim !== null && trim.approx) {
    // At most 100 nodes' worth of work per call, capped both ways as Redis does.
    let l = 100 * maxEntriesConfig;
    if (l <= 0) l = 10000;
    if (l > 1000000) l = 1000000;
    trim.limit = l;
  }
  return args;
}
