import {
  Command, CommandModule, NOTIFY, bytesToString, errors, isKeyword, keywordOf, parseInteger, writeHelp,
  type CommandContext,
} from 'redix-server';
import { parseIdOrReply, type StreamId } from './stream-id';
import { StreamValue } from './stream-value';
import { ConsumerGroup, INVALID_ENTRIES_READ } from './stream-group';
import { lookupStreamRead, lookupStreamWrite } from './stream-lookup';
import { STREAMS_DOCS } from './streams-docs';

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

const SUB = { firstKey: 2, lastKey: 2, keyStep: 1, group: 'stream', since: '5.0.0', aclCategories: ['@write', '@stream', '@slow'] } as const;

/** addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(c: CommandContext, argv: Buffer[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${bytesToString(argv[1]).slice(0, 128)}'. Try ${bytesToString(argv[0]).toUpperCase()} HELP.`);
}

/** A name as Redis's %s prints it: up to its first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

@CommandModule({ containers: [{ name: 'xgroup', group: 'stream', since: '5.0.0', summary: 'A container for consumer groups commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class StreamGroupCommands {
  /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
  @Command({ name: 'xgroup|create', arity: -5, flags: ['write', 'denyoom'], ...SUB, summary: 'Create a consumer group.', complexity: 'O(1)', ...STREAMS_DOCS['xgroup|create'] })
  create(c: CommandContext, argv: Buffer[]): void {
    xgroupGeneric(c, argv);
  }

  /** XGROUP SETID key group id|$ [ENTRIESREAD n] */
  @Command({ name: 'xgroup|setid', arity: -5, flags: ['write'], ...SUB, summary: 'Set a consumer group to an arbitrary last delivered ID value.', complexity: 'O(1)', ...STREAMS_DOCS['xgroup|setid'] })
  setid(c: CommandContext, argv: Buffer[]): void {
    xgroupGeneric(c, argv);
  }

  /** XGROUP DESTROY key group */
  @Command({ name: 'xgroup|destroy', arity: 4, flags: ['write'], ...SUB, summary: 'Destroy a consumer group.', complexity: 'O(N) where N is the number of entries in the group\'s pending entries list (PEL).', ...STREAMS_DOCS['xgroup|destroy'] })
  destroy(c: CommandContext, argv: Buffer[]): void {
    xgroupGeneric(c, argv);
  }

  /** XGROUP CREATECONSUMER key group consumer */
  @Command({ name: 'xgroup|createconsumer', arity: 5, flags: ['write', 'denyoom'], ...SUB, since: '6.2.0', summary: 'Create a consumer in a consumer group.', complexity: 'O(1)', ...STREAMS_DOCS['xgroup|createconsumer'] })
  createconsumer(c: CommandContext, argv: Buffer[]): void {
    xgroupGeneric(c, argv);
  }

  /** XGROUP DELCONSUMER key group consumer */
  @Command({ name: 'xgroup|delconsumer', arity: 5, flags: ['write'], ...SUB, summary: 'Delete a consumer from a consumer group.', complexity: 'O(1)', ...STREAMS_DOCS['xgroup|delconsumer'] })
  delconsumer(c: CommandContext, argv: Buffer[]): void {
    xgroupGeneric(c, argv);
  }

  /** XGROUP HELP */
  @Command({ name: 'xgroup|help', arity: 2, flags: ['loading', 'stale'], group: 'stream', since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@stream', '@slow'], ...STREAMS_DOCS['xgroup|help'] })
  help(c: CommandContext): void {
    writeHelp(c, 'XGROUP', XGROUP_HELP);
  }

  /** XACK key group id [id ...] */
  @Command({ name: 'xack', arity: -4, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'stream', since: '5.0.0', summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', complexity: 'O(1) for each message ID processed.', aclCategories: ['@write', '@stream', '@fast'], ...STREAMS_DOCS.xack })
  xack(c: CommandContext, argv: Buffer[]): void {
    const key = bytesToString(argv[1]);
    const s = lookupStreamRead(c, key);
    if (s === null) return;
    const group = s?.groups?.get(bytesToString(argv[2]));
    if (s === undefined || group === undefined) {
      c.reply.integer(0);
      return;
    }
    // All IDs are checked first: the reply cannot be an error once some were acknowledged.
    const ids: StreamId[] = [];
    for (let j = 3; j < argv.length; j++) {
      const id = parseIdOrReply(c.reply, argv[j], 0n, true);
      if (id === null) return;
      ids.push(id);
    }
    let acknowledged = 0;
    for (const id of ids) {
      const nack = group.pel.remove(id);
      if (nack === undefined) continue;
      nack.consumer.pel.remove(id);
      acknowledged++;
    }
    if (acknowledged > 0) {
      c.db.lookupWrite(key);
      c.db.markDirty(acknowledged);
    }
    c.reply.integer(acknowledged);
  }
}

/** xgroupCommand: options, key and group checks shared by the subcommands, then the subcommand. */
function xgroupGeneric(c: CommandContext, argv: Buffer[]): void {
  const sub = keywordOf(argv[1]);
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  let s: StreamValue | undefined;
  const key = bytesToString(argv[2]);
  const groupName = bytesToString(argv[3]);
  for (let i = 5; i < argv.length;) {
    if (sub === 'CREATE' && isKeyword(argv[i], 'MKSTREAM')) {
      mkstream = true;
      i++;
    } else if ((sub === 'CREATE' || sub === 'SETID') && isKeyword(argv[i], 'ENTRIESREAD') && i + 1 < argv.length) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) {
        c.reply.error(errors.ERR_NOT_INTEGER);
        return;
      }
      if (n < 0 && n !== INVALID_ENTRIES_READ) {
        c.reply.error('ERR value for ENTRIESREAD must be positive or -1');
        return;
      }
      entriesRead = n;
      i += 2;
    } else {
      subcommandSyntaxError(c, argv);
      return;
    }
  }
  const found = lookupStreamWrite(c, key);
  if (found === null) return;
  s = found;
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === undefined) {
      c.reply.error('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
      return;
    }
    group = s.groups?.get(groupName);
    if (group === undefined && (sub === 'SETID' || sub === 'CREATECONSUMER' || sub === 'DELCONSUMER')) {
      c.reply.error(`NOGROUP No such consumer group '${cString(groupName)}' for key name '${cString(key)}'`);
      return;
    }
  }
  if (sub === 'CREATE') {
    if (argv.length > 8) {
      subcommandSyntaxError(c, argv);
      return;
    }
    let id: StreamId;
    if (argv[4].length === 1 && argv[4][0] === 36) {
      id = s !== undefined ? s.lastId : { ms: 0n, seq: 0n };
    } else {
      const parsed = parseIdOrReply(c.reply, argv[4], 0n, true);
      if (parsed === null) return;
      id = parsed;
    }
    if (s === undefined) {
      s = new StreamValue();
      c.db.set(key, s);
    }
    const groups = (s.groups ??= new Map());
    if (groups.has(groupName)) {
      c.reply.error('BUSYGROUP Consumer Group name already exists');
      return;
    }
    groups.set(groupName, new ConsumerGroup(groupName, id, entriesRead));
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-create', key);
    c.reply.ok();
  } else if (sub === 'SETID') {
    if (argv.length !== 5 && argv.length !== 7) {
      subcommandSyntaxError(c, argv);
      return;
    }
    let id: StreamId;
    if (argv[4].length === 1 && argv[4][0] === 36) {
      id = s!.lastId;
    } else {
      const parsed = parseIdOrReply(c.reply, argv[4], 0n, false);
      if (parsed === null) return;
      id = parsed;
    }
    group!.lastId = id;
    group!.entriesRead = entriesRead;
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-setid', key);
    c.reply.ok();
  } else if (sub === 'DESTROY') {
    if (group === undefined) {
      c.reply.integer(0);
      return;
    }
    s!.groups!.delete(groupName);
    // markDirty offers the key to blocked XREADGROUPs, which then fail with NOGROUP.
    c.db.markDirty();
    c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-destroy', key);
    c.reply.integer(1);
  } else if (sub === 'CREATECONSUMER') {
    const created = group!.createConsumer(bytesToString(argv[4]), Date.now());
    if (created !== null) {
      c.db.markDirty();
      c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-createconsumer', key);
    }
    c.reply.integer(created !== null ? 1 : 0);
  } else if (sub === 'DELCONSUMER') {
    const consumer = group!.consumers.get(bytesToString(argv[4]));
    let pending = 0;
    if (consumer !== undefined) {
      pending = group!.deleteConsumer(consumer);
      c.db.markDirty();
      c.notifyKeyspaceEvent(NOTIFY.STREAM, 'xgroup-delconsumer', key);
    }
    c.reply.integer(pending);
  }
}

/** The group of a stream, for commands that reply NOGROUP when either is missing. */
export function groupOf(s: StreamValue | undefined, name: string): ConsumerGroup | undefined {
  return s?.groups?.get(name);
}

