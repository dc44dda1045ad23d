/**
 * MODULE as a Redis 7.0 with no modules loaded answers it: Redix extends itself with plugins from
 * its config file, not with Redis's C modules, so LIST is empty and LOAD/LOADEX fail as Redis does
 * when a module cannot be loaded. LOAD, LOADEX and UNLOAD are behind enable-module-command, as in Redis.
 */
import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import { writeHelp } from './help';
import { protectedActionAllowed, protectedActionError } from './protected-action';

const ERR_LOAD = 'ERR Error loading the extension. Please check the server logs.';
const SUB = { group: 'server', aclCategories: ['@admin', '@slow', '@dangerous'] } as const;

@CommandModule({ containers: [{ name: 'module', group: 'server', since: '4.0.0', summary: 'A container for module commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ModuleCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private allowedOrReply(c: CommandContext): boolean {
    if (protectedActionAllowed(this.server, c, 'enable-module-command')) return true;
    c.reply.error(protectedActionError('MODULE'));
    return false;
  }

  /** MODULE HELP */
  @Command({ name: 'module|help', arity: 2, flags: ['loading', 'stale'], group: 'server', since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'MODULE', [
      'LIST', '    Return a list of loaded modules.',
      'LOAD <path> [<arg> ...]', '    Load a module library from <path>, passing to it any optional arguments.',
      'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]', '    Load a module library from <path>, while passing it module configurations and optional arguments.',
      'UNLOAD <name>', '    Unload a module.',
    ]);
  }

  /** MODULE LIST (not a protected subcommand in Redis) */
  @Command({ name: 'module|list', arity: 2, flags: ['admin', 'noscript'], ...SUB, since: '4.0.0', summary: 'List all modules loaded by the server', complexity: 'O(N) where N is the number of loaded modules.', tips: ['nondeterministic_output_order'] })
  list(c: CommandContext): void {
    c.reply.array(0);
  }

  /** MODULE LOAD path [arg ...] */
  @Command({ name: 'module|load', arity: -3, flags: ['admin', 'noscript', 'no_async_loading'], ...SUB, since: '4.0.0', summary: 'Load a module', complexity: 'O(1)', arguments: [{ name: 'path', type: 'string' }, { name: 'arg', type: 'string', optional: true, multiple: true }] })
  load(c: CommandContext, argv: Buffer[]): void {
    this.refuseLoad(c, argv[2]);
  }

  /** MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...] */
  @Command({ name: 'module|loadex', arity: -3, flags: ['admin', 'noscript', 'no_async_loading'], ...SUB, since: '7.0.0', summary: 'Load a module with extended parameters', complexity: 'O(1)', arguments: [
    { name: 'path', type: 'string' },
    { name: 'configs', type: 'block', token: 'CONFIG', optional: true, multiple: true, multipleToken: true, arguments: [{ name: 'name', type: 'string' }, { name: 'value', type: 'string' }] },
    { name: 'args', type: 'block', token: 'ARGS', optional: true, multiple: true, arguments: [{ name: 'arg', type: 'string' }] },
  ] })
  loadex(c: CommandContext, argv: Buffer[]): void {
    this.refuseLoad(c, argv[2]);
  }

  /** MODULE UNLOAD name */
  @Command({ name: 'module|unload', arity: 3, flags: ['admin', 'noscript', 'no_async_loading'], ...SUB, since: '4.0.0', summary: 'Unload a module', complexity: 'O(1)', arguments: [{ name: 'name', type: 'string' }] })
  unload(c: CommandContext): void {
    if (this.allowedOrReply(c)) c.reply.error('ERR Error unloading module: no such module with that name');
  }

  private refuseLoad(c: CommandContext, path: Buffer): void {
    if (!this.allowedOrReply(c)) return;
    this.server.logger.warning(`Module ${path.latin1Slice(0, path.length)} failed to load: Redix cannot load Redis modules (extend it with plugins in its config file)`);
    c.reply.error(ERR_LOAD);
  }
}
