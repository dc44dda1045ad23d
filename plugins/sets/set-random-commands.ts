import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, parseInt64,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { SetValue } from './set-value';
import { IntsetLimit, lookupSetRead, lookupSetWrite } from './set-lookup';
import { replyMembers } from './set-read-commands';
import { unionOf } from './set-algebra';
import { SETS_DOCS } from './sets-docs';

const LONG_MAX = 9223372036854775807n;
// Redis passes its own message for both a non-integer and a negative count.
const ERR_NOT_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_COUNT_RANGE = `ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`;
/** SPOP builds a new set of the survivors once it pops more than this many times what stays. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER copies the set and removes members when it asks for more than a third. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

@CommandModule()
export class SetRandomCommands {
  private readonly limit: IntsetLimit;
  private readonly picked = new Set<string>();

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limit = new IntsetLimit(server.config);
  }

  /** SPOP key [count] */
  @Command({ name: 'spop', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'set', since: '1.0.0', summary: 'Remove and return one or multiple random members from a set', complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', aclCategories: ['@write', '@set', '@fast'], ...SETS_DOCS.spop })
  spop(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 3) {
      this.spopWithCount(c, argv);
      return;
    }
    if (argv.length > 3) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const key = bytesToString(argv[1]);
    const set = lookupSetWrite(c, key);
    if (set === null) return;
    if (set === undefined) {
      c.reply.nullBulk();
      return;
    }
    const member = set.popRandom();
    c.notifyKeyspaceEvent(NOTIFY.SET, 'spop', key);
    // Replicas and the AOF remove the very member that was drawn.
    c.propagateAs(['SREM', argv[1], member]);
    c.reply.bulk(member);
    if (set.size === 0) {
      c.db.delete(key);
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    } else {
      c.db.markDirty();
    }
  }

  private spopWithCount(c: CommandContext, argv: Buffer[]): void {
    const parsed = parseInt64(argv[2]);
    if (parsed === null || parsed < 0n) {
      c.reply.error(ERR_NOT_POSITIVE);
      return;
    }
    const key = bytesToString(argv[1]);
    const set = lookupSetWrite(c, key);
    if (set === null) return;
    if (set === undefined || parsed === 0n) {
      c.reply.set(0);
      return;
    }
    const size = set.size;
    c.notifyKeyspaceEvent(NOTIFY.SET, 'spop', key);
    if (parsed >= BigInt(size)) {
      // The whole set, replied as SUNION of the key would reply it; propagated as DEL.
      replyMembers(c.reply, unionOf([set], this.limit.max));
      c.db.delete(key);
      if (size > 1) c.db.markDirty(size - 1);
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
      c.propagateAs(['DEL', argv[1]]);
      return;
    }
    const count = Number(parsed);
    const remaining = size - count;
    const popped = new Array<string>(count);
    c.reply.set(count);
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      for (let i = 0; i < count; i++) {
        const member = set.popRandom();
        popped[i] = member;
        c.reply.bulk(member);
      }
      c.db.markDirty(count);
    } else {
      // Popping most of the set: draw the survivors into a new set instead, as Redis does (its
      // encoding is chosen afresh, so a hashtable of integers can come back as an intset).
      let survivors: SetValue | null = null;
      for (let i = 0; i < remaining; i++) {
        const member = set.popRandom();
        survivors ??= SetValue.forFirstMember(member);
        survivors.add(member, this.limit.max);
      }
      for (let i = 0; i < count; i++) {
        const member = set.memberAt(i);
        popped[i] = member;
        c.reply.bulk(member);
      }
      c.db.set(key, survivors!, true);
      if (count > 1) c.db.markDirty(count - 1);
    }
    // As Redis 7.0's spopWithCountCommand: one SREM per popped member (sent as MULTI/EXEC when
    // more than one), and not the SPOP itself.
    for (const member of popped) c.alsoPropagate(['SREM', argv[1], member]);
    c.preventPropagation();
  }

  /** SRANDMEMBER key [count] */
  @Command({ name: 'srandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'set', since: '1.0.0', summary: 'Get one or multiple random members from a set', complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.', aclCategories: ['@read', '@set', '@slow'], ...SETS_DOCS.srandmember })
  srandmember(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 3) {
      this.srandmemberWithCount(c, argv);
      return;
    }
    if (argv.length > 3) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    if (set === undefined) c.reply.nullBulk();
    else c.reply.bulk(set.randomMember());
  }

  private srandmemberWithCount(c: CommandContext, argv: Buffer[]): void {
    const parsed = parseInt64(argv[2]);
    if (parsed === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    if (parsed < -LONG_MAX) {
      c.reply.error(ERR_COUNT_RANGE);
      return;
    }
    const set = lookupSetRead(c, bytesToString(argv[1]));
    if (set === null) return;
    if (set === undefined || parsed === 0n) {
      c.reply.array(0);
      return;
    }
    const out = c.reply;
    const unique = parsed > 0n;
    const size = set.size;
    // Negative: independent draws, repeats allowed (also the way to draw a single member).
    if (!unique || parsed === 1n) {
      const count = Number(unique ? parsed : -parsed);
      out.array(count);
      for (let i = 0; i < count; i++) {
        // A client the reply takes over its output limit is closed unanswered: stop (as Redis).
        if ((i & 1023) === 1023 && c.outputLimitReached()) return;
        out.bulk(set.randomMember());
      }
      return;
    }
    if (parsed >= BigInt(size)) {
      out.array(size);
      for (let i = 0; i < size; i++) out.bulk(set.memberAt(i));
      return;
    }
    const count = Number(parsed);
    out.array(count);
    if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
      // Most of the set: a partial Fisher-Yates shuffle of a copy.
      const members = set.members();
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (size - i));
        const member = members[j];
        members[j] = members[i];
        members[i] = member;
        out.bulk(member);
      }
      return;
    }
    // A small share: draw until `count` distinct members came up.
    const picked = this.picked;
    try {
      while (picked.size < count) {
        const member = set.randomMember();
        if (picked.has(member)) continue;
        picked.add(member);
        out.bulk(member);
      }
    } finally {
      picked.clear();
    }
  }
}
