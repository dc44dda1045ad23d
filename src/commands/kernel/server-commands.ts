import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { isKeyword } from '../arguments';
import { ERR_SYNTAX } from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';

/** FLUSHDB/FLUSHALL accept one optional ASYNC or SYNC; both run synchronously here. */
function flushModeOk(c: CommandContext, argv: Buffer[]): boolean {
  if (argv.length > 2 || (argv.length === 2 && !isKeyword(argv[1], 'ASYNC') && !isKeyword(argv[1], 'SYNC'))) {
    c.reply.error(ERR_SYNTAX);
    return false;
  }
  return true;
}

@CommandModule()
export class ServerCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** DBSIZE */
  @Command({ name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], group: 'server', since: '1.0.0', summary: 'Returns the number of keys in the database.', aclCategories: ['@keyspace', '@read', '@fast'] })
  dbsize(c: CommandContext): void {
    c.reply.integer(c.db.size);
  }

  /** FLUSHDB [ASYNC|SYNC] */
  @Command({ name: 'flushdb', syntax: '[ASYNC|SYNC]', arity: -1, flags: ['write'], group: 'server', since: '1.0.0', summary: 'Removes all keys from the current database.', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'] })
  flushdb(c: CommandContext, argv: Buffer[]): void {
    if (!flushModeOk(c, argv)) return;
    c.db.flush();
    c.forcePropagation();
    c.reply.ok();
  }

  /** FLUSHALL [ASYNC|SYNC] */
  @Command({ name: 'flushall', syntax: '[ASYNC|SYNC]', arity: -1, flags: ['write'], group: 'server', since: '1.0.0', summary: 'Removes all keys from all databases.', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'] })
  flushall(c: CommandContext, argv: Buffer[]): void {
    if (!flushModeOk(c, argv)) return;
    this.server.keyspace.flushAll();
    c.forcePropagation();
    c.reply.ok();
  }

  /** TIME */
  @Command({ name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', since: '2.6.0', summary: 'Returns the server time.', aclCategories: ['@fast'] })
  time(c: CommandContext): void {
    const micros = BigInt(Math.round(performance.timeOrigin * 1000 + performance.now() * 1000));
    c.reply.array(2);
    c.reply.bulk(String(micros / 1_000_000n));
    c.reply.bulk(String(micros % 1_000_000n));
  }

  /** INFO [section [section ...]] */
  @Command({ name: 'info', syntax: '[section [section ...]]', arity: -1, flags: ['loading', 'stale'], group: 'server', since: '1.0.0', summary: 'Returns information and statistics about the server.', aclCategories: ['@slow', '@dangerous'] })
  info(c: CommandContext, argv: Buffer[]): void {
    const sections = argv.slice(1).map((a) => a.latin1Slice(0, a.length));
    c.reply.verbatim(this.server.info.render(sections));
  }

  /** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
  @Command({ name: 'shutdown', syntax: '[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], group: 'server', since: '1.0.0', summary: 'Synchronously saves the database(s) to disk and shuts down the Redis server.', aclCategories: ['@admin', '@slow', '@dangerous'] })
  shutdown(c: CommandContext, argv: Buffer[]): void {
    let save = false;
    let nosave = false;
    for (let i = 1; i < argv.length; i++) {
      if (isKeyword(argv[i], 'SAVE')) save = true;
      else if (isKeyword(argv[i], 'NOSAVE')) nosave = true;
      else if (isKeyword(argv[i], 'NOW') || isKeyword(argv[i], 'FORCE')) continue;
      else if (isKeyword(argv[i], 'ABORT')) {
        c.reply.error('ERR No shutdown in progress.');
        return;
      } else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    if (save && nosave) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    // Like Redis, a successful SHUTDOWN sends no reply: the connection just closes.
    void this.server.shutdown({ save, nosave });
  }

  /** READONLY (cluster mode; accepted so cluster-aware clients can connect) */
  @Command({ name: 'readonly', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'cluster', since: '3.0.0', summary: 'Enables read-only queries for a connection to a Redis Cluster replica node.', aclCategories: ['@keyspace', '@fast'] })
  readonly(c: CommandContext): void {
    c.reply.ok();
  }

  /** READWRITE */
  @Command({ name: 'readwrite', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'cluster', since: '3.0.0', summary: 'Enables read-write queries for a connection to a Reids Cluster replica node.', aclCategories: ['@keyspace', '@fast'] })
  readwrite(c: CommandContext): void {
    c.reply.ok();
  }
}
