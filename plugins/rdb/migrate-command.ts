import {
  Command, CommandModule, TOKENS, bytesToString, errors, inject, isKeyword, parseInteger,
  type CommandContext, type KeyReference, type ServerContext,
} from 'redix-server';
import { createDumpPayload } from 'redix-server/persistence';
import { RDB_DOCS } from './rdb-docs';
import { MigrateLink, MigrateLinks, type LinkFailure } from './migrate-link';

const ERR_KEYS_WITH_KEY = 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string';
const ERR_CANNOT_WAIT = 'ERR MIGRATE cannot wait for its target here (MULTI, scripts): Redix sends it asynchronously';
const linksOf = new WeakMap<ServerContext, MigrateLinks>();

/** What one MIGRATE sends: the keys (with the values as they were serialized) and the request. */
interface Transfer {
  host: string;
  port: number;
  dbid: number;
  timeout: number;
  copy: boolean;
  keys: string[];
  values: unknown[];
  restores: Buffer[];
  auth: Buffer[] | null;
}

/** RESP for one command. */
function encode(args: readonly (Buffer | string)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** MIGRATE's keys as Redis's migrateGetKeys finds them: `key`, or every argument after KEYS. */
function migrateKeys(argv: readonly Buffer[]): KeyReference[] {
  const flags = ['RW', 'access', 'delete'] as const;
  let first = 3;
  let num = 1;
  for (let i = 6; i < argv.length; i++) {
    if (isKeyword(argv[i], 'KEYS')) {
      if (argv[3].length > 0) num = 0;
      else {
        first = i + 1;
        num = argv.length - first;
      }
      break;
    }
    if (isKeyword(argv[i], 'AUTH')) i += 1;
    else if (isKeyword(argv[i], 'AUTH2')) i += 2;
  }
  const keys: KeyReference[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags });
  return keys;
}

/**
 * MIGRATE: DUMP here, RESTORE on the target, DEL here. Unlike Redis, which holds the whole server
 * while it talks to the target, only the calling client waits (blocked, as for WAIT); the values
 * are serialized when the command runs, and a key is deleted afterwards only if it still holds
 * the value sent.
 */
@CommandModule()
export class MigrateCommand {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  static cachedLinks(server: ServerContext): number {
    return linksOf.get(server)?.size ?? 0;
  }

  static closeLinks(server: ServerContext): void {
    linksOf.get(server)?.closeAll();
  }

  /** MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key ...] */
  @Command({ name: 'migrate', arity: -6, flags: ['write', 'movablekeys'], getKeys: migrateKeys, firstKey: 3, lastKey: 3, keyStep: 1, group: 'generic', since: '2.6.0', summary: 'Atomically transfer a key from a Redis instance to another one.', complexity: 'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.', aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'], ...RDB_DOCS.migrate })
  migrate(c: CommandContext, argv: Buffer[]): void {
    let copy = false;
    let replace = false;
    let auth: Buffer[] | null = null;
    let firstKey = 3;
    let numKeys = 1;
    for (let j = 6; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      if (isKeyword(argv[j], 'COPY')) copy = true;
      else if (isKeyword(argv[j], 'REPLACE')) replace = true;
      else if (isKeyword(argv[j], 'AUTH')) {
        if (more < 1) return c.reply.error(errors.ERR_SYNTAX);
        auth = [Buffer.from(argv[++j])];
      } else if (isKeyword(argv[j], 'AUTH2')) {
        if (more < 2) return c.reply.error(errors.ERR_SYNTAX);
        auth = [Buffer.from(argv[j + 1]), Buffer.from(argv[j + 2])];
        j += 2;
      } else if (isKeyword(argv[j], 'KEYS')) {
        if (argv[3].length !== 0) return c.reply.error(ERR_KEYS_WITH_KEY);
        firstKey = j + 1;
        numKeys = argv.length - j - 1;
        break;
      } else {
        return c.reply.error(errors.ERR_SYNTAX);
      }
    }
    let timeout = parseInteger(argv[5]);
    const dbid = parseInteger(argv[4]);
    if (timeout === null || dbid === null) return c.reply.error(errors.ERR_NOT_INTEGER);
    if (timeout <= 0) timeout = 1000;

    const transfer: Transfer = { host: bytesToString(argv[1]), port: atoi(argv[2]), dbid, timeout, copy, keys: [], values: [], restores: [], auth };
    const now = Date.now();
    const compress = this.server.config.get<boolean>('rdbcompression');
    for (let j = 0; j < numKeys; j++) {
      const key = bytesToString(argv[firstKey + j]);
      const value = c.db.lookupRead(key);
      if (value === undefined) continue;
      const expireAt = c.db.getExpire(key);
      const ttl = expireAt === -1 ? 0 : Math.max(1, expireAt - now);
      const payload = createDumpPayload(value, this.server.dataTypes, compress);
      transfer.keys.push(key);
      transfer.values.push(value);
      transfer.restores.push(encode(replace ? ['RESTORE', key, String(ttl), payload, 'REPLACE'] : ['RESTORE', key, String(ttl), payload]));
    }
    if (transfer.keys.length === 0) return c.reply.status('NOKEY');
    if (c.blockingDenied) return c.reply.error(ERR_CANNOT_WAIT);

    const state = { gone: false };
    c.block(0, {
      // CLIENT UNBLOCK: the transfer goes on, its reply is dropped.
      timeout: (cc) => cc.reply.error('IOERR error or timeout reading to target instance'),
      ended: () => {
        state.gone = true;
      },
    });
    const failed = (e: unknown) => `ERR MIGRATE failed: ${(e as Error).message}`;
    void this.run(c, transfer, true).catch(failed).then((reply) => {
      if (state.gone) return;
      if (reply === 'OK') c.reply.ok();
      else c.reply.error(reply);
      c.unblock();
      this.server.flushClient(c);
    });
  }

  private links(): MigrateLinks {
    let links = linksOf.get(this.server);
    if (links === undefined) linksOf.set(this.server, (links = new MigrateLinks()));
    return links;
  }

  /** One attempt (and, as Redis, one retry after a socket error before anything was read): the reply. */
  private async run(c: CommandContext, t: Transfer, mayRetry: boolean): Promise<string> {
    const link = await this.links().get(t.host, t.port, t.timeout);
    if (!(link instanceof MigrateLink)) {
      if (link.stage === 'connecting') return 'IOERR error or timeout connecting to the client';
      return this.socketError(c, t, link, mayRetry);
    }
    const select = link.lastDbid !== t.dbid;
    const parts: Buffer[] = [];
    if (t.auth !== null) parts.push(encode(['AUTH', ...t.auth]));
    if (select) parts.push(encode(['SELECT', String(t.dbid)]));
    parts.push(...t.restores);
    const before = (t.auth !== null ? 1 : 0) + (select ? 1 : 0);
    const result = await link.exchange(Buffer.concat(parts), before + t.keys.length, t.timeout);
    const lines = Array.isArray(result) ? result : result.lines;
    if (!Array.isArray(result) && lines.length <= before) {
      link.close();
      return this.socketError(c, t, result, mayRetry);
    }
    // Each acknowledged RESTORE deletes its key (unless COPY), even when a later one failed.
    const preamble = lines.slice(0, before).find((l) => l.startsWith('-'));
    let targetError: string | null = null;
    const acked: string[] = [];
    for (let j = 0; j < lines.length - before; j++) {
      const line = lines[before + j];
      if (preamble !== undefined || line.startsWith('-')) targetError ??= `ERR Target instance replied with error: ${(preamble ?? line).slice(1)}`;
      else if (!t.copy && c.db.peek(t.keys[j]) === t.values[j]) acked.push(t.keys[j]);
    }
    if (acked.length > 0) this.deleteKeys(c, acked);
    if (targetError !== null) {
      link.lastDbid = -1;
      return targetError;
    }
    if (!Array.isArray(result)) {
      link.close();
      return 'IOERR error or timeout reading to target instance';
    }
    link.lastDbid = t.dbid;
    return 'OK';
  }

  private socketError(c: CommandContext, t: Transfer, failure: LinkFailure, mayRetry: boolean): Promise<string> | string {
    this.links().drop(t.host, t.port);
    if (mayRetry && !failure.timedOut) return this.run(c, t, false);
    return `IOERR error or timeout ${failure.stage === 'writing' ? 'writing' : 'reading'} to target instance`;
  }

  /** Deletes the migrated keys as a DEL of the client's database (which is what replicas and the AOF get, as from Redis). */
  private deleteKeys(c: CommandContext, keys: string[]): void {
    const internal = this.server.createInternalClient();
    internal.selectDb(c.dbIndex);
    this.server.execute(internal, [Buffer.from('DEL'), ...keys.map((k) => Buffer.from(k, 'latin1'))]);
  }
}

/** C's atoi, as Redis reads the port. */
function atoi(arg: Buffer): number {
  const m = /^\s*([+-]?\d+)/.exec(arg.latin1Slice(0, arg.length));
  return m === null ? 0 : Number(m[1]);
}
