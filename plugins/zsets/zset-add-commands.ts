import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, keywordOf,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { ZSetValue } from './zset-value';
import { ZsetLimits, commitZsetWrite, lookupZsetWrite } from './zset-lookup';
import { ERR_NAN_SCORE, parseScore } from './zset-args';
import { ZSETS_DOCS } from './zsets-docs';

const ERR_INCR_PAIR = 'ERR INCR option supports a single increment-element pair';
const ERR_XX_NX = 'ERR XX and NX options at the same time are not compatible';
const ERR_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const CH = 16;
const INCR = 32;

/** A listpack stores integral scores as integers (double2ll): -0 comes back as 0. */
function listpackScore(score: number): number {
  return score === 0 ? 0 : score;
}

@CommandModule()
export class ZsetAddCommands {
  private readonly limits: ZsetLimits;
  private scores: number[] = [];

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new ZsetLimits(server.config);
  }

  /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
  @Command({ name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Add one or more members to a sorted set, or update its score if it already exists', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', aclCategories: ['@write', '@sortedset', '@fast'], ...ZSETS_DOCS.zadd })
  zadd(c: CommandContext, argv: Buffer[]): void {
    this.add(c, argv, 0);
  }

  /** ZINCRBY key increment member */
  @Command({ name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Increment the score of a member in a sorted set', complexity: 'O(log(N)) where N is the number of elements in the sorted set.', aclCategories: ['@write', '@sortedset', '@fast'], ...ZSETS_DOCS.zincrby })
  zincrby(c: CommandContext, argv: Buffer[]): void {
    this.add(c, argv, INCR);
  }

  /** ZADD's engine (Redis's zaddGenericCommand): options, then every score, then the writes. */
  private add(c: CommandContext, argv: Buffer[], flags: number): void {
    let idx = 2;
    for (; idx < argv.length; idx++) {
      const word = argv[idx].length <= 4 ? keywordOf(argv[idx]) : '';
      if (word === 'NX') flags |= NX;
      else if (word === 'XX') flags |= XX;
      else if (word === 'CH') flags |= CH;
      else if (word === 'INCR') flags |= INCR;
      else if (word === 'GT') flags |= GT;
      else if (word === 'LT') flags |= LT;
      else break;
    }
    const elements = argv.length - idx;
    if (elements % 2 !== 0 || elements === 0) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const pairs = elements / 2;
    if ((flags & INCR) !== 0 && pairs > 1) {
      c.reply.error(ERR_INCR_PAIR);
      return;
    }
    if ((flags & NX) !== 0 && (flags & XX) !== 0) {
      c.reply.error(ERR_XX_NX);
      return;
    }
    if (((flags & NX) !== 0 && (flags & (GT | LT)) !== 0) || (flags & (GT | LT)) === (GT | LT)) {
      c.reply.error(ERR_GT_LT_NX);
      return;
    }
    const scores = this.scores;
    scores.length = pairs;
    for (let j = 0; j < pairs; j++) {
      const score = parseScore(argv[idx + 2 * j]);
      if (score === null) {
        c.reply.error(errors.ERR_NOT_FLOAT);
        return;
      }
      scores[j] = score;
    }
    const key = bytesToString(argv[1]);
    const found = lookupZsetWrite(c, key);
    if (found === null) return;
    const incr = (flags & INCR) !== 0;
    if (found === undefined && (flags & XX) !== 0) {
      if (incr) c.reply.nullBulk();
      else c.reply.integer(0);
      return;
    }
    const zset = found ?? new ZSetValue();
    const { maxEntries, maxValue } = this.limits;
    let added = 0;
    let updated = 0;
    let processed = 0;
    let result = 0;
    for (let j = 0; j < pairs; j++) {
      let score = scores[j];
      const member = bytesToString(argv[idx + 2 * j + 1]);
      const node = zset.dict.get(member);
      if (node !== undefined) {
        if ((flags & NX) !== 0) continue;
        const current = node.score;
        if (incr) {
          score += current;
          if (Number.isNaN(score)) {
            commitZsetWrite(c, key, zset, found === undefined, added + updated);
            c.reply.error(ERR_NAN_SCORE);
            return;
          }
        }
        if (((flags & LT) !== 0 && score >= current) || ((flags & GT) !== 0 && score <= current)) continue;
        processed++;
        result = score;
        if (score !== current) {
          zset.dict.set(member, zset.list.updateScore(node, zset.skiplist ? score : listpackScore(score)));
          updated++;
        }
      } else if ((flags & XX) === 0) {
        // Redis converts before inserting: a member that outgrows the listpack goes in the skiplist.
        zset.noteMember(zset.size + 1, member.length, maxEntries, maxValue);
        zset.insertNew(member, zset.skiplist ? score : listpackScore(score));
        added++;
        processed++;
        result = score;
      }
    }
    const changes = added + updated;
    commitZsetWrite(c, key, zset, found === undefined, changes);
    if (changes > 0) c.notifyKeyspaceEvent(NOTIFY.ZSET, incr ? 'zincr' : 'zadd', key);
    if (incr) {
      if (processed > 0) c.reply.double(result);
      else c.reply.nullBulk();
    } else {
      c.reply.integer((flags & CH) !== 0 ? changes : added);
    }
  }

  /** ZREM key member [member ...] */
  @Command({ name: 'zrem', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '1.2.0', summary: 'Remove one or more members from a sorted set', complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', aclCategories: ['@write', '@sortedset', '@fast'], ...ZSETS_DOCS.zrem })
  zrem(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const zset = lookupZsetWrite(c, key);
    if (zset === null) return;
    if (zset === undefined) {
      c.reply.integer(0);
      return;
    }
    let deleted = 0;
    for (let i = 2; i < argv.length; i++) {
      if (zset.remove(bytesToString(argv[i]))) deleted++;
      if (zset.size === 0) break;
    }
    if (deleted > 0) {
      commitZsetWrite(c, key, zset, false, deleted);
      c.notifyKeyspaceEvent(NOTIFY.ZSET, 'zrem', key);
      if (zset.size === 0) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    }
    c.reply.integer(deleted);
  }
}
