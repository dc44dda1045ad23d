import {
  Command, CommandModule, TOKENS, bytesToString, errors, inject, isKeyword, parseInt64, writeHelp,
  type CommandContext, type ReplyWriter, type ServerContext,
} from 'redix-server';
import { keyOverhead } from 'redix-server';
import { KEYSPACE_DOCS } from './keyspace-docs';

const HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

const REPORT_EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const REPORT_FINE = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
/** Redis's doctor gives up below 5 MB of data. */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

const SUB = { flags: [], group: 'server', since: '4.0.0', aclCategories: ['@slow'] } as const;

/** The process's memory as MEMORY STATS reports it, V8's heap standing in for the allocator. */
function processMemory(): { allocated: number; active: number; resident: number } {
  const m = process.memoryUsage();
  return { allocated: m.heapUsed + m.external, active: m.heapTotal + m.external, resident: m.rss };
}

function field(r: ReplyWriter, name: string, value: number): void {
  r.bulk(name);
  r.integer(value);
}

function ratio(r: ReplyWriter, name: string, value: number): void {
  r.bulk(name);
  r.double(value);
}

/** MEMORY: estimates in Redis's terms (MEMORY USAGE) and the process's own figures (STATS). */
@CommandModule({ containers: [{ name: 'memory', group: 'server', since: '4.0.0', summary: 'A container for memory diagnostics commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class MemoryCommands {
  private peakAllocated = 0;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** MEMORY USAGE key [SAMPLES count] (nested values are measured whole: SAMPLES is accepted) */
  @Command({ name: 'memory|usage', arity: -3, flags: ['readonly'], firstKey: 2, lastKey: 2, keyStep: 1, group: 'server', since: '4.0.0', summary: 'Estimate the memory usage of a key', complexity: 'O(N) where N is the number of samples.', aclCategories: ['@read', '@slow'], ...KEYSPACE_DOCS['memory|usage'] })
  usage(c: CommandContext, argv: Buffer[]): void {
    for (let i = 3; i < argv.length; i++) {
      if (!isKeyword(argv[i], 'SAMPLES') || i + 1 >= argv.length) {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
      const samples = parseInt64(argv[++i]);
      if (samples === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      if (samples < 0n) {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    const key = bytesToString(argv[2]);
    // Why: Redis looks the key up in its dict directly, so a key whose TTL has passed but that
    // is not deleted yet still has a size (and is not deleted by this command).
    const view = c.db.storageView?.();
    const value = view !== undefined ? view.get(key) : c.db.peek(key);
    if (value === undefined) {
      c.reply.nullBulk();
      return;
    }
    const spec = this.server.dataTypes.of(value);
    const valueBytes = spec === undefined ? 0 : spec.memoryUsage(value);
    c.reply.integer(valueBytes + keyOverhead(key.length));
  }

  /**
   * MEMORY STATS: Redis's fields in its order, from the same accounting as INFO memory (so
   * total.allocated is used_memory and dataset.bytes used_memory_dataset); allocator.* and the
   * fragmentation figures are V8's heap and the process RSS. See README "Memory and eviction".
   */
  @Command({ name: 'memory|stats', arity: 2, ...SUB, summary: 'Show memory usage details', complexity: 'O(1)', ...KEYSPACE_DOCS['memory|stats'] })
  stats(c: CommandContext): void {
    const memory = this.server.memory;
    const heap = processMemory();
    const total = memory.used(true);
    const startup = memory.startup;
    if (total > this.peakAllocated) this.peakAllocated = total;
    const peak = Math.max(this.peakAllocated, startup);
    const clients = memory.clientsMemory();
    const databases = this.server.keyspace.databases.filter((db) => db.size > 0);
    let overhead = startup + clients;
    let keys = 0;
    for (const db of databases) {
      const [main, expires] = memory.databaseOverhead(db);
      overhead += main + expires;
      keys += db.size;
    }
    const net = total - startup;
    const dataset = total - overhead;
    const r = c.reply;
    r.map(27 + databases.length);
    field(r, 'peak.allocated', peak);
    field(r, 'total.allocated', total);
    field(r, 'startup.allocated', startup);
    field(r, 'replication.backlog', 0);
    field(r, 'clients.slaves', 0);
    field(r, 'clients.normal', clients);
    field(r, 'cluster.links', 0);
    field(r, 'aof.buffer', 0);
    field(r, 'lua.caches', 0);
    field(r, 'functions.caches', 0);
    for (const db of databases) {
      const [main, expires] = memory.databaseOverhead(db);
      r.bulk(`db.${db.index}`);
      r.map(3);
      field(r, 'overhead.hashtable.main', main);
      field(r, 'overhead.hashtable.expires', expires);
      field(r, 'overhead.hashtable.slot-to-keys', 0);
    }
    field(r, 'overhead.total', overhead);
    field(r, 'keys.count', keys);
    field(r, 'keys.bytes-per-key', keys === 0 ? 0 : Math.floor(net / keys));
    field(r, 'dataset.bytes', dataset);
    ratio(r, 'dataset.percentage', net <= 0 ? 0 : (dataset * 100) / net);
    ratio(r, 'peak.percentage', (total * 100) / peak);
    field(r, 'allocator.allocated', heap.allocated);
    field(r, 'allocator.active', heap.active);
    field(r, 'allocator.resident', heap.resident);
    ratio(r, 'allocator-fragmentation.ratio', heap.active / heap.allocated);
    field(r, 'allocator-fragmentation.bytes', heap.active - heap.allocated);
    ratio(r, 'allocator-rss.ratio', heap.resident / heap.active);
    field(r, 'allocator-rss.bytes', heap.resident - heap.active);
    ratio(r, 'rss-overhead.ratio', 1);
    field(r, 'rss-overhead.bytes', 0);
    ratio(r, 'fragmentation', heap.resident / total);
    field(r, 'fragmentation.bytes', heap.resident - total);
  }

  /**
   * MEMORY DOCTOR: Redis's "empty" report below 5 MB (counted from the accounting's data and
   * overhead, without V8's own start-up heap), else its "no issue" one: the fragmentation and
   * allocator checks would only diagnose V8's heap.
   */
  @Command({ name: 'memory|doctor', arity: 2, ...SUB, summary: 'Outputs memory problems report', complexity: 'O(1)', ...KEYSPACE_DOCS['memory|doctor'] })
  doctor(c: CommandContext): void {
    const memory = this.server.memory;
    const small = memory.used() - memory.startup < DOCTOR_MIN_BYTES;
    c.reply.verbatim(small ? REPORT_EMPTY : REPORT_FINE);
  }

  /** MEMORY MALLOC-STATS (what Redis answers when not built with jemalloc) */
  @Command({ name: 'memory|malloc-stats', arity: 2, ...SUB, summary: 'Show allocator internal stats', complexity: 'Depends on how much memory is allocated, could be slow', ...KEYSPACE_DOCS['memory|malloc-stats'] })
  mallocStats(c: CommandContext): void {
    c.reply.bulk('Stats not supported for the current allocator');
  }

  /** MEMORY PURGE */
  @Command({ name: 'memory|purge', arity: 2, ...SUB, summary: 'Ask the allocator to release memory', complexity: 'Depends on how much memory is allocated, could be slow', ...KEYSPACE_DOCS['memory|purge'] })
  purge(c: CommandContext): void {
    // Redis asks jemalloc to release dirty pages; the nearest equivalent here is a full garbage collection.
    this.server.collectGarbage();
    c.reply.ok();
  }

  /** MEMORY HELP */
  @Command({ name: 'memory|help', arity: 2, flags: ['loading', 'stale'], group: 'server', since: '4.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'MEMORY', HELP);
  }
}
