import { Command, CommandModule, bytesToString, type CommandContext } from 'redix-server';
import { storedExpireToBigInt } from './expire-time';
import { KEYSPACE_DOCS } from './keyspace-docs';

const ACL = ['@keyspace', '@read', '@fast'];
const FLAGS = ['readonly', 'fast'] as const;

/** Rounds ms to the nearest second as Redis does ((ms + 500) / 1000 on non-negative values). */
function roundToSeconds(ms: number): number {
  return Math.floor((ms + 500) / 1000);
}

/** Commands that read a key's time to live. -2: no such key; -1: no TTL. */
@CommandModule()
export class TtlCommands {
  /** TTL key */
  @Command({ name: 'ttl', arity: 2, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '1.0.0', summary: 'Get the time to live for a key in seconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.ttl })
  ttl(c: CommandContext, argv: Buffer[]): void {
    this.remaining(c, argv, false);
  }

  /** PTTL key */
  @Command({ name: 'pttl', arity: 2, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Get the time to live for a key in milliseconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.pttl })
  pttl(c: CommandContext, argv: Buffer[]): void {
    this.remaining(c, argv, true);
  }

  /** EXPIRETIME key */
  @Command({ name: 'expiretime', arity: 2, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '7.0.0', summary: 'Get the expiration Unix timestamp for a key', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.expiretime })
  expiretime(c: CommandContext, argv: Buffer[]): void {
    this.absolute(c, argv, false);
  }

  /** PEXPIRETIME key */
  @Command({ name: 'pexpiretime', arity: 2, flags: FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, group: 'generic', since: '7.0.0', summary: 'Get the expiration Unix timestamp for a key in milliseconds', complexity: 'O(1)', aclCategories: ACL, ...KEYSPACE_DOCS.pexpiretime })
  pexpiretime(c: CommandContext, argv: Buffer[]): void {
    this.absolute(c, argv, true);
  }

  /** The expiry of the key in argv[1], or -2 / -1 (already replied). */
  private expireOf(c: CommandContext, argv: Buffer[]): number | null {
    const key = bytesToString(argv[1]);
    if (c.db.lookupRead(key, true) === undefined) {
      c.reply.integer(-2);
      return null;
    }
    const at = c.db.getExpire(key);
    if (at === -1) {
      c.reply.integer(-1);
      return null;
    }
    return at;
  }

  private remaining(c: CommandContext, argv: Buffer[], ms: boolean): void {
    const at = this.expireOf(c, argv);
    if (at === null) return;
    const now = Date.now();
    if (at <= Number.MAX_SAFE_INTEGER) {
      const left = Math.max(0, at - now);
      c.reply.integer(ms ? left : roundToSeconds(left));
      return;
    }
    // Beyond 2^53 ms (hundreds of thousands of years): exact int64 arithmetic, as Redis's.
    const left = storedExpireToBigInt(at) - BigInt(now);
    c.reply.integer(ms ? left : (left + 500n) / 1000n);
  }

  private absolute(c: CommandContext, argv: Buffer[], ms: boolean): void {
    const at = this.expireOf(c, argv);
    if (at === null) return;
    if (at <= Number.MAX_SAFE_INTEGER) {
      c.reply.integer(ms ? at : roundToSeconds(at));
      return;
    }
    const exact = storedExpireToBigInt(at);
    c.reply.integer(ms ? exact : (exact + 500n) / 1000n);
  }
}
