import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import { datasetDigest, digestValue, ValueDigest } from '../../kernel/dataset-digest';
import { createDumpPayload, parseDumpPayload } from '../../persistence/rdb-format';
import { RdbBufferWriter } from '../../persistence/rdb-buffer-writer';
import { RdbBufferReader, isRdbFormatError } from '../../persistence/rdb-reader';
import { MODULE_AUX } from '../../kernel/module-aux';
import { parseDouble, parseInteger } from '../arguments';
import type { StoredValue } from '../../keyspace/value';
import { writeHelp } from './help';
import { protectedActionAllowed, protectedActionError } from './protected-action';
import { REDIS_DEBUG_HELP } from './debug-help';
import { debugProtocol } from './debug-protocol';
import { lruIdleMs } from '../../keyspace/access-clock';
import { DEFAULT_PEAK_RESET_TIME } from '../../network/reply-buffer-account';

const ZERO_DIGEST = '0'.repeat(40);

/**
 * DEBUG, the subcommands tests and operators use (Redis's debug.c), behind enable-debug-command
 * (no / yes / local) as in Redis 7.0. Others answer Redis's unknown-subcommand error.
 */
@CommandModule()
export class DebugCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** DEBUG subcommand [argument ...] */
  @Command({ name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', since: '1.0.0', summary: 'A container for debugging commands', complexity: 'Depends on subcommand.', aclCategories: ['@admin', '@slow', '@dangerous'], docFlags: ['syscmd'] })
  debug(c: CommandContext, argv: Buffer[]): void {
    if (!protectedActionAllowed(this.server, c, 'enable-debug-command')) {
      c.reply.error(protectedActionError('DEBUG'));
      return;
    }
    const sub = argv[1].latin1Slice(0, argv[1].length).toLowerCase();
    const n = argv.length;
    if (sub === 'help' && n === 2) this.help(c);
    else if (sub === 'sleep' && n === 3) this.sleep(c, argv[2]);
    else if (sub === 'set-active-expire' && n === 3) {
      this.server.keyspace.activeExpiry = argv[2].latin1Slice(0, argv[2].length) !== '0';
      c.reply.ok();
    } else if (sub === 'pause-cron' && n === 3) {
      // As Redis's atoi: any non-zero number pauses, text reads as 0.
      this.server.cronPaused = (Number.parseInt(argv[2].latin1Slice(0, argv[2].length), 10) || 0) !== 0;
      c.reply.ok();
    } else if (sub === 'replybuffer' && n === 4) this.replyBuffer(c, argv);
    else if (sub === 'protocol' && n === 3) debugProtocol(c, argv[2].latin1Slice(0, argv[2].length).toLowerCase());
    else if (sub === 'object' && n === 3) this.object(c, argv[2]);
    else if (sub === 'digest' && n === 2) c.reply.status(datasetDigest(this.server.keyspace.databases, this.server.dataTypes));
    else if (sub === 'digest-value' && n >= 2) this.digestValues(c, argv);
    else if (sub === 'reload') this.reload(c, argv);
    else if (sub === 'quicklist-packed-threshold' && n === 3) this.packedThreshold(c, argv[2]);
    else if (sub === 'listpack' && n === 3) this.listpack(c, argv[2]);
    else if (this.server.debug.lookup(sub, n) !== undefined) this.server.debug.lookup(sub, n)!.run(c, argv);
    else c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].latin1Slice(0, Math.min(argv[1].length, 128))}'. Try DEBUG HELP.`);
  }

  /** DEBUG REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1> */
  private replyBuffer(c: CommandContext, argv: Buffer[]): void {
    const settings = this.server.replyBuffers;
    const option = argv[2].latin1Slice(0, argv[2].length).toLowerCase();
    const value = argv[3].latin1Slice(0, argv[3].length);
    if (option === 'peak-reset-time') {
      if (value.toLowerCase() === 'never') settings.peakResetTime = -1;
      else if (value.toLowerCase() === 'reset') settings.peakResetTime = DEFAULT_PEAK_RESET_TIME;
      else {
        const ms = parseInteger(argv[3]);
        if (ms === null) {
          c.reply.error('ERR value is not an integer or out of range');
          return;
        }
        settings.peakResetTime = ms;
      }
    } else if (option === 'resizing') {
      // As Redis's atoi: any non-zero number enables, text reads as 0.
      settings.resizing = (Number.parseInt(value, 10) || 0) !== 0;
    } else {
      c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].latin1Slice(0, Math.min(argv[1].length, 128))}'. Try DEBUG HELP.`);
      return;
    }
    c.reply.ok();
  }

  /** DEBUG SLEEP seconds: holds the whole server, as Redis's does (tests use it to make latency). */
  private sleep(c: CommandContext, arg: Buffer): void {
    const seconds = parseDouble(arg) ?? 0;
    if (seconds > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
    c.reply.ok();
  }

  /** DEBUG OBJECT key: Redis's line; serializedlength is the value's RDB length, as Redis measures it. */
  private object(c: CommandContext, keyArg: Buffer): void {
    const key = keyArg.latin1Slice(0, keyArg.length);
    // As Redis's dictFind: a key past its TTL but not yet deleted is still described.
    const value = c.db.stored(key);
    if (value === undefined) {
      c.reply.error('ERR no such key');
      return;
    }
    const spec = this.server.dataTypes.of(value);
    const encoding = spec === undefined ? 'unknown' : spec.encoding(value, this.server.config);
    // A DUMP payload is the RDB type byte, the value, 2 bytes of version and 8 of CRC.
    const serialized = createDumpPayload(value, this.server.dataTypes, this.server.config.get<boolean>('rdbcompression')).length - 11;
    // The raw access stamp, read as an LRU clock whatever the policy (under LFU the idle time is noise, as in Redis).
    const stamp = c.db.accessOf(key);
    const idle = stamp < 0 ? 0 : Math.floor(lruIdleMs(stamp) / 1000);
    c.reply.status(`Value at:0x0 refcount:1 encoding:${encoding} serializedlength:${serialized} lru:${Math.max(stamp, 0)} lru_seconds_idle:${idle}`);
  }

  /** DEBUG DIGEST-VALUE key ...: each value's digest (without its key), zeros for a missing key. */
  private digestValues(c: CommandContext, argv: Buffer[]): void {
    c.reply.array(argv.length - 2);
    for (let j = 2; j < argv.length; j++) {
      const key = argv[j].latin1Slice(0, argv[j].length);
      const value = c.db.peek(key);
      if (value === undefined) {
        c.reply.status(ZERO_DIGEST);
        continue;
      }
      const d = new ValueDigest();
      digestValue(d, value, c.db.getExpire(key) !== -1, this.server.dataTypes);
      c.reply.status(d.hex());
    }
  }

  /**
   * DEBUG RELOAD: every value goes through its type's RDB writer and reader, as a save and a load
   * would take it (TTLs kept), and module types' AUX data through auxSave and auxLoad, before and
   * after the keys as in a file. Unlike Redis no file is written: the round trip is in memory.
   */
  private reload(c: CommandContext, argv: Buffer[]): void {
    const { dataTypes } = this.server;
    const options = new Set(argv.slice(2).map((a) => a.latin1Slice(0, a.length).toLowerCase()));
    // NOFLUSH without MERGE loads the dump over what is there: its function libraries (first in
    // the file) already exist, and Redis's load fails on them, changing nothing. Redis would
    // panic on a duplicated key; here the same error is answered and nothing is lost.
    if (options.has('noflush') && !options.has('merge') && (this.server.rdbFunctions.codesForSave().length > 0 || this.server.keyspace.databases.some((db) => db.size > 0))) {
      c.reply.error('ERR Error trying to load the RDB dump');
      return;
    }
    const compression = this.server.config.get<boolean>('rdbcompression');
    const auxBefore = this.auxRecords(MODULE_AUX.BEFORE_RDB, compression);
    const auxAfter = this.auxRecords(MODULE_AUX.AFTER_RDB, compression);
    if (!this.loadAuxRecords(c, auxBefore)) return;
    for (const db of this.server.keyspace.databases) {
      const reloaded: [string, StoredValue, number][] = [];
      let failed: string | null = null;
      db.forEachEntry((value, key) => {
        // Strings are immutable JS strings: nothing to rebuild.
        if (typeof value === 'string' || failed !== null) return;
        const back = parseDumpPayload(createDumpPayload(value, dataTypes, compression), dataTypes);
        if (typeof back === 'string') failed = key;
        else reloaded.push([key, back, db.getExpire(key)]);
      });
      if (failed !== null) {
        c.reply.error(`ERR Error trying to load the RDB dump: the value of ${failed} did not read back`);
        return;
      }
      for (const [key, value, expireAt] of reloaded) db.load(key, value, expireAt);
    }
    if (this.loadAuxRecords(c, auxAfter)) c.reply.ok();
  }

  /** The module AUX records a save would write for `when`. */
  private auxRecords(when: number, compression: boolean): Buffer {
    const out = new RdbBufferWriter({ compression, initialSize: 64 });
    this.server.dataTypes.writeModuleAux(out, when);
    return out.take();
  }

  /** Hands AUX records to their module types as a load would; false after replying the error. */
  private loadAuxRecords(c: CommandContext, records: Buffer): boolean {
    const input = new RdbBufferReader(records, 0, records.length);
    try {
      while (input.offset < records.length) {
        input.readByte(); // the opcode, 247
        this.server.dataTypes.readModuleAux(input);
      }
    } catch (e) {
      if (!isRdbFormatError(e)) throw e;
      c.reply.error(`ERR Error trying to load the RDB dump: ${e.message}`);
      return false;
    }
    return true;
  }

  /**
   * DEBUG QUICKLIST-PACKED-THRESHOLD size: Redis's checks (a memory value below 4GB - 1MB). Redix's
   * lists keep every element in packed nodes (no plain nodes), so the value changes nothing else.
   */
  private packedThreshold(c: CommandContext, arg: Buffer): void {
    const size = memoryValue(arg.latin1Slice(0, arg.length));
    if (size === null || size > 2 ** 32 - 2 ** 20) c.reply.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    else c.reply.ok();
  }

  /** DEBUG LISTPACK key: a listpack-encoded value's serialized form goes to stdout, as Redis prints its lpRepr there. */
  private listpack(c: CommandContext, keyArg: Buffer): void {
    const key = keyArg.latin1Slice(0, keyArg.length);
    const value = c.db.peek(key);
    if (value === undefined) return c.reply.error('ERR no such key');
    const spec = this.server.dataTypes.of(value);
    if (spec === undefined || spec.encoding(value, this.server.config) !== 'listpack') return c.reply.error('ERR Not a listpack encoded object.');
    const payload = createDumpPayload(value, this.server.dataTypes, false);
    process.stdout.write(`{listpack of ${JSON.stringify(key)}, RDB type ${payload[0]}} ${payload.subarray(1, payload.length - 10).toString('hex')}\n`);
    c.reply.status('Listpack structure printed on stdout');
  }

  private help(c: CommandContext): void {
    const lines: string[] = [];
    const known = new Set<string>();
    for (const [name, text] of REDIS_DEBUG_HELP) {
      known.add(name);
      if (KERNEL_SUBCOMMANDS.has(name) || this.server.debug.has(name)) lines.push(...text);
    }
    for (const sub of this.server.debug.all()) if (!known.has(sub.name)) lines.push(...(sub.help ?? [sub.name.toUpperCase()]));
    writeHelp(c, 'DEBUG', lines);
  }
}

const KERNEL_SUBCOMMANDS = new Set(['digest', 'digest-value', 'object', 'reload', 'set-active-expire', 'quicklist-packed-threshold', 'sleep', 'listpack', 'pause-cron', 'protocol', 'replybuffer']);

/** Redis's memtoull: digits and an optional unit (b, k, kb, m, mb, g, gb), or null. */
function memoryValue(text: string): number | null {
  const m = /^([0-9]*)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (m === null) return null;
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1] || '0') * units[(m[2] ?? 'b').toLowerCase()];
}
