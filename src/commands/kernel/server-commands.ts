import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { isKeyword } from '../arguments';
import { ERR_SHUTDOWN_FAILED, ERR_SYNTAX } from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import { SERVER_DOCS } from './server-docs';

/** FLUSHDB/FLUSHALL accept one optional ASYNC or SYNC; both run synchronously here. */
function flushModeOk(c: CommandContext, argv: Buffer[]): boolean {
  if (argv.length > 2 || (argv.length === 2 && !isKeyword(argv[1], 'ASYNC') && !isKeyword(argv[1], 'SYNC'))) {
    c.reply.error(ERR_SYNTAX);
    return false;
  }
  return true;
}

/** Redis's getFlushCommandFlags: ASYNC, SYNC, or lazyfree-lazy-user-flush. */
function flushIsAsync(server: ServerContext, argv: Buffer[]): boolean {
  if (argv.length === 2) return isKeyword(argv[1], 'ASYNC');
  return server.config.get<boolean>('lazyfree-lazy-user-flush');
}

@CommandModule()
export class ServerCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** DBSIZE */
  @Command({ name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], group: 'server', since: '1.0.0', summary: 'Return the number of keys in the selected database', complexity: 'O(1)', aclCategories: ['@keyspace', '@read', '@fast'], ...SERVER_DOCS.dbsize })
  dbsize(c: CommandContext): void {
    c.reply.integer(c.db.size);
  }

  /** FLUSHDB [ASYNC|SYNC] */
  @Command({ name: 'flushdb', arity: -1, flags: ['write'], group: 'server', since: '1.0.0', summary: 'Remove all keys from the current database', complexity: 'O(N) where N is the number of keys in the selected database', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'], ...SERVER_DOCS.flushdb })
  flushdb(c: CommandContext, argv: Buffer[]): void {
    if (!flushModeOk(c, argv)) return;
    // An asynchronous flush hands every key to Redis's lazy-free thread (emptyDbAsync).
    if (flushIsAsync(this.server, argv)) this.server.stats.lazyfreedObjects += c.db.size;
    c.db.flush();
    c.forcePropagation();
    c.reply.ok();
  }

  /** FLUSHALL [ASYNC|SYNC] */
  @Command({ name: 'flushall', arity: -1, flags: ['write'], group: 'server', since: '1.0.0', summary: 'Remove all keys from all databases', complexity: 'O(N) where N is the total number of keys in all databases', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'], ...SERVER_DOCS.flushall })
  flushall(c: CommandContext, argv: Buffer[]): void {
    if (!flushModeOk(c, argv)) return;
    if (flushIsAsync(this.server, argv)) this.server.stats.lazyfreedObjects += this.server.keyspace.totalKeys;
    this.server.keyspace.flushAll();
    c.forcePropagation();
    c.reply.ok();
  }

  /** TIME */
  @Command({ name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', since: '2.6.0', summary: 'Return the current server time', complexity: 'O(1)', aclCategories: ['@fast'], ...SERVER_DOCS.time })
  time(c: CommandContext): void {
    const micros = BigInt(Math.round(performance.timeOrigin * 1000 + performance.now() * 1000));
    c.reply.array(2);
    c.reply.bulk(String(micros / 1_000_000n));
    c.reply.bulk(String(micros % 1_000_000n));
  }

  /** INFO [section [section ...]] */
  @Command({ name: 'info', arity: -1, flags: ['loading', 'stale'], group: 'server', since: '1.0.0', summary: 'Get information and statistics about the server', complexity: 'O(1)', aclCategories: ['@slow', '@dangerous'], ...SERVER_DOCS.info })
  info(c: CommandContext, argv: Buffer[]): void {
    const sections = argv.slice(1).map((a) => a.latin1Slice(0, a.length));
    c.reply.verbatim(this.server.info.render(sections));
  }

  /** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
  @Command({ name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk and then shut down the server', complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...SERVER_DOCS.shutdown })
  shutdown(c: CommandContext, argv: Buffer[]): void {
    let save = false;
    let nosave = false;
    let other = false;
    let abort = false;
    let force = false;
    for (let i = 1; i < argv.length; i++) {
      if (isKeyword(argv[i], 'SAVE')) save = true;
      else if (isKeyword(argv[i], 'NOSAVE')) nosave = true;
      else if (isKeyword(argv[i], 'NOW')) other = true;
      else if (isKeyword(argv[i], 'FORCE')) other = force = true;
      else if (isKeyword(argv[i], 'ABORT')) abort = true;
      else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    // As Redis: ABORT goes alone, and SAVE with NOSAVE is a contradiction.
    if ((abort && (save || nosave || other)) || (save && nosave)) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    if (abort) {
      // A shutdown here runs to its end once begun: there is never a pending one to abort.
      c.reply.error('ERR No shutdown in progress.');
      return;
    }
    // While a long script runs, only SHUTDOWN NOSAVE may stop the server (Redis answers the BUSY text).
    if (this.server.busy !== null && !nosave) {
      c.reply.error(this.server.busy);
      return;
    }
    // Like Redis, a successful SHUTDOWN sends no reply: the connection just closes. Commands sent
    // after it wait; if the shutdown is refused they run after its error reply, in order.
    (c as Client).hold();
    void this.server.tryShutdown({ save, nosave, force }).then((stopped) => {
      if (stopped) return;
      c.reply.error(ERR_SHUTDOWN_FAILED);
      (c as Client).release();
    });
  }
}
