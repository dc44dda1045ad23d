import { Command, CommandModule, TOKENS, errors, inject, isKeyword, type CommandContext, type ServerContext } from 'redix-server';
import { RdbService } from './rdb-service';
import { RDB_DOCS } from './rdb-docs';

const ERR_BGSAVE_RUNNING = 'ERR Background save already in progress';
const ERR_OTHER_CHILD = "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";

/** SAVE, BGSAVE, LASTSAVE. */
@CommandModule()
export class SaveCommands {
  private service: RdbService | null = null;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private get rdb(): RdbService {
    return (this.service ??= RdbService.of(this.server));
  }

  /** SAVE */
  @Command({ name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk', complexity: 'O(N) where N is the total number of keys in all databases', aclCategories: ['@admin', '@slow', '@dangerous'] })
  save(c: CommandContext): void {
    const rdb = this.rdb;
    if (rdb.backgroundSaveRunning) {
      c.reply.error(ERR_BGSAVE_RUNNING);
      return;
    }
    rdb.countSave();
    try {
      rdb.saveNow();
    } catch {
      // Redis answers a failed SAVE with a bare "-ERR"; the reason is in the log.
      c.reply.error('ERR');
      return;
    }
    c.reply.ok();
  }

  /** BGSAVE [SCHEDULE] */
  @Command({ name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], group: 'server', since: '1.0.0', summary: 'Asynchronously save the dataset to disk', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'], ...RDB_DOCS.bgsave })
  bgsave(c: CommandContext, argv: Buffer[]): void {
    const schedule = argv.length === 2 && isKeyword(argv[1], 'SCHEDULE');
    if (argv.length > 2 || (argv.length === 2 && !schedule)) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const rdb = this.rdb;
    if (rdb.backgroundSaveRunning) {
      c.reply.error(ERR_BGSAVE_RUNNING);
      return;
    }
    // While an AOF rewrite runs (Redis's other fork child), SCHEDULE queues the save for after it.
    if (rdb.otherChildActive) {
      if (schedule) {
        rdb.bgsaveScheduled = true;
        c.reply.status('Background saving scheduled');
      } else {
        c.reply.error(ERR_OTHER_CHILD);
      }
      return;
    }
    if (!rdb.startBackgroundSave()) {
      c.reply.error(ERR_BGSAVE_RUNNING);
      return;
    }
    c.reply.status('Background saving started');
  }

  /** LASTSAVE */
  @Command({ name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], group: 'server', since: '1.0.0', summary: 'Get the UNIX time stamp of the last successful save to disk', complexity: 'O(1)', aclCategories: ['@admin', '@fast', '@dangerous'], ...RDB_DOCS.lastsave })
  lastsave(c: CommandContext): void {
    c.reply.integer(this.rdb.lastSave);
  }
}
