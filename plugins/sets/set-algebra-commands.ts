import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, parseInt64,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { SetValue } from './set-value';
import { IntsetLimit } from './set-lookup';
import { replyMembers } from './set-read-commands';
import { commonMembers, differenceOf, unionOf } from './set-algebra';
import { SETS_DOCS } from './sets-docs';

const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
const ERR_LIMIT = "ERR LIMIT can't be negative";

const ALL_KEYS = { firstKey: 1, lastKey: -1, keyStep: 1 } as const;
const READ = { flags: ['readonly'], group: 'set', since: '1.0.0', aclCategories: ['@read', '@set', '@slow'] } as const;
const STORE = { flags: ['write', 'denyoom'], group: 'set', since: '1.0.0', aclCategories: ['@write', '@set', '@slow'] } as const;
const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';

@CommandModule()
export class SetAlgebraCommands {
  private readonly limit: IntsetLimit;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limit = new IntsetLimit(server.config);
  }

  /** SINTER key [key ...] */
  @Command({ name: 'sinter', arity: -2, ...ALL_KEYS, ...READ, summary: 'Intersect multiple sets', complexity: INTER_COMPLEXITY, ...SETS_DOCS.sinter })
  sinter(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 1, argv.length);
    if (sets === null) return;
    const members = commonMembers(sets, 0);
    c.reply.set(members.length);
    for (let i = 0; i < members.length; i++) c.reply.bulk(members[i]);
  }

  /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
  @Command({ name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], group: 'set', since: '7.0.0', summary: 'Intersect multiple sets and return the cardinality of the result', complexity: INTER_COMPLEXITY, aclCategories: ['@read', '@set', '@slow'], ...SETS_DOCS.sintercard })
  sintercard(c: CommandContext, argv: Buffer[]): void {
    const numkeys = parseInt64(argv[1]);
    if (numkeys === null || numkeys < 1n) {
      c.reply.error(ERR_NUMKEYS);
      return;
    }
    if (numkeys > BigInt(argv.length - 2)) {
      c.reply.error(ERR_NUMKEYS_ARGS);
      return;
    }
    const end = 2 + Number(numkeys);
    let limit = 0;
    for (let i = end; i < argv.length; i++) {
      if (isKeyword(argv[i], 'LIMIT') && i + 1 < argv.length) {
        const n = parseInt64(argv[++i]);
        if (n === null || n < 0n) {
          c.reply.error(ERR_LIMIT);
          return;
        }
        limit = Number(n);
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const sets = this.lookupSources(c, argv, 2, end);
    if (sets === null) return;
    c.reply.integer(commonMembers(sets, limit).length);
  }

  /** SINTERSTORE destination key [key ...] */
  @Command({ name: 'sinterstore', arity: -3, ...ALL_KEYS, ...STORE, summary: 'Intersect multiple sets and store the resulting set in a key', complexity: INTER_COMPLEXITY, ...SETS_DOCS.sinterstore })
  sinterstore(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 2, argv.length);
    if (sets === null) return;
    const members = commonMembers(sets, 0);
    const result = new SetValue(true);
    const max = this.limit.max;
    for (let i = 0; i < members.length; i++) result.add(members[i], max);
    this.store(c, argv, result, 'sinterstore');
  }

  /** SUNION key [key ...] */
  @Command({ name: 'sunion', arity: -2, ...ALL_KEYS, ...READ, summary: 'Add multiple sets', complexity: UNION_COMPLEXITY, ...SETS_DOCS.sunion })
  sunion(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 1, argv.length);
    if (sets !== null) replyMembers(c.reply, unionOf(sets, this.limit.max));
  }

  /** SUNIONSTORE destination key [key ...] */
  @Command({ name: 'sunionstore', arity: -3, ...ALL_KEYS, ...STORE, summary: 'Add multiple sets and store the resulting set in a key', complexity: UNION_COMPLEXITY, ...SETS_DOCS.sunionstore })
  sunionstore(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 2, argv.length);
    if (sets !== null) this.store(c, argv, unionOf(sets, this.limit.max), 'sunionstore');
  }

  /** SDIFF key [key ...] */
  @Command({ name: 'sdiff', arity: -2, ...ALL_KEYS, ...READ, summary: 'Subtract multiple sets', complexity: UNION_COMPLEXITY, ...SETS_DOCS.sdiff })
  sdiff(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 1, argv.length);
    if (sets !== null) replyMembers(c.reply, differenceOf(sets, this.limit.max));
  }

  /** SDIFFSTORE destination key [key ...] */
  @Command({ name: 'sdiffstore', arity: -3, ...ALL_KEYS, ...STORE, summary: 'Subtract multiple sets and store the resulting set in a key', complexity: UNION_COMPLEXITY, ...SETS_DOCS.sdiffstore })
  sdiffstore(c: CommandContext, argv: Buffer[]): void {
    const sets = this.lookupSources(c, argv, 2, argv.length);
    if (sets !== null) this.store(c, argv, differenceOf(sets, this.limit.max), 'sdiffstore');
  }

  /** The sets at argv[from..to) (undefined for missing keys), or null after replying WRONGTYPE. */
  private lookupSources(c: CommandContext, argv: Buffer[], from: number, to: number): (SetValue | undefined)[] | null {
    const sets: (SetValue | undefined)[] = [];
    for (let i = from; i < to; i++) {
      const value = c.db.lookupRead(bytesToString(argv[i]));
      if (value !== undefined && !(value instanceof SetValue)) {
        c.reply.error(errors.ERR_WRONGTYPE);
        return null;
      }
      sets.push(value);
    }
    return sets;
  }

  /** Stores a result at argv[1] (replacing whatever was there, TTL included); an empty one deletes it. */
  private store(c: CommandContext, argv: Buffer[], result: SetValue, event: string): void {
    const key = bytesToString(argv[1]);
    if (result.size > 0) {
      c.db.set(key, result);
      c.reply.integer(result.size);
      c.notifyKeyspaceEvent(NOTIFY.SET, event, key);
      return;
    }
    c.reply.integer(0);
    if (c.db.delete(key)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
  }
}
