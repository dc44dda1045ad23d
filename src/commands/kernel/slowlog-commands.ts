import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { parseInteger } from '../arguments';
import { writeHelp } from './help';

const SPEC = { group: 'server', flags: ['admin', 'loading', 'stale'], since: '2.2.12', aclCategories: ['@admin', '@slow', '@dangerous'] } as const;

/** SLOWLOG GET/LEN/RESET/HELP. */
@CommandModule({ containers: [{ name: 'slowlog', group: 'server', since: '2.2.12', summary: 'A container for slow log commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class SlowlogCommands {
  /** SLOWLOG GET [count] */
  @Command({
    name: 'slowlog|get', arity: -2, ...SPEC, summary: "Get the slow log's entries", complexity: 'O(N) where N is the number of entries returned',
    tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
    arguments: [{ name: 'count', type: 'integer', optional: true }],
  })
  get(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 3) {
      c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].latin1Slice(0, argv[1].length)}'. Try SLOWLOG HELP.`);
      return;
    }
    const log = (c as Client).kernel.slowlog;
    let count = 10;
    if (argv.length === 3) {
      const n = parseInteger(argv[2]);
      if (n === null || n < -1) {
        c.reply.error('ERR count should be greater than or equal to -1');
        return;
      }
      count = n === -1 ? log.entries.length : n;
    }
    const shown = log.entries.slice(0, count);
    const r = c.reply;
    r.array(shown.length);
    for (const e of shown) {
      r.array(6);
      r.integer(e.id);
      r.integer(e.time);
      r.integer(e.duration);
      r.array(e.argv.length);
      for (const a of e.argv) r.bulkBuffer(a);
      r.bulk(e.peer);
      r.bulk(e.name);
    }
  }

  /** SLOWLOG LEN */
  @Command({ name: 'slowlog|len', arity: 2, ...SPEC, summary: "Get the slow log's length", complexity: 'O(1)', tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'] })
  len(c: CommandContext): void {
    c.reply.integer((c as Client).kernel.slowlog.entries.length);
  }

  /** SLOWLOG RESET */
  @Command({ name: 'slowlog|reset', arity: 2, ...SPEC, summary: 'Clear all entries from the slow log', complexity: 'O(N) where N is the number of entries in the slowlog', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'] })
  reset(c: CommandContext): void {
    (c as Client).kernel.slowlog.reset();
    c.reply.ok();
  }

  /** SLOWLOG HELP */
  @Command({ name: 'slowlog|help', arity: 2, group: 'server', flags: ['loading', 'stale'], since: '6.2.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'SLOWLOG', [
      'GET [<count>]',
      '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
      '    Entries are made of:',
      '    id, timestamp, time in microseconds, arguments array, client IP and port,',
      '    client name',
      'LEN',
      '    Return the length of the slowlog.',
      'RESET',
      '    Reset the slowlog.',
    ]);
  }
}
