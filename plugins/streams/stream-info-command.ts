import { Command, CommandModule, bytesToString, errors, isKeyword, parseInteger, writeHelp, type CommandContext } from 'redix-server';
import { MAX_ID, ZERO_ID, formatId } from './stream-id';
import { StreamValue } from './stream-value';
import { INVALID_ENTRIES_READ, sortedGroups, type ConsumerGroup } from './stream-group';
import { lookupStreamRead } from './stream-lookup';
import { replyEntry, replyRange } from './stream-reply';
import { raxNodeCount } from './rax-node-count';
import { cString, subcommandSyntaxError } from './stream-group-commands';
import { STREAMS_DOCS } from './streams-docs';

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

const SUB = { firstKey: 2, lastKey: 2, keyStep: 1, group: 'stream', since: '5.0.0', flags: ['readonly'], aclCategories: ['@read', '@stream', '@slow'] } as const;

/** A group's lag: entries not yet delivered, or nil when tombstones make it unknowable (streamReplyWithCGLag). */
function replyLag(c: CommandContext, s: StreamValue, g: ConsumerGroup): void {
  if (s.entriesAdded === 0) {
    c.reply.integer(0);
  } else if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(g.lastId, null)) {
    c.reply.integer(s.entriesAdded - g.entriesRead);
  } else {
    const read = s.estimateDistance(g.lastId);
    if (read !== INVALID_ENTRIES_READ) c.reply.integer(s.entriesAdded - read);
    else c.reply.nullBulk();
  }
}

function replyEntriesRead(c: CommandContext, g: ConsumerGroup): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.integer(g.entriesRead);
  else c.reply.nullBulk();
}

/** The stream at argv[2], or null after replying (no such key, wrong type). */
function streamOrReply(c: CommandContext, argv: Buffer[]): StreamValue | null {
  const s = lookupStreamRead(c, bytesToString(argv[2]));
  if (s === null) return null;
  if (s === undefined) {
    c.reply.error(errors.ERR_NO_SUCH_KEY);
    return null;
  }
  return s;
}

@CommandModule({ containers: [{ name: 'xinfo', group: 'stream', since: '5.0.0', summary: 'A container for stream introspection commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class StreamInfoCommands {
  /** XINFO STREAM key [FULL [COUNT count]] */
  @Command({ name: 'xinfo|stream', arity: -3, ...SUB, summary: 'Get information about a stream', complexity: 'O(1)', ...STREAMS_DOCS['xinfo|stream'] })
  stream(c: CommandContext, argv: Buffer[]): void {
    const s = streamOrReply(c, argv);
    if (s === null) return;
    const optc = argv.length - 3;
    let full = false;
    let count = 10;
    if (optc > 0) {
      if ((optc !== 1 && optc !== 3) || !isKeyword(argv[3], 'FULL') || (optc === 3 && !isKeyword(argv[4], 'COUNT'))) {
        subcommandSyntaxError(c, argv);
        return;
      }
      full = true;
      if (optc === 3) {
        const n = parseInteger(argv[5]);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        count = n < 0 ? 10 : n;
      }
    }
    const r = c.reply;
    r.map(full ? 9 : 10);
    r.bulk('length');
    r.integer(s.length);
    r.bulk('radix-tree-keys');
    r.integer(s.nodes.length);
    r.bulk('radix-tree-nodes');
    r.integer(raxNodeCount(s.nodes));
    r.bulk('last-generated-id');
    r.bulk(formatId(s.lastId));
    r.bulk('max-deleted-entry-id');
    r.bulk(formatId(s.maxDeletedId));
    r.bulk('entries-added');
    r.integer(s.entriesAdded);
    r.bulk('recorded-first-entry-id');
    r.bulk(formatId(s.firstId));
    if (!full) {
      r.bulk('groups');
      r.integer(s.groups === null ? 0 : s.groups.size);
      for (const [label, rev] of [['first-entry', false], ['last-entry', true]] as const) {
        r.bulk(label);
        const it = s.iterate(ZERO_ID, MAX_ID, rev);
        if (it.next(true)) replyEntry(c, it.entry);
        else r.nullBulk();
      }
      return;
    }
    r.bulk('entries');
    replyRange(c, s.iterate(ZERO_ID, MAX_ID, false), count);
    r.bulk('groups');
    const groups = sortedGroups(s.groups);
    r.array(groups.length);
    for (const g of groups) {
      r.map(7);
      r.bulk('name');
      r.bulk(g.name);
      r.bulk('last-delivered-id');
      r.bulk(formatId(g.lastId));
      r.bulk('entries-read');
      replyEntriesRead(c, g);
      r.bulk('lag');
      replyLag(c, s, g);
      r.bulk('pel-count');
      r.integer(g.pel.size);
      r.bulk('pending');
      const pel = g.pel.items;
      const shown = count === 0 ? pel.length : Math.min(count, pel.length);
      r.array(shown);
      for (let i = 0; i < shown; i++) {
        const p = pel[i];
        r.array(4);
        r.bulk(formatId(p.id));
        r.bulk(p.consumer.name);
        r.integer(p.deliveryTime);
        r.integer(p.deliveryCount);
      }
      r.bulk('consumers');
      const consumers = g.sortedConsumers();
      r.array(consumers.length);
      for (const consumer of consumers) {
        r.map(4);
        r.bulk('name');
        r.bulk(consumer.name);
        r.bulk('seen-time');
        r.integer(consumer.seenTime);
        r.bulk('pel-count');
        r.integer(consumer.pel.size);
        r.bulk('pending');
        const cpel = consumer.pel.items;
        const n = count === 0 ? cpel.length : Math.min(count, cpel.length);
        r.array(n);
        for (let i = 0; i < n; i++) {
          r.array(3);
          r.bulk(formatId(cpel[i].id));
          r.integer(cpel[i].deliveryTime);
          r.integer(cpel[i].deliveryCount);
        }
      }
    }
  }

  /** XINFO GROUPS key */
  @Command({ name: 'xinfo|groups', arity: 3, ...SUB, summary: 'List the consumer groups of a stream', complexity: 'O(1)', ...STREAMS_DOCS['xinfo|groups'] })
  groups(c: CommandContext, argv: Buffer[]): void {
    const s = streamOrReply(c, argv);
    if (s === null) return;
    const r = c.reply;
    const groups = sortedGroups(s.groups);
    r.array(groups.length);
    for (const g of groups) {
      r.map(6);
      r.bulk('name');
      r.bulk(g.name);
      r.bulk('consumers');
      r.integer(g.consumers.size);
      r.bulk('pending');
      r.integer(g.pel.size);
      r.bulk('last-delivered-id');
      r.bulk(formatId(g.lastId));
      r.bulk('entries-read');
      replyEntriesRead(c, g);
      r.bulk('lag');
      replyLag(c, s, g);
    }
  }

  /** XINFO CONSUMERS key group */
  @Command({ name: 'xinfo|consumers', arity: 4, ...SUB, summary: 'List the consumers in a consumer group', complexity: 'O(1)', ...STREAMS_DOCS['xinfo|consumers'] })
  consumers(c: CommandContext, argv: Buffer[]): void {
    const s = streamOrReply(c, argv);
    if (s === null) return;
    const groupName = bytesToString(argv[3]);
    const g = s.groups?.get(groupName);
    if (g === undefined) {
      c.reply.error(`NOGROUP No such consumer group '${cString(groupName)}' for key name '${cString(bytesToString(argv[2]))}'`);
      return;
    }
    const now = Date.now();
    const r = c.reply;
    const consumers = g.sortedConsumers();
    r.array(consumers.length);
    for (const consumer of consumers) {
      r.map(3);
      r.bulk('name');
      r.bulk(consumer.name);
      r.bulk('pending');
      r.integer(consumer.pel.size);
      r.bulk('idle');
      r.integer(Math.max(0, now - consumer.seenTime));
    }
  }

  /** XINFO HELP */
  @Command({ name: 'xinfo|help', arity: 2, flags: ['loading', 'stale'], group: 'stream', since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@stream', '@slow'], ...STREAMS_DOCS['xinfo|help'] })
  help(c: CommandContext): void {
    writeHelp(c, 'XINFO', XINFO_HELP);
  }
}
