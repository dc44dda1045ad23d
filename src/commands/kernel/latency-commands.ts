import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { CommandEntry } from '../command-table';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import type { RedixServer } from '../../kernel/server';
import type { Client } from '../../network/client';
import { latencyReport } from '../../kernel/latency-doctor';
import { writeHelp } from './help';

const SPEC = { group: 'server', flags: ['admin', 'noscript', 'loading', 'stale'], since: '2.8.13', aclCategories: ['@admin', '@slow', '@dangerous'] } as const;
const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];
const EVENT = [{ name: 'event', type: 'string' as const }];

/** LATENCY DOCTOR/GRAPH/HISTORY/LATEST/RESET/HISTOGRAM/HELP (Redis's latency.c latencyCommand). */
@CommandModule({ containers: [{ name: 'latency', group: 'server', since: '2.8.13', summary: 'A container for latency diagnostics commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class LatencyCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** LATENCY LATEST */
  @Command({ name: 'latency|latest', arity: 2, ...SPEC, summary: 'Return the latest latency samples for all events.', complexity: 'O(1)', tips: TIPS })
  latest(c: CommandContext): void {
    const events = (c as Client).kernel.latency.events;
    c.reply.array(events.size);
    for (const [event, series] of events) {
      const [time, ms] = series.latest();
      c.reply.array(4);
      c.reply.bulk(event);
      c.reply.integer(time);
      c.reply.integer(ms);
      c.reply.integer(series.max);
    }
  }

  /** LATENCY HISTORY event */
  @Command({ name: 'latency|history', arity: 3, ...SPEC, summary: 'Return timestamp-latency samples for the event.', complexity: 'O(1)', tips: TIPS, arguments: EVENT })
  history(c: CommandContext, argv: Buffer[]): void {
    const series = (c as Client).kernel.latency.events.get(argv[2].latin1Slice(0, argv[2].length));
    const samples = series === undefined ? [] : series.samples();
    c.reply.array(samples.length);
    for (const [time, ms] of samples) {
      c.reply.array(2);
      c.reply.integer(time);
      c.reply.integer(ms);
    }
  }

  /** LATENCY RESET [event ...] */
  @Command({ name: 'latency|reset', arity: -2, ...SPEC, summary: 'Reset latency data for one or more events.', complexity: 'O(1)', tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], arguments: [{ name: 'event', type: 'string', optional: true, multiple: true }] })
  reset(c: CommandContext, argv: Buffer[]): void {
    const monitor = (c as Client).kernel.latency;
    if (argv.length === 2) {
      c.reply.integer(monitor.reset(null));
      return;
    }
    let resets = 0;
    for (let j = 2; j < argv.length; j++) resets += monitor.reset(argv[j].latin1Slice(0, argv[j].length));
    c.reply.integer(resets);
  }

  /** LATENCY GRAPH event */
  @Command({ name: 'latency|graph', arity: 3, ...SPEC, summary: 'Return a latency graph for the event.', complexity: 'O(1)', tips: TIPS, arguments: EVENT })
  graph(c: CommandContext, argv: Buffer[]): void {
    const event = argv[2].latin1Slice(0, argv[2].length);
    const graph = (c as Client).kernel.latency.graph(event);
    if (graph === null) c.reply.error(`ERR No samples available for event '${event}'`);
    else c.reply.verbatim(graph);
  }

  /** LATENCY DOCTOR */
  @Command({ name: 'latency|doctor', arity: 2, ...SPEC, summary: 'Return a human readable latency analysis report.', complexity: 'O(1)', tips: TIPS })
  doctor(c: CommandContext): void {
    const config = this.server.config;
    c.reply.verbatim(latencyReport((c as Client).kernel.latency, { slowlogThresholdUs: config.get<number>('slowlog-log-slower-than'), appendfsync: String(config.get('appendfsync') ?? 'no') }));
  }

  /** LATENCY HISTOGRAM [command ...] */
  @Command({
    name: 'latency|histogram', arity: -2, ...SPEC, since: '7.0.0', summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.', tips: TIPS,
    arguments: [{ name: 'command', type: 'string', optional: true, multiple: true }],
  })
  histogram(c: CommandContext, argv: Buffer[]): void {
    const table = (this.server as RedixServer).commandTable;
    const shown: CommandEntry[] = [];
    if (argv.length === 2) {
      for (const entry of table.allEntries()) if (entry.stats.latency !== null) shown.push(entry);
    } else {
      for (let j = 2; j < argv.length; j++) {
        const name = argv[j].latin1Slice(0, argv[j].length).toLowerCase();
        const bar = name.indexOf('|');
        const cmd = bar < 0 ? table.get(name) : table.get(name.slice(0, bar))?.subcommands?.get(name.slice(bar + 1));
        if (cmd === undefined) continue;
        if (cmd.stats.latency !== null) shown.push(cmd);
        // A container gives its subcommands (Redis: "client" answers client|id, client|list ...).
        if (bar < 0 && cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) if (sub.stats.latency !== null) shown.push(sub);
      }
    }
    const r = c.reply;
    r.map(shown.length);
    for (const entry of shown) {
      const histogram = entry.stats.latency!;
      r.bulk(entry.fullName);
      r.map(2);
      r.bulk('calls');
      r.integer(histogram.count);
      r.bulk('histogram_usec');
      const buckets = histogram.cumulativeBuckets();
      r.map(buckets.length);
      for (const [micros, cumulative] of buckets) {
        r.integer(micros);
        r.integer(cumulative);
      }
    }
  }

  /** LATENCY HELP */
  @Command({ name: 'latency|help', arity: 2, flags: ['loading', 'stale'], group: 'server', since: '2.8.13', summary: 'Show helpful text about the different subcommands.', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'LATENCY', [
      'DOCTOR',
      '    Return a human readable latency analysis report.',
      'GRAPH <event>',
      '    Return an ASCII latency graph for the <event> class.',
      'HISTORY <event>',
      '    Return time-latency samples for the <event> class.',
      'LATEST',
      '    Return the latest latency samples for all events.',
      'RESET [<event> ...]',
      '    Reset latency data of one or more <event> classes.',
      '    (default: reset all data for all event classes)',
      'HISTOGRAM [COMMAND ...]',
      '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
      '    If no commands are specified then all histograms are replied.',
    ]);
  }
}
