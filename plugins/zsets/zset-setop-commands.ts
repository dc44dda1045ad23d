import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, parseInteger,
  type CommandContext, type ServerContext, type StoredValue,
} from 'redix-server';
import { ZSetValue } from './zset-value';
import { ZsetLimits } from './zset-lookup';
import { parseScore } from './zset-args';
import { ZSETS_DOCS } from './zsets-docs';

const UNION = 0;
const INTER = 1;
const DIFF = 2;
const SUM = 0;
const MIN = 1;
const MAX = 2;

/** One input: a sorted set, or a plain set whose members all score 1. */
interface Source {
  zset: ZSetValue | null;
  set: Set<string> | null;
  size: number;
  weight: number;
}

function has(src: Source, member: string): number | undefined {
  if (src.zset !== null) return src.zset.score(member);
  return src.set !== null && src.set.has(member) ? 1 : undefined;
}

function* entries(src: Source): IterableIterator<[string, number]> {
  if (src.zset !== null) {
    // From the highest score down, as Redis's zuiNext (the order sums are made in).
    for (let n = src.zset.list.tail; n !== null; n = n.backward) yield [n.member, n.score];
  } else if (src.set !== null) {
    for (const m of src.set) yield [m, 1];
  }
}

/** Redis's zunionInterAggregate: inf + -inf sums to 0, not NaN. */
function aggregate(target: number, value: number, how: number): number {
  if (how === SUM) {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === MIN) return value < target ? value : target;
  return value > target ? value : target;
}

@CommandModule()
export class ZsetSetopCommands {
  private readonly limits: ZsetLimits;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {
    this.limits = new ZsetLimits(server.config);
  }

  /** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
  @Command({ name: 'zunion', arity: -3, flags: ['readonly', 'movablekeys'], group: 'sorted-set', since: '6.2.0', summary: 'Add multiple sorted sets', complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zunion })
  zunion(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, null, 1, UNION, false, 'zunion');
  }

  /** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
  @Command({ name: 'zinter', arity: -3, flags: ['readonly', 'movablekeys'], group: 'sorted-set', since: '6.2.0', summary: 'Intersect multiple sorted sets', complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zinter })
  zinter(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, null, 1, INTER, false, 'zinter');
  }

  /** ZDIFF numkeys key [key ...] [WITHSCORES] */
  @Command({ name: 'zdiff', arity: -3, flags: ['readonly', 'movablekeys'], group: 'sorted-set', since: '6.2.0', summary: 'Subtract multiple sorted sets', complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zdiff })
  zdiff(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, null, 1, DIFF, false, 'zdiff');
  }

  /** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
  @Command({ name: 'zunionstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zunionstore })
  zunionstore(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, bytesToString(argv[1]), 2, UNION, false, 'zunionstore');
  }

  /** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
  @Command({ name: 'zinterstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '2.0.0', summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zinterstore })
  zinterstore(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, bytesToString(argv[1]), 2, INTER, false, 'zinterstore');
  }

  /** ZDIFFSTORE destination numkeys key [key ...] */
  @Command({ name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'sorted-set', since: '6.2.0', summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', aclCategories: ['@write', '@sortedset', '@slow'], ...ZSETS_DOCS.zdiffstore })
  zdiffstore(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, bytesToString(argv[1]), 2, DIFF, false, 'zdiffstore');
  }

  /** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
  @Command({ name: 'zintercard', arity: -3, flags: ['readonly', 'movablekeys'], group: 'sorted-set', since: '7.0.0', summary: 'Intersect multiple sorted sets and return the cardinality of the result', complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', aclCategories: ['@read', '@sortedset', '@slow'], ...ZSETS_DOCS.zintercard })
  zintercard(c: CommandContext, argv: Buffer[]): void {
    this.run(c, argv, null, 1, INTER, true, 'zintercard');
  }

  private source(value: StoredValue | undefined): Source | null | undefined {
    if (value === undefined) return { zset: null, set: null, size: 0, weight: 1 };
    if (value instanceof ZSetValue) return { zset: value, set: null, size: value.size, weight: 1 };
    if (typeof value !== 'string' && value.type === 'set') {
      const spec = this.server.dataTypes.get('set');
      const members = new Set<string>(spec?.sortElements?.(value) ?? []);
      return { zset: null, set: members, size: members.size, weight: 1 };
    }
    return null;
  }

  /** Redis's zunionInterDiffGenericCommand. */
  private run(c: CommandContext, argv: Buffer[], dst: string | null, numkeysIndex: number, op: number, cardOnly: boolean, name: string): void {
    const setnum = parseInteger(argv[numkeysIndex]);
    if (setnum === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (setnum < 1) {
      c.reply.error(`ERR at least 1 input key is needed for '${name}' command`);
      return;
    }
    if (setnum > argv.length - (numkeysIndex + 1)) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const srcs: Source[] = [];
    let j = numkeysIndex + 1;
    for (let i = 0; i < setnum; i++, j++) {
      const src = this.source(c.db.lookupRead(bytesToString(argv[j])));
      if (src === null || src === undefined) {
        c.reply.error(errors.ERR_WRONGTYPE);
        return;
      }
      srcs.push(src);
    }
    let how = SUM;
    let withScores = false;
    let limit = 0;
    while (j < argv.length) {
      const remaining = argv.length - j;
      if (op !== DIFF && !cardOnly && remaining >= setnum + 1 && isKeyword(argv[j], 'WEIGHTS')) {
        j++;
        for (let i = 0; i < setnum; i++, j++) {
          const w = parseScore(argv[j]);
          if (w === null) {
            c.reply.error('ERR weight value is not a float');
            return;
          }
          srcs[i].weight = w;
        }
      } else if (op !== DIFF && !cardOnly && remaining >= 2 && isKeyword(argv[j], 'AGGREGATE')) {
        const a = argv[j + 1];
        if (isKeyword(a, 'SUM')) how = SUM;
        else if (isKeyword(a, 'MIN')) how = MIN;
        else if (isKeyword(a, 'MAX')) how = MAX;
        else {
          c.reply.error(errors.ERR_SYNTAX);
          return;
        }
        j += 2;
      } else if (dst === null && !cardOnly && isKeyword(argv[j], 'WITHSCORES')) {
        withScores = true;
        j++;
      } else if (cardOnly && remaining >= 2 && isKeyword(argv[j], 'LIMIT')) {
        const l = parseInteger(argv[j + 1]);
        if (l === null || l < 0) {
          c.reply.error("ERR LIMIT can't be negative");
          return;
        }
        limit = l;
        j += 2;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    // Smallest input first, as Redis orders them (the intersection walks the smallest).
    if (op !== DIFF) srcs.sort((a, b) => a.size - b.size);
    const result = new ZSetValue();
    let cardinality = 0;
    if (op === INTER) {
      if (srcs[0].size > 0) {
        for (const [member, s] of entries(srcs[0])) {
          let score = srcs[0].weight * s;
          if (Number.isNaN(score)) score = 0;
          let i = 1;
          for (; i < srcs.length; i++) {
            const other = srcs[i].zset !== null && srcs[i].zset === srcs[0].zset ? s : has(srcs[i], member);
            if (other === undefined) break;
            score = aggregate(score, other * srcs[i].weight, how);
          }
          if (i !== srcs.length) continue;
          if (cardOnly) {
            cardinality++;
            if (limit !== 0 && cardinality >= limit) break;
          } else {
            result.insertNew(member, score);
          }
        }
      }
    } else if (op === UNION) {
      const acc = new Map<string, number>();
      for (const src of srcs) {
        if (src.size === 0) continue;
        for (const [member, s] of entries(src)) {
          let score = src.weight * s;
          if (Number.isNaN(score)) score = 0;
          const existing = acc.get(member);
          acc.set(member, existing === undefined ? score : aggregate(existing, score, how));
        }
      }
      for (const [member, score] of acc) result.insertNew(member, score);
    } else {
      for (const [member, s] of entries(srcs[0])) {
        let found = false;
        for (let i = 1; i < srcs.length && !found; i++) found = has(srcs[i], member) !== undefined;
        if (!found) result.insertNew(member, s);
      }
    }
    if (cardOnly) {
      c.reply.integer(cardinality);
      return;
    }
    if (dst !== null) {
      if (result.size > 0) {
        result.chooseEncoding(this.limits.maxEntries, this.limits.maxValue);
        c.db.set(dst, result);
        c.reply.integer(result.size);
        c.notifyKeyspaceEvent(NOTIFY.ZSET, op === UNION ? 'zunionstore' : op === INTER ? 'zinterstore' : 'zdiffstore', dst);
      } else {
        c.reply.integer(0);
        if (c.db.delete(dst)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', dst);
      }
      return;
    }
    const resp3 = c.reply.protocol === 3;
    c.reply.array(withScores && !resp3 ? result.size * 2 : result.size);
    for (let n = result.list.first; n !== null; n = n.next) {
      if (withScores && resp3) c.reply.array(2);
      c.reply.bulk(n.member);
      if (withScores) c.reply.double(n.score);
    }
  }
}
