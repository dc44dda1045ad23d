import { Command, CommandModule, bytesToString, type CommandContext, type ReplyWriter } from 'redix-server';
import type { SetValue } from './set-value';
import { lookupSetRead } from './set-lookup';
import { SETS_DOCS } from './sets-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
const SET_READ = { group: 'set', since: '1.0.0' } as const;
const READ_FAST = ['@read', '@set', '@fast'];

/** Replies a set's members as a set (`~` under RESP3), in the encoding's order (ascending for an intset). */
export function replyMembers(out: ReplyWriter, set: SetValue): void {
  const n = set.size;
  out.set(n);
  const ints = set.ints;
  if (ints !== null) {
    for (let i = 0; i < n; i++) out.bulk(ints.memberAt(i));
  } else {
    const table = set.table!;
    for (let i = 0; i < n; i++) out.bulk(table.at(i));
  }
}

@CommandModule()
export class SetReadCommands {
  /** SMEMBERS key */
  @Command({ name: 'smembers', arity: 2, flags: ['readonly'], ...KEY_1, ...SET_READ, summary: 'Get all the members in a set', complexity: 'O(N) where N is the set cardinality.', aclCategories: ['@read', '@set', '@slow'], ...SETS_DOCS.smembers })
  smembers(c: CommandContext, argv: Buffer[]): void {
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    if (set === undefined) c.reply.set(0);
    else replyMembers(c.reply, set);
  }

  /** SISMEMBER key member */
  @Command({ name: 'sismember', arity: 3, flags: ['readonly', 'fast'], ...KEY_1, ...SET_READ, summary: 'Determine if a given value is a member of a set', complexity: 'O(1)', aclCategories: READ_FAST, ...SETS_DOCS.sismember })
  sismember(c: CommandContext, argv: Buffer[]): void {
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    c.reply.integer(set !== undefined && set.has(bytesToString(argv[2])) ? 1 : 0);
  }

  /** SMISMEMBER key member [member ...] */
  @Command({ name: 'smismember', arity: -3, flags: ['readonly', 'fast'], ...KEY_1, group: 'set', since: '6.2.0', summary: 'Returns the membership associated with the given elements for a set', complexity: 'O(N) where N is the number of elements being checked for membership', aclCategories: READ_FAST, ...SETS_DOCS.smismember })
  smismember(c: CommandContext, argv: Buffer[]): void {
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.integer(set !== undefined && set.has(bytesToString(argv[i])) ? 1 : 0);
  }

  /** SCARD key */
  @Command({ name: 'scard', arity: 2, flags: ['readonly', 'fast'], ...KEY_1, ...SET_READ, summary: 'Get the number of members in a set', complexity: 'O(1)', aclCategories: READ_FAST, ...SETS_DOCS.scard })
  scard(c: CommandContext, argv: Buffer[]): void {
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    c.reply.integer(set === undefined ? 0 : set.size);
  }
}
