import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import type { RedixServer } from '../../kernel/server';
import type { Client } from '../../network/client';
import { ConfigValueError } from '../../config/option-types';
import { writeHelp } from './help';
import { newCallStats } from '../command-table';
import { ERR_SYNTAX } from '../../protocol/error-replies';
import { CONFIG_DOCS } from './config-docs';

@CommandModule({ containers: [{ name: 'config', group: 'server', since: '2.0.0', summary: 'A container for server configuration commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ConfigCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** CONFIG GET parameter [parameter ...] */
  @Command({ name: 'config|get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '2.0.0', summary: 'Get the values of configuration parameters', complexity: 'O(N) when N is the number of configuration parameters provided', aclCategories: ['@admin', '@slow', '@dangerous'], ...CONFIG_DOCS['config|get'] })
  get(c: CommandContext, argv: Buffer[]): void {
    // Keyed by canonical name; a name given without glob characters is answered as it was typed.
    const found = new Map<string, [string, string]>();
    const config = this.server.config;
    for (let i = 2; i < argv.length; i++) {
      const pattern = argv[i].latin1Slice(0, argv[i].length);
      if (!/[[*?]/.test(pattern)) {
        const spec = config.spec(pattern);
        const key = pattern.toLowerCase();
        if (spec !== undefined && !found.has(key)) found.set(key, [pattern, config.getText(spec.name)]);
        continue;
      }
      for (const [name, value] of config.match(pattern)) {
        if (!found.has(name)) found.set(name, [name, value]);
      }
    }
    c.reply.map(found.size);
    for (const [name, value] of found.values()) {
      c.reply.bulk(name);
      c.reply.bulkText(value);
    }
  }

  /** CONFIG SET parameter value [parameter value ...] (all or nothing) */
  @Command({ name: 'config|set', arity: -4, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '2.0.0', summary: 'Set configuration parameters to the given values', complexity: 'O(N) when N is the number of configuration parameters provided', aclCategories: ['@admin', '@slow', '@dangerous'], ...CONFIG_DOCS['config|set'] })
  set(c: CommandContext, argv: Buffer[]): void {
    if ((argv.length & 1) !== 0) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    const config = this.server.config;
    const changes: [string, string][] = [];
    const seen = new Set<string>();
    for (let i = 2; i < argv.length; i += 2) {
      const name = argv[i].latin1Slice(0, argv[i].length);
      const spec = config.spec(name);
      if (spec === undefined) {
        c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
        return;
      }
      if (seen.has(spec.name)) {
        c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`);
        return;
      }
      seen.add(spec.name);
      if (!spec.mutable) {
        c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
        return;
      }
      if (spec.protected && !this.protectedConfigAllowed(c)) {
        c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - can't set protected config`);
        return;
      }
      changes.push([name, argv[i + 1].toString('utf8')]);
    }
    // Validate everything before changing anything, then apply, rolling back on a listener's failure.
    const previous: [string, string][] = changes.map(([name]) => [name, config.getText(name)]);
    const listening = { port: config.get<number>('port'), bind: config.get<string>('bind') };
    let applied = 0;
    try {
      for (const [name, value] of changes) {
        config.setAtRuntime(name, value);
        applied++;
      }
    } catch (e) {
      for (let i = 0; i < applied; i++) config.setAtRuntime(previous[i][0], previous[i][1]);
      // A listener that refused the new value threw after it was stored: put the old one back too.
      if (config.getText(changes[applied][0]) !== previous[applied][1]) config.setAtRuntime(previous[applied][0], previous[applied][1]);
      const [name] = changes[applied];
      const reason = e instanceof ConfigValueError ? e.message : (e as Error).message;
      c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
      return;
    }
    const address = changes.find(([name]) => config.spec(name)!.name === 'bind') ?? changes.find(([name]) => config.spec(name)!.name === 'port');
    if (address === undefined) {
      c.reply.ok();
      return;
    }
    // A new port or bind takes effect before the reply, as in Redis; the client waits (blocked) meanwhile.
    (c as Client).hold();
    void (this.server as RedixServer).relisten(listening).then((ok) => {
      if (ok) {
        c.reply.ok();
      } else {
        for (const [name, text] of previous) config.setAtRuntime(name, text);
        const reason = config.spec(address[0])!.name === 'bind' ? 'Failed to bind to specified addresses.' : 'Unable to listen on this port. Check server logs.';
        c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${address[0]}') - ${reason}`);
      }
      (c as Client).release();
    });
  }

  /** enable-protected-configs: yes, or local for a client on the loopback interface. */
  private protectedConfigAllowed(c: CommandContext): boolean {
    const setting = this.server.config.get<string>('enable-protected-configs');
    if (setting === 'yes') return true;
    if (setting !== 'local') return false;
    const address = (c as Client).address;
    return address.startsWith('127.') || address.startsWith('::1:');
  }

  /** CONFIG RESETSTAT */
  @Command({ name: 'config|resetstat', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '2.0.0', summary: 'Reset the stats returned by INFO', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'] })
  resetstat(c: CommandContext): void {
    this.server.stats.reset();
    const ks = this.server.keyspace.stats;
    ks.keyspaceHits = ks.keyspaceMisses = ks.expiredKeys = ks.evictedKeys = 0;
    for (const entry of (this.server as RedixServer).commandTable.allEntries()) Object.assign(entry.stats, newCallStats());
    c.reply.ok();
  }

  /** CONFIG REWRITE */
  @Command({ name: 'config|rewrite', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '2.8.0', summary: 'Rewrite the configuration file with the in memory configuration', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous'] })
  rewrite(c: CommandContext): void {
    c.reply.error('ERR The server is running without a config file');
  }

  /** CONFIG HELP */
  @Command({ name: 'config|help', arity: 2, flags: ['loading', 'stale'], group: 'server', since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'CONFIG', [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
    ]);
  }
}
