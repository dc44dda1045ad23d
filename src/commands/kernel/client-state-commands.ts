import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { isKeyword } from '../arguments';
import { parseTimeoutOrReply } from '../blocking-timeout';
import { ERR_SYNTAX } from '../../protocol/error-replies';
import { CLIENT_TRACKING_DOCS } from './client-tracking-docs';

const ADMIN = { group: 'connection', flags: ['admin', 'noscript', 'loading', 'stale'], aclCategories: ['@admin', '@slow', '@dangerous', '@connection'] } as const;

/** CLIENT REPLY, CLIENT PAUSE/UNPAUSE and MONITOR: states a connection (or the server) enters. */
@CommandModule()
export class ClientStateCommands {
  /** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP reply nothing; pushes are still sent. */
  @Command({ name: 'client|reply', arity: 3, group: 'connection', flags: ['noscript', 'loading', 'stale'], since: '3.2.0', summary: 'Instruct the server whether to reply to commands', complexity: 'O(1)', aclCategories: ['@slow', '@connection'], ...CLIENT_TRACKING_DOCS['client|reply'] })
  reply(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    if (isKeyword(argv[2], 'ON')) {
      client.replyOff = false;
      client.replySkip = 0;
      c.reply.muted = false;
      c.reply.ok();
    } else if (isKeyword(argv[2], 'OFF')) {
      client.replyOff = true;
      c.reply.muted = true;
    } else if (isKeyword(argv[2], 'SKIP')) {
      if (!client.replyOff) client.replySkip = 1;
    } else {
      c.reply.error(ERR_SYNTAX);
    }
  }

  /** CLIENT PAUSE timeout [WRITE|ALL] */
  @Command({ name: 'client|pause', arity: -3, ...ADMIN, since: '2.9.50', summary: 'Stop processing commands from clients for some time', complexity: 'O(1)', ...CLIENT_TRACKING_DOCS['client|pause'] })
  pause(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 4) {
      c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].latin1Slice(0, argv[1].length)}'. Try CLIENT HELP.`);
      return;
    }
    let type: 'write' | 'all' = 'all';
    if (argv.length === 4) {
      if (isKeyword(argv[3], 'WRITE')) type = 'write';
      else if (!isKeyword(argv[3], 'ALL')) {
        c.reply.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
        return;
      }
    }
    const end = parseTimeoutOrReply(c, argv[2], 'milliseconds');
    if (end === null) return;
    // A timeout of 0 ends at once (Redis pauses until "now").
    (c as Client).kernel.pause.pause(end === 0 ? Date.now() : end, type);
    c.reply.ok();
  }

  /** CLIENT UNPAUSE */
  @Command({ name: 'client|unpause', arity: 2, ...ADMIN, since: '6.2.0', summary: 'Resume processing of clients that were paused', complexity: 'O(N) Where N is the number of paused clients' })
  unpause(c: CommandContext): void {
    (c as Client).kernel.pause.unpause();
    c.reply.ok();
  }

  /** MONITOR: from now on the client gets every command the server runs. */
  @Command({ name: 'monitor', arity: 1, group: 'server', flags: ['admin', 'noscript', 'loading', 'stale'], since: '1.0.0', summary: 'Listen for all requests received by the server in real time', aclCategories: ['@admin', '@slow', '@dangerous'] })
  monitor(c: CommandContext): void {
    const client = c as Client;
    if (c.blockingDenied) {
      c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
      return;
    }
    // A replica (or a monitor already) is ignored, as Redis ignores it.
    if (client.isReplica || client.monitoring) return;
    client.monitoring = true;
    client.kernel.monitor.monitors.add(client);
    c.reply.ok();
  }
}
