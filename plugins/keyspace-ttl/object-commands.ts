import { KEYSPACE_DOCS } from './keyspace-docs';
import {
  Command, CommandModule, TOKENS, bytesToString, inject, lfuDecayed, lruIdleMs, writeHelp,
  type CommandContext, type ServerContext, type StoredValue,
} from 'redix-server';

/** Redis's refcount of its shared integer objects (OBJ_SHARED_REFCOUNT). */
const SHARED_REFCOUNT = 2147483647;
/** Redis shares the integers 0 .. OBJ_SHARED_INTEGERS-1 between keys. */
const SHARED_INTEGERS = 10000;

const ERR_LFU_NOT_SELECTED = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const ERR_LFU_SELECTED = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

const SUB = { arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, keyStep: 1, group: 'generic', aclCategories: ['@keyspace', '@read', '@slow'] } as const;

/** OBJECT: how a value is stored, and its access stamp (LRU idle time or LFU counter). */
@CommandModule({ containers: [{ name: 'object', group: 'generic', since: '2.2.3', summary: 'A container for object introspection commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ObjectCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  /** OBJECT ENCODING key */
  @Command({ name: 'object|encoding', ...SUB, since: '2.2.3', summary: 'Inspect the internal encoding of a Redis object', complexity: 'O(1)', ...KEYSPACE_DOCS['object|encoding'] })
  encoding(c: CommandContext, argv: Buffer[]): void {
    const value = this.lookupOrReply(c, argv);
    if (value === undefined) return;
    c.reply.bulk(this.encodingOf(value));
  }

  /** OBJECT REFCOUNT key */
  @Command({ name: 'object|refcount', ...SUB, since: '2.2.3', summary: 'Get the number of references to the value of the key', complexity: 'O(1)', ...KEYSPACE_DOCS['object|refcount'] })
  refcount(c: CommandContext, argv: Buffer[]): void {
    const value = this.lookupOrReply(c, argv);
    if (value === undefined) return;
    c.reply.integer(this.isSharedInteger(value) ? SHARED_REFCOUNT : 1);
  }

  /** OBJECT IDLETIME key */
  @Command({ name: 'object|idletime', ...SUB, since: '2.2.3', summary: 'Get the time since a Redis object was last accessed', complexity: 'O(1)', ...KEYSPACE_DOCS['object|idletime'] })
  idletime(c: CommandContext, argv: Buffer[]): void {
    const value = this.lookupOrReply(c, argv);
    if (value === undefined) return;
    if (this.lfuSelected()) {
      c.reply.error(ERR_LFU_SELECTED);
      return;
    }
    c.reply.integer(Math.floor(lruIdleMs(c.db.accessOf(bytesToString(argv[2]))) / 1000));
  }

  /** OBJECT FREQ key (an error unless an LFU policy is configured; then a new key's counter) */
  @Command({ name: 'object|freq', ...SUB, since: '4.0.0', summary: 'Get the logarithmic access frequency counter of a Redis object', complexity: 'O(1)', ...KEYSPACE_DOCS['object|freq'] })
  freq(c: CommandContext, argv: Buffer[]): void {
    const value = this.lookupOrReply(c, argv);
    if (value === undefined) return;
    if (!this.lfuSelected()) {
      c.reply.error(ERR_LFU_NOT_SELECTED);
      return;
    }
    // The counter with the decay due applied, not stored (LFUDecrAndReturn).
    c.reply.integer(lfuDecayed(c.db.accessOf(bytesToString(argv[2])), this.server.config.get<number>('lfu-decay-time')));
  }

  /** OBJECT HELP */
  @Command({ name: 'object|help', arity: 2, flags: ['loading', 'stale'], group: 'generic', since: '6.2.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@keyspace', '@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'OBJECT', HELP);
  }

  /** The value (a counted read that is not an access, as Redis's objectCommandLookup), or a null reply when missing. */
  private lookupOrReply(c: CommandContext, argv: Buffer[]): StoredValue | undefined {
    // Why: OBJECT counts a miss but emits no "keymiss" (Redis's objectCommandLookup).
    const value = c.db.lookupReadNoEvent(bytesToString(argv[2]));
    if (value === undefined) c.reply.nullBulk();
    return value;
  }

  private encodingOf(value: StoredValue): string {
    const spec = this.server.dataTypes.of(value);
    return spec === undefined ? 'unknown' : spec.encoding(value, this.server.config);
  }

  private lfuSelected(): boolean {
    return this.server.config.get<string>('maxmemory-policy').includes('lfu');
  }

  /**
   * Whether Redis would hold this value as one of its shared integers: int-encoded, 0..9999, and
   * no maxmemory with an LRU/LFU policy (those need a private object per key).
   */
  private isSharedInteger(value: StoredValue): boolean {
    if (typeof value !== 'string' || value.length > 4 || this.encodingOf(value) !== 'int') return false;
    const n = Number(value);
    if (!(n >= 0 && n < SHARED_INTEGERS)) return false;
    const config = this.server.config;
    if (config.get<number>('maxmemory') === 0) return true;
    const policy = config.get<string>('maxmemory-policy');
    return !policy.includes('lru') && !policy.includes('lfu');
  }
}
