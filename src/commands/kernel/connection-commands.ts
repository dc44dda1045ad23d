import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { isKeyword, parseInteger } from '../arguments';
import {
  ERR_AUTH_NOT_CONFIGURED, ERR_DB_INDEX, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGPASS,
} from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import { REDIS_VERSION } from '../../kernel/version';
import { CONNECTION_DOCS } from './connection-docs';

const ERR_BAD_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** Sets a client name as CLIENT SETNAME and HELLO SETNAME do; replies with the error if invalid. */
export function setClientNameOrReply(c: CommandContext, name: Buffer): boolean {
  for (let i = 0; i < name.length; i++) {
    if (name[i] < 33 || name[i] > 126) {
      c.reply.error(ERR_BAD_CLIENT_NAME);
      return false;
    }
  }
  c.name = name.latin1Slice(0, name.length);
  return true;
}

@CommandModule()
export class ConnectionCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** PING [message] */
  @Command({ name: 'ping', arity: -1, flags: ['fast'], group: 'connection', since: '1.0.0', summary: 'Ping the server', complexity: 'O(1)', aclCategories: ['@fast', '@connection'], ...CONNECTION_DOCS.ping })
  ping(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 2) {
      c.reply.error("ERR wrong number of arguments for 'ping' command");
      return;
    }
    // A RESP2 subscriber gets its pong as a message-like array.
    if ((c as Client).subscribed && c.reply.protocol === 2) {
      c.reply.array(2);
      c.reply.bulk('pong');
      if (argv.length === 1) c.reply.bulk('');
      else c.reply.bulkBuffer(argv[1]);
      return;
    }
    if (argv.length === 1) c.reply.pong();
    else c.reply.bulkBuffer(argv[1]);
  }

  /** ECHO message */
  @Command({ name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', since: '1.0.0', summary: 'Echo the given string', complexity: 'O(1)', aclCategories: ['@fast', '@connection'], ...CONNECTION_DOCS.echo })
  echo(c: CommandContext, argv: Buffer[]): void {
    c.reply.bulkBuffer(argv[1]);
  }

  /** QUIT */
  @Command({ name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], group: 'connection', since: '1.0.0', summary: 'Close the connection', complexity: 'O(1)', aclCategories: ['@fast', '@connection'] })
  quit(c: CommandContext): void {
    c.reply.ok();
    c.closeAfterReply();
  }

  /** SELECT index */
  @Command({ name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], group: 'connection', since: '1.0.0', summary: 'Change the selected database for the current connection', complexity: 'O(1)', aclCategories: ['@fast', '@connection'], ...CONNECTION_DOCS.select })
  select(c: CommandContext, argv: Buffer[]): void {
    const index = parseInteger(argv[1]);
    if (index === null || index < -2147483648 || index > 2147483647) {
      c.reply.error(ERR_NOT_INTEGER);
      return;
    }
    if (index < 0 || index >= this.server.keyspace.databases.length) {
      c.reply.error(ERR_DB_INDEX);
      return;
    }
    c.selectDb(index);
    c.reply.ok();
  }

  /** AUTH [username] password */
  @Command({ name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], group: 'connection', since: '1.0.0', summary: 'Authenticate to the server', complexity: 'O(N) where N is the number of passwords defined for the user', aclCategories: ['@fast', '@connection'], ...CONNECTION_DOCS.auth })
  auth(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 3) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    // MONITOR shows the credentials as "(redacted)".
    for (let i = 1; i < argv.length; i++) (c as Client).redact(i);
    if (argv.length === 2 && this.server.config.get<string>('requirepass') === '') {
      c.reply.error(ERR_AUTH_NOT_CONFIGURED);
      return;
    }
    const user = argv.length === 3 ? argv[1] : null;
    const password = argv[argv.length - 1];
    if (this.checkCredentials(user, password)) {
      (c as Client).setAuthenticated(true);
      c.reply.ok();
    } else {
      c.reply.error(ERR_WRONGPASS);
    }
  }

  /** Only the "default" user exists; with no requirepass it accepts any password (nopass). */
  private checkCredentials(user: Buffer | null, password: Buffer): boolean {
    if (user !== null && user.latin1Slice(0, user.length) !== 'default') return false;
    const required = this.server.config.get<string>('requirepass');
    return required === '' || password.latin1Slice(0, password.length) === required;
  }

  /** HELLO [protover [AUTH username password] [SETNAME clientname]] */
  @Command({ name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], group: 'connection', since: '6.0.0', summary: 'Handshake with Redis', complexity: 'O(1)', aclCategories: ['@fast', '@connection'], ...CONNECTION_DOCS.hello })
  hello(c: CommandContext, argv: Buffer[]): void {
    let version = 0;
    if (argv.length >= 2) {
      const v = parseInteger(argv[1]);
      if (v === null) {
        c.reply.error('ERR Protocol version is not an integer or out of range');
        return;
      }
      if (v < 2 || v > 3) {
        c.reply.error('NOPROTO unsupported protocol version');
        return;
      }
      version = v;
    }
    let user: Buffer | null = null;
    let password: Buffer | null = null;
    let clientName: Buffer | null = null;
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      if (isKeyword(argv[j], 'AUTH') && more >= 2) {
        (c as Client).redact(j + 1);
        (c as Client).redact(j + 2);
        user = argv[j + 1];
        password = argv[j + 2];
        j += 2;
      } else if (isKeyword(argv[j], 'SETNAME') && more >= 1) {
        clientName = argv[j + 1];
        j++;
      } else {
        c.reply.error(`ERR Syntax error in HELLO option '${argv[j].latin1Slice(0, argv[j].length)}'`);
        return;
      }
    }
    if (user !== null && password !== null) {
      if (!this.checkCredentials(user, password)) {
        c.reply.error(ERR_WRONGPASS);
        return;
      }
      (c as Client).setAuthenticated(true);
    }
    if (!c.authenticated) {
      c.reply.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
      return;
    }
    if (clientName !== null && !setClientNameOrReply(c, clientName)) return;
    if (version !== 0) c.reply.protocol = version as 2 | 3;
    const r = c.reply;
    r.map(7);
    r.bulk('server');
    r.bulk('redis');
    r.bulk('version');
    r.bulk(REDIS_VERSION);
    r.bulk('proto');
    r.integer(r.protocol);
    r.bulk('id');
    r.integer(c.id);
    r.bulk('mode');
    r.bulk('standalone');
    r.bulk('role');
    r.bulk(this.server.readOnly || this.server.config.get('replicaof') !== null ? 'replica' : 'master');
    r.bulk('modules');
    r.array(0);
  }

  /** RESET */
  @Command({ name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], group: 'connection', since: '6.2.0', summary: 'Reset the connection', complexity: 'O(1)', aclCategories: ['@fast', '@connection'] })
  reset(c: CommandContext): void {
    const client = c as Client;
    if (client.isReplica || client.isMasterLink) {
      c.reply.error('ERR can only reset normal client connections');
      return;
    }
    // What Redis's clearClientConnectionState clears: MONITOR, tracking, the transaction,
    // subscriptions, the name, RESP3, authentication, CLIENT REPLY.
    if (client.monitoring) {
      client.monitoring = false;
      client.kernel.monitor.monitors.delete(client);
    }
    client.kernel.tracking.disable(client);
    client.replyOff = false;
    client.replySkip = 0;
    c.reply.muted = false;
    client.discardTransaction();
    // Subscriptions end silently (no unsubscribe confirmations), as Redis's clearClientConnectionState.
    client.kernel.pubsub.forget(client);
    client.updateSubscribed();
    c.selectDb(0);
    c.name = '';
    c.reply.protocol = 2;
    (c as Client).setAuthenticated(this.server.config.get<string>('requirepass') === '');
    c.reply.status('RESET');
  }
}
