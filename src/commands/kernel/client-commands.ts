import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { isKeyword, keywordOf, parseInteger } from '../arguments';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import { setClientNameOrReply } from './connection-commands';
import { writeHelp } from './help';
import { CLIENT_DOCS } from './client-docs';
import { describeClient } from '../../network/client-description';

const SPEC = { group: 'connection', flags: ['noscript', 'loading', 'stale'] } as const;

/** CLIENT LIST/KILL TYPE: normal, master, replica (or slave), pubsub, as Redis's getClientType. */
function clientHasType(c: Client, type: string): boolean {
  const actual = c.isMasterLink ? 'master' : c.isReplica ? 'replica' : c.subscribed ? 'pubsub' : 'normal';
  return actual === (type === 'slave' ? 'replica' : type);
}

@CommandModule({ containers: [{ name: 'client', group: 'connection', since: '2.4.0', summary: 'A container for client connection commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ClientCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private clients(): Client[] {
    return [...this.server.clients.values()] as Client[];
  }

  /** CLIENT ID */
  @Command({ name: 'client|id', arity: 2, ...SPEC, since: '5.0.0', summary: 'Returns the client ID for the current connection', complexity: 'O(1)', aclCategories: ['@slow', '@connection'] })
  id(c: CommandContext): void {
    c.reply.integer(c.id);
  }

  /** CLIENT GETNAME */
  @Command({ name: 'client|getname', arity: 2, ...SPEC, since: '2.6.9', summary: 'Get the current connection name', complexity: 'O(1)', aclCategories: ['@slow', '@connection'] })
  getname(c: CommandContext): void {
    if (c.name === '') c.reply.nullBulk();
    else c.reply.bulk(c.name);
  }

  /** CLIENT SETNAME connection-name */
  @Command({ name: 'client|setname', arity: 3, ...SPEC, since: '2.6.9', summary: 'Set the current connection name', complexity: 'O(1)', aclCategories: ['@slow', '@connection'], ...CLIENT_DOCS['client|setname'] })
  setname(c: CommandContext, argv: Buffer[]): void {
    if (setClientNameOrReply(c, argv[2])) c.reply.ok();
  }

  /** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients send it when they connect) */
  @Command({ name: 'client|setinfo', syntax: 'LIB-NAME libname|LIB-VER libver', arity: 4, ...SPEC, since: '7.2.0', summary: 'Sets information specific to the client or connection.', aclCategories: ['@slow', '@connection'] })
  setinfo(c: CommandContext, argv: Buffer[]): void {
    // Redis 7.2 checks the option first, then the value, and echoes the option as typed.
    const option = argv[2].latin1Slice(0, argv[2].length);
    const isName = isKeyword(argv[2], 'LIB-NAME');
    if (!isName && !isKeyword(argv[2], 'LIB-VER')) {
      c.reply.error(`ERR Unrecognized option '${option}'`);
      return;
    }
    const value = argv[3].latin1Slice(0, argv[3].length);
    if (/[^\x21-\x7e]/.test(value)) {
      c.reply.error(`ERR ${option} cannot contain spaces, newlines or special characters.`);
      return;
    }
    if (isName) (c as Client).libName = value;
    else (c as Client).libVer = value;
    c.reply.ok();
  }

  /** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID client-id ...] */
  @Command({ name: 'client|list', arity: -2, ...SPEC, flags: ['admin', 'noscript', 'loading', 'stale'], since: '2.4.0', summary: 'Get the list of client connections', complexity: 'O(N) where N is the number of client connections', aclCategories: ['@admin', '@slow', '@dangerous', '@connection'], ...CLIENT_DOCS['client|list'] })
  list(c: CommandContext, argv: Buffer[]): void {
    let clients = this.clients();
    if (argv.length === 4 && isKeyword(argv[2], 'TYPE')) {
      const type = keywordOf(argv[3]);
      if (!['NORMAL', 'MASTER', 'REPLICA', 'SLAVE', 'PUBSUB'].includes(type)) {
        c.reply.error(`ERR Unknown client type '${argv[3].latin1Slice(0, argv[3].length)}'`);
        return;
      }
      clients = clients.filter((x) => clientHasType(x, type.toLowerCase()));
    } else if (argv.length >= 4 && isKeyword(argv[2], 'ID')) {
      const ids = new Set<number>();
      for (let i = 3; i < argv.length; i++) {
        const id = parseInteger(argv[i]);
        if (id === null) {
          c.reply.error('ERR Invalid client ID');
          return;
        }
        ids.add(id);
      }
      clients = clients.filter((x) => ids.has(x.id));
    } else if (argv.length !== 2) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    c.reply.verbatim(clients.map(describeClient).join(''));
  }

  /** CLIENT INFO */
  @Command({ name: 'client|info', arity: 2, ...SPEC, since: '6.2.0', summary: 'Returns information about the current client connection.', complexity: 'O(1)', aclCategories: ['@slow', '@connection'], ...CLIENT_DOCS['client|info'] })
  info(c: CommandContext): void {
    c.reply.verbatim(describeClient(c as Client));
  }

  /** CLIENT KILL ip:port | CLIENT KILL [ID id] [ADDR ip:port] [LADDR ip:port] [TYPE type] [USER name] [SKIPME yes|no] */
  @Command({ name: 'client|kill', arity: -3, ...SPEC, flags: ['admin', 'noscript', 'loading', 'stale'], since: '2.4.0', summary: 'Kill the connection of a client', complexity: 'O(N) where N is the number of client connections', aclCategories: ['@admin', '@slow', '@dangerous', '@connection'], ...CLIENT_DOCS['client|kill'] })
  kill(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 3) {
      const addr = argv[2].latin1Slice(0, argv[2].length);
      const target = this.clients().find((x) => x.address === addr);
      if (target === undefined) {
        c.reply.error('ERR No such client');
        return;
      }
      this.killLater(target, c);
      c.reply.ok();
      return;
    }
    let filters: ((x: Client) => boolean)[] = [];
    let skipMe = true;
    let killMaster = false;
    if ((argv.length & 1) !== 0) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    for (let i = 2; i < argv.length; i += 2) {
      const opt = keywordOf(argv[i]);
      const value = argv[i + 1].latin1Slice(0, argv[i + 1].length);
      if (opt === 'ID') {
        const id = parseInteger(argv[i + 1]);
        if (id === null || id <= 0) {
          c.reply.error('ERR client-id should be greater than 0');
          return;
        }
        filters.push((x) => x.id === id);
      } else if (opt === 'ADDR') filters.push((x) => x.address === value);
      else if (opt === 'LADDR') filters.push((x) => x.localAddress === value);
      else if (opt === 'USER') {
        // Only the default user exists; Redis refuses a filter naming an unknown user.
        if (value !== 'default') {
          c.reply.error(`ERR No such user '${value}'`);
          return;
        }
      }
      else if (opt === 'TYPE') {
        const type = value.toLowerCase();
        if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
          c.reply.error(`ERR Unknown client type '${value}'`);
          return;
        }
        if (type === 'master') killMaster = true;
        filters.push((x) => clientHasType(x, type));
      } else if (opt === 'SKIPME') {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') {
          c.reply.error(ERR_SYNTAX);
          return;
        }
        skipMe = v === 'yes';
      } else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    filters = filters.length === 0 ? [() => true] : filters;
    let killed = 0;
    for (const x of this.clients()) {
      if (skipMe && x.id === c.id) continue;
      if (filters.every((f) => f(x))) {
        this.killLater(x, c);
        killed++;
      }
    }
    // Our link to our master is not a client connection here: the replication plugin owns it.
    if (killMaster && filters.length === 1) killed += this.server.replication?.killMasterLink?.() ?? 0;
    c.reply.integer(killed);
  }

  /** A client killing itself still gets its reply first, as in Redis. */
  private killLater(target: Client, self: CommandContext): void {
    if (target.id === self.id) target.closeAfterReply();
    else target.kill();
  }

  /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
  @Command({ name: 'client|unblock', arity: -3, ...SPEC, flags: ['admin', 'noscript', 'loading', 'stale'], since: '5.0.0', summary: 'Unblock a client blocked in a blocking command from a different connection', complexity: 'O(log N) where N is the number of client connections', aclCategories: ['@admin', '@slow', '@dangerous', '@connection'], ...CLIENT_DOCS['client|unblock'] })
  unblock(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 4) {
      c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].latin1Slice(0, Math.min(argv[1].length, 128))}'. Try CLIENT HELP.`);
      return;
    }
    let mode: 'timeout' | 'error' = 'timeout';
    if (argv.length === 4) {
      if (isKeyword(argv[3], 'ERROR')) mode = 'error';
      else if (!isKeyword(argv[3], 'TIMEOUT')) {
        c.reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
        return;
      }
    }
    const id = parseInteger(argv[2]);
    if (id === null) {
      c.reply.error(ERR_NOT_INTEGER);
      return;
    }
    const target = this.server.clients.get(id) as Client | undefined;
    c.reply.integer(target !== undefined && target.kernel.blocking.unblockWith(target, mode) ? 1 : 0);
  }

  /** CLIENT NO-EVICT on|off */
  @Command({ name: 'client|no-evict', arity: 3, ...SPEC, flags: ['admin', 'noscript', 'loading', 'stale'], since: '7.0.0', summary: 'Set client eviction mode for the current connection', complexity: 'O(1)', aclCategories: ['@admin', '@slow', '@dangerous', '@connection'], ...CLIENT_DOCS['client|no-evict'] })
  noEvict(c: CommandContext, argv: Buffer[]): void {
    const on = this.onOff(c, argv[2]);
    if (on !== null) {
      (c as Client).noEvict = on;
      c.reply.ok();
    }
  }

  /** CLIENT NO-TOUCH on|off */
  @Command({ name: 'client|no-touch', syntax: 'ON|OFF', arity: 3, ...SPEC, since: '7.2.0', summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.', aclCategories: ['@slow', '@connection'] })
  noTouch(c: CommandContext, argv: Buffer[]): void {
    const on = this.onOff(c, argv[2]);
    if (on !== null) {
      (c as Client).noTouch = on;
      c.reply.ok();
    }
  }

  private onOff(c: CommandContext, arg: Buffer): boolean | null {
    if (isKeyword(arg, 'ON')) return true;
    if (isKeyword(arg, 'OFF')) return false;
    c.reply.error(ERR_SYNTAX);
    return null;
  }

  /** CLIENT HELP: Redis 7.0's text, then the subcommands Redix has from later versions. */
  @Command({ name: 'client|help', arity: 2, ...SPEC, flags: ['loading', 'stale'], since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow', '@connection'] })
  help(c: CommandContext): void {
    writeHelp(c, 'CLIENT', [
      'CACHING (YES|NO)', '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
      'GETREDIR', '    Return the client ID we are redirecting to when tracking is enabled.',
      'GETNAME', '    Return the name of the current connection.',
      'ID', '    Return the ID of the current connection.',
      'INFO', '    Return information about the current client connection.',
      'KILL <ip:port>', '    Kill connection made from <ip:port>.',
      'KILL <option> <value> [<option> <value> [...]]', '    Kill connections. Options are:',
      '    * ADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made from the specified address',
      '    * LADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made to specified local address',
      '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Kill connections by type.',
      '    * USER <username>', '      Kill connections authenticated by <username>.',
      '    * SKIPME (YES|NO)', '      Skip killing current connection (default: yes).',
      'LIST [options ...]', '    Return information about client connections. Options:',
      '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Return clients of specified type.',
      'UNPAUSE', '    Stop the current client pause, resuming traffic.',
      'PAUSE <timeout> [WRITE|ALL]', '    Suspend all, or just write, clients for <timeout> milliseconds.',
      'REPLY (ON|OFF|SKIP)', '    Control the replies sent to the current connection.',
      'SETNAME <name>', '    Assign the name <name> to the current connection.',
      'UNBLOCK <clientid> [TIMEOUT|ERROR]', '    Unblock the specified blocked client.',
      'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]', '         [OPTIN] [OPTOUT] [NOLOOP]', '    Control server assisted client side caching.',
      'TRACKINGINFO', '    Report tracking status for the current connection.',
      'NO-EVICT (ON|OFF)', '    Protect current client connection from eviction.',
      'NO-TOUCH (ON|OFF)', '    Will not touch LRU/LFU stats when this mode is on.',
      'SETINFO <option> <value>', '    Set client meta attr. Options are: LIB-NAME, LIB-VER.',
    ]);
  }
}
