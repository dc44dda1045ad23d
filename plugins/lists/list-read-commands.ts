import { Command, CommandModule, bytesToString, errors, isKeyword, type CommandContext } from 'redix-server';
import { lookupListRead } from './list-lookup';
import { parseLongOrReply, replyRange } from './list-ops';
import { LIST_SPECS } from './list-specs';

const ERR_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const ERR_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const ERR_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

/** LLEN, LINDEX, LRANGE, LPOS. */
@CommandModule()
export class ListReadCommands {
  /** LLEN key */
  @Command(LIST_SPECS.llen)
  llen(c: CommandContext, argv: Buffer[]): void {
    const list = lookupListRead(c, bytesToString(argv[1]));
    if (list === null) return;
    c.reply.integer(list === undefined ? 0 : list.length);
  }

  /** LINDEX key index */
  @Command(LIST_SPECS.lindex)
  lindex(c: CommandContext, argv: Buffer[]): void {
    const list = lookupListRead(c, bytesToString(argv[1]));
    if (list === null) return;
    if (list === undefined) {
      c.reply.nullBulk();
      return;
    }
    const index = parseLongOrReply(c, argv[2]);
    if (index === null) return;
    const value = list.get(index);
    if (value === undefined) c.reply.nullBulk();
    else c.reply.bulk(value);
  }

  /** LRANGE key start stop: the indexes are checked before the key, as in Redis. */
  @Command(LIST_SPECS.lrange)
  lrange(c: CommandContext, argv: Buffer[]): void {
    const start = parseLongOrReply(c, argv[2]);
    if (start === null) return;
    const end = parseLongOrReply(c, argv[3]);
    if (end === null) return;
    const list = lookupListRead(c, bytesToString(argv[1]));
    if (list === null) return;
    if (list === undefined) c.reply.array(0);
    else replyRange(c, list, start, end, false);
  }

  /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
  @Command(LIST_SPECS.lpos)
  lpos(c: CommandContext, argv: Buffer[]): void {
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const more = j < argv.length - 1;
      if (more && isKeyword(argv[j], 'RANK')) {
        const n = parseLongOrReply(c, argv[++j]);
        if (n === null) return;
        if (n === 0) {
          c.reply.error(ERR_RANK_ZERO);
          return;
        }
        rank = n;
      } else if (more && isKeyword(argv[j], 'COUNT')) {
        const n = parseLongOrReply(c, argv[++j], ERR_COUNT_NEGATIVE);
        if (n === null) return;
        if (n < 0) {
          c.reply.error(ERR_COUNT_NEGATIVE);
          return;
        }
        count = n;
      } else if (more && isKeyword(argv[j], 'MAXLEN')) {
        const n = parseLongOrReply(c, argv[++j], ERR_MAXLEN_NEGATIVE);
        if (n === null) return;
        if (n < 0) {
          c.reply.error(ERR_MAXLEN_NEGATIVE);
          return;
        }
        maxlen = n;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const fromTail = rank < 0;
    // Redis negates a long: LLONG_MIN stays negative, so every match then counts as "the rank".
    if (fromTail && rank !== -(2 ** 63)) rank = -rank;
    const list = lookupListRead(c, bytesToString(argv[1]));
    if (list === null) return;
    if (list === undefined) {
      if (count !== -1) c.reply.array(0);
      else c.reply.nullBulk();
      return;
    }
    const element = argv[2];
    const len = list.length;
    const limit = maxlen === 0 ? len : Math.min(maxlen, len);
    const found: number[] = [];
    let matches = 0;
    const wanted = count === -1 ? 1 : count;
    // Node by node from the chosen end; `scanned` counts elements passed, as MAXLEN does.
    const nodes = list.nodes;
    let scanned = 0;
    let base = fromTail ? len : 0;
    for (let n = fromTail ? nodes.length - 1 : 0; n >= 0 && n < nodes.length && scanned < limit; fromTail ? n-- : n++) {
      const node = nodes[n];
      if (fromTail) base -= node.count;
      const hits = node.matches(element);
      for (let h = 0; h < hits.length; h++) {
        const k = fromTail ? hits[hits.length - 1 - h] : hits[h];
        // Position k of this node is the (steps)th element scanned from the chosen end.
        const steps = fromTail ? node.count - 1 - k : k;
        if (scanned + steps >= limit) break;
        if (++matches >= rank) {
          found.push(base + k);
          if (wanted !== 0 && found.length >= wanted) break;
        }
      }
      if (wanted !== 0 && found.length >= wanted) break;
      scanned += node.count;
      if (!fromTail) base += node.count;
    }
    if (count !== -1) {
      c.reply.array(found.length);
      for (const i of found) c.reply.integer(i);
    } else if (found.length > 0) {
      c.reply.integer(found[0]);
    } else {
      c.reply.nullBulk();
    }
  }
}
