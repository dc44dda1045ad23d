import { Command, CommandModule, inject, TOKENS, type CommandContext, type ServerContext } from 'redix-server';
import { aofServiceOf } from './aof-service';

@CommandModule()
export class AofCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** BGREWRITEAOF */
  @Command({ name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], group: 'server', since: '1.0.0', summary: 'Asynchronously rewrite the append-only file', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'] })
  bgrewriteaof(c: CommandContext): void {
    const aof = aofServiceOf(this.server);
    if (aof === undefined) {
      c.reply.error("ERR AOF is not available: the 'aof' persistence provider is not selected in this server's config");
      return;
    }
    switch (aof.requestRewrite()) {
      case 'started':
        c.reply.status('Background append only file rewriting started');
        return;
      case 'scheduled':
        c.reply.status('Background append only file rewriting scheduled');
        return;
      case 'in-progress':
        c.reply.error('ERR Background append only file rewriting already in progress');
        return;
      case 'failed':
        c.reply.error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
        return;
    }
  }
}
