import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { TOKENS } from '../../kernel/tokens';
import type { RedixServer } from '../../kernel/server';
import type { ServerContext } from '../../kernel/server-context';
import { MultiState } from '../../kernel/transaction';

const SPEC = { group: 'transactions', flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], aclCategories: ['@fast', '@transaction'] } as const;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. Queueing and the checks EXEC's commands pass happen in
 * the dispatcher; these only change the client's transaction state.
 */
@CommandModule()
export class TransactionCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** MULTI */
  @Command({ name: 'multi', arity: 1, ...SPEC, since: '1.2.0', summary: 'Mark the start of a transaction block', complexity: 'O(1)' })
  multi(c: CommandContext): void {
    const client = c as Client;
    if (client.multi !== null) {
      c.reply.error('ERR MULTI calls can not be nested');
      return;
    }
    client.multi = new MultiState();
    c.reply.ok();
  }

  /** EXEC */
  @Command({ name: 'exec', arity: 1, ...SPEC, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], since: '1.2.0', summary: 'Execute all commands issued after MULTI', complexity: 'Depends on commands in the transaction', aclCategories: ['@slow', '@transaction'] })
  exec(c: CommandContext): void {
    const client = c as Client;
    if (client.multi === null) {
      c.reply.error('ERR EXEC without MULTI');
      return;
    }
    (this.server as RedixServer).runTransaction(client);
  }

  /** DISCARD */
  @Command({ name: 'discard', arity: 1, ...SPEC, since: '2.0.0', summary: 'Discard all commands issued after MULTI', complexity: 'O(N), when N is the number of queued commands' })
  discard(c: CommandContext): void {
    const client = c as Client;
    if (client.multi === null) {
      c.reply.error('ERR DISCARD without MULTI');
      return;
    }
    client.discardTransaction();
    c.reply.ok();
  }

  /** WATCH key [key ...] */
  @Command({
    name: 'watch', arity: -2, ...SPEC, firstKey: 1, lastKey: -1, keyStep: 1, since: '2.2.0', summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', complexity: 'O(1) for every key.',
    keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
    arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  })
  watch(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    if (client.multi !== null) {
      c.reply.error('ERR WATCH inside MULTI is not allowed');
      return;
    }
    // No point in watching once a watched key changed: EXEC fails anyway.
    if (!client.dirtyCas) {
      const watches = client.kernel.watches;
      for (let i = 1; i < argv.length; i++) watches.watch(client, c.db, argv[i].latin1Slice(0, argv[i].length));
    }
    c.reply.ok();
  }

  /** UNWATCH */
  @Command({ name: 'unwatch', arity: 1, ...SPEC, since: '2.2.0', summary: 'Forget about all watched keys', complexity: 'O(1)' })
  unwatch(c: CommandContext): void {
    const client = c as Client;
    client.unwatchAll();
    client.dirtyCas = false;
    c.reply.ok();
  }
}
