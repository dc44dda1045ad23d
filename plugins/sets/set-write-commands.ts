import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { SetValue } from './set-value';
import { IntsetLimit, commitSetWrite, lookupSetWrite } from './set-lookup';
import { SETS_DOCS } from './sets-docs';

const KEY_1 = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
const SET_WRITE = { group: 'set', since: '1.0.0', aclCategories: ['@write', '@set', '@fast'] } as const;

@CommandModule()
export class SetWriteCommands {
  private readonly limit: IntsetLimit;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limit = new IntsetLimit(server.config);
  }

  /** SADD key member [member ...] */
  @Command({ name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], ...KEY_1, ...SET_WRITE, summary: 'Add one or more members to a set', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', ...SETS_DOCS.sadd })
  sadd(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const found = lookupSetWrite(c, key);
    if (found === null) return;
    const set = found ?? SetValue.forFirstMember(bytesToString(argv[2]));
    const max = this.limit.max;
    let added = 0;
    for (let i = 2; i < argv.length; i++) {
      if (set.add(bytesToString(argv[i]), max)) added++;
    }
    if (added > 0) {
      commitSetWrite(c, key, set, found === undefined, added);
      c.notifyKeyspaceEvent(NOTIFY.SET, 'sadd', key);
    }
    c.reply.integer(added);
  }

  /** SREM key member [member ...] */
  @Command({ name: 'srem', arity: -3, flags: ['write', 'fast'], ...KEY_1, ...SET_WRITE, summary: 'Remove one or more members from a set', complexity: 'O(N) where N is the number of members to be removed.', ...SETS_DOCS.srem })
  srem(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const set = lookupSetWrite(c, key);
    if (set === null) return;
    if (set === undefined) {
      c.reply.integer(0);
      return;
    }
    let deleted = 0;
    let keyRemoved = false;
    for (let i = 2; i < argv.length; i++) {
      if (!set.remove(bytesToString(argv[i]))) continue;
      deleted++;
      // An empty set is never kept: the key goes with its last member.
      if (set.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
    if (deleted > 0) {
      if (!keyRemoved) c.db.markDirty(deleted);
      else if (deleted > 1) c.db.markDirty(deleted - 1);
      c.notifyKeyspaceEvent(NOTIFY.SET, 'srem', key);
      if (keyRemoved) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
    }
    c.reply.integer(deleted);
  }

  /** SMOVE source destination member */
  @Command({ name: 'smove', arity: 4, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, keyStep: 1, ...SET_WRITE, summary: 'Move a member from one set to another', complexity: 'O(1)', ...SETS_DOCS.smove })
  smove(c: CommandContext, argv: Buffer[]): void {
    const srcKey = bytesToString(argv[1]);
    const dstKey = bytesToString(argv[2]);
    const member = bytesToString(argv[3]);
    const src = c.db.lookupWrite(srcKey);
    // A missing source answers 0 before the destination's type is looked at, as in Redis.
    if (src === undefined) {
      c.reply.integer(0);
      return;
    }
    const dstFound = c.db.peek(dstKey);
    if (!(src instanceof SetValue) || (dstFound !== undefined && !(dstFound instanceof SetValue))) {
      c.reply.error(errors.ERR_WRONGTYPE);
      return;
    }
    if (src === dstFound) {
      c.reply.integer(src.has(member) ? 1 : 0);
      return;
    }
    if (!src.remove(member)) {
      c.reply.integer(0);
      return;
    }
    c.notifyKeyspaceEvent(NOTIFY.SET, 'srem', srcKey);
    if (src.size === 0) {
      c.db.delete(srcKey);
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', srcKey);
    } else {
      c.db.markDirty();
    }
    // The destination counts as changed only when the member was new to it.
    let added: boolean;
    if (dstFound === undefined) {
      const dst = SetValue.forFirstMember(member);
      dst.add(member, this.limit.max);
      c.db.set(dstKey, dst);
      added = true;
    } else {
      const dst = c.db.lookupWrite(dstKey) as SetValue;
      added = dst.add(member, this.limit.max);
      if (added) c.db.markDirty();
    }
    if (added) c.notifyKeyspaceEvent(NOTIFY.SET, 'sadd', dstKey);
    c.reply.integer(1);
  }
}
