import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, parseInt64,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { INVALID_FLAGS, absoluteExpire, expireConditionsAllow, parseExpireFlagsOrReply } from './expire-time';
import { KEYSPACE_DOCS } from './keyspace-docs';

const ACL = ['@keyspace', '@write', '@fast'];
const FLAGS = ['write', 'fast'] as const;

/** Commands that set or remove a key's time to live. */
@CommandModule()
export class ExpireCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** EXPIRE key seconds [NX|XX|GT|LT] */
  @Command({ name: 'expire', arity: -3, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Set a key\'s time to live in seconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.expire })
  expire(c: CommandContext, argv: Buffer[]): void {
    this.expireGeneric(c, argv, 'expire', true, true);
  }

  /** PEXPIRE key milliseconds [NX|XX|GT|LT] */
  @Command({ name: 'pexpire', arity: -3, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Set a key\'s time to live in milliseconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.pexpire })
  pexpire(c: CommandContext, argv: Buffer[]): void {
    this.expireGeneric(c, argv, 'pexpire', false, true);
  }

  /** EXPIREAT key unix-time-seconds [NX|XX|GT|LT] */
  @Command({ name: 'expireat', arity: -3, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '1.2.0', summary: 'Set the expiration for a key as a UNIX timestamp', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.expireat })
  expireat(c: CommandContext, argv: Buffer[]): void {
    this.expireGeneric(c, argv, 'expireat', true, false);
  }

  /** PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] */
  @Command({ name: 'pexpireat', arity: -3, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.pexpireat })
  pexpireat(c: CommandContext, argv: Buffer[]): void {
    this.expireGeneric(c, argv, 'pexpireat', false, false);
  }

  /**
   * The four EXPIRE variants. Propagated as PEXPIREAT with the absolute time (conditions kept),
   * or as DEL when the time has already passed and the key was deleted.
   */
  private expireGeneric(c: CommandContext, argv: Buffer[], name: string, seconds: boolean, relative: boolean): void {
    // Redis checks the options before the time argument.
    const flags = parseExpireFlagsOrReply(c, argv);
    if (flags === INVALID_FLAGS) return;
    const amount = parseInt64(argv[2]);
    if (amount === null) {
      c.reply.error(errors.ERR_NOT_INTEGER);
      return;
    }
    const now = Date.now();
    const when = absoluteExpire(amount, seconds, relative ? now : 0);
    if (when === null) {
      c.reply.error(`ERR invalid expire time in '${name}' command`);
      return;
    }
    const db = c.db;
    const key = bytesToString(argv[1]);
    if (!db.exists(key)) {
      c.reply.integer(0);
      return;
    }
    if (flags !== 0 && !expireConditionsAllow(flags, when, db.getExpire(key))) {
      c.reply.integer(0);
      return;
    }
    if (when <= now && this.deletesOnPastTime(c)) {
      db.delete(key);
      c.propagateAs(['DEL', argv[1]]);
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', key);
      c.reply.integer(1);
      return;
    }
    db.setExpire(key, Number(when));
    if (name !== 'pexpireat') {
      const normalized: (Buffer | string)[] = ['PEXPIREAT', argv[1], String(when)];
      for (let i = 3; i < argv.length; i++) normalized.push(argv[i]);
      c.propagateAs(normalized);
    }
    // Redis replies before emitting "expire" (but after emitting "del" above).
    c.reply.integer(1);
    c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'expire', key);
  }

  /**
   * A time already past deletes the key, except while replaying (AOF), on a replica applying its
   * master's stream, or on a replica where expiry is the master's business: there the TTL is set
   * and the key expires through the usual path, as in Redis's checkAlreadyExpired.
   */
  private deletesOnPastTime(c: CommandContext): boolean {
    return this.server.keyspace.expiryMode === 'delete' && !c.isMasterLink && (!c.isInternal || c.isScript) && !this.server.loading;
  }

  /** PERSIST key */
  @Command({ name: 'persist', arity: 2, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.2.0', summary: 'Remove the expiration from a key', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.persist })
  persist(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    if (c.db.exists(key) && c.db.persist(key)) {
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'persist', key);
      c.reply.integer(1);
    } else {
      c.reply.integer(0);
    }
  }
}
