import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { isKeyword, parseInteger } from '../arguments';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/error-replies';
import { CLIENT_TRACKING_DOCS } from './client-tracking-docs';

const SPEC = { group: 'connection', flags: ['noscript', 'loading', 'stale'], aclCategories: ['@slow', '@connection'] } as const;

/** CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO: server-assisted client-side caching. */
@CommandModule()
export class ClientTrackingCommands {
  /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
  @Command({ name: 'client|tracking', arity: -3, ...SPEC, since: '6.0.0', summary: 'Enable or disable server assisted client side caching support', complexity: 'O(1). Some options may introduce additional complexity.', ...CLIENT_TRACKING_DOCS['client|tracking'] })
  tracking(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    let redirect = 0;
    let bcast = false;
    let optin = false;
    let optout = false;
    let noloop = false;
    const prefixes: string[] = [];
    // Options are read before ON/OFF, as Redis does (a bad option is a syntax error either way).
    for (let j = 3; j < argv.length; j++) {
      const more = argv.length - 1 - j > 0;
      if (isKeyword(argv[j], 'REDIRECT') && more) {
        j++;
        if (redirect !== 0) {
          c.reply.error('ERR A client can only redirect to a single other client');
          return;
        }
        const id = parseInteger(argv[j]);
        if (id === null) {
          c.reply.error(ERR_NOT_INTEGER);
          return;
        }
        if (!client.server.clients.has(id)) {
          c.reply.error('ERR The client ID you want redirect to does not exist');
          return;
        }
        redirect = id;
      } else if (isKeyword(argv[j], 'BCAST')) bcast = true;
      else if (isKeyword(argv[j], 'OPTIN')) optin = true;
      else if (isKeyword(argv[j], 'OPTOUT')) optout = true;
      else if (isKeyword(argv[j], 'NOLOOP')) noloop = true;
      else if (isKeyword(argv[j], 'PREFIX') && more) {
        j++;
        prefixes.push(argv[j].latin1Slice(0, argv[j].length));
      } else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    const registry = client.kernel.tracking;
    if (isKeyword(argv[2], 'ON')) {
      const error = this.checkEnable(client, bcast, optin, optout, prefixes);
      if (error !== null) {
        c.reply.error(error);
        return;
      }
      registry.enable(client, { redirect, bcast, optin, optout, noloop }, prefixes);
    } else if (isKeyword(argv[2], 'OFF')) {
      registry.disable(client);
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    c.reply.ok();
  }

  /** The checks of CLIENT TRACKING ON, in Redis's order; the error, or null. */
  private checkEnable(client: Client, bcast: boolean, optin: boolean, optout: boolean, prefixes: string[]): string | null {
    const current = client.tracking;
    if (!bcast && prefixes.length > 0) return 'ERR PREFIX option requires BCAST mode to be enabled';
    if (current !== null && current.bcast !== bcast) {
      return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
    }
    if (bcast && (optin || optout)) return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
    if (optin && optout) return "ERR You can't specify both OPTIN mode and OPTOUT mode";
    if (current !== null && ((optin && current.optout) || (optout && current.optin))) {
      return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
    }
    if (bcast) {
      const collision = client.kernel.tracking.prefixCollision(client, prefixes);
      if (collision !== null) return 'ERR ' + collision;
    }
    return null;
  }

  /** CLIENT CACHING YES|NO */
  @Command({ name: 'client|caching', arity: 3, ...SPEC, since: '6.0.0', summary: 'Instruct the server about tracking or not keys in the next request', complexity: 'O(1)', ...CLIENT_TRACKING_DOCS['client|caching'] })
  caching(c: CommandContext, argv: Buffer[]): void {
    const state = (c as Client).tracking;
    if (state === null) {
      c.reply.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
      return;
    }
    if (isKeyword(argv[2], 'YES')) {
      if (!state.optin) {
        c.reply.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
        return;
      }
    } else if (isKeyword(argv[2], 'NO')) {
      if (!state.optout) {
        c.reply.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
        return;
      }
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    state.caching = true;
    c.reply.ok();
  }

  /** CLIENT GETREDIR */
  @Command({ name: 'client|getredir', arity: 2, ...SPEC, since: '6.0.0', summary: 'Get tracking notifications redirection client ID if any', complexity: 'O(1)' })
  getredir(c: CommandContext): void {
    const state = (c as Client).tracking;
    c.reply.integer(state === null ? -1 : state.redirect);
  }

  /** CLIENT TRACKINGINFO */
  @Command({ name: 'client|trackinginfo', arity: 2, ...SPEC, since: '6.2.0', summary: 'Return information about server assisted client side caching for the current connection', complexity: 'O(1)' })
  trackinginfo(c: CommandContext): void {
    const state = (c as Client).tracking;
    const flags = [state === null ? 'off' : 'on'];
    if (state !== null) {
      if (state.bcast) flags.push('bcast');
      if (state.optin) flags.push('optin', ...(state.caching ? ['caching-yes'] : []));
      if (state.optout) flags.push('optout', ...(state.caching ? ['caching-no'] : []));
      if (state.noloop) flags.push('noloop');
      if (state.brokenRedirect) flags.push('broken_redirect');
    }
    const r = c.reply;
    r.map(3);
    r.bulk('flags');
    r.set(flags.length);
    for (const f of flags) r.bulk(f);
    r.bulk('redirect');
    r.integer(state === null ? -1 : state.redirect);
    r.bulk('prefixes');
    const prefixes = [...(state?.prefixes ?? [])].sort();
    r.bulkArray(prefixes);
  }
}
