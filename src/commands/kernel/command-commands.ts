import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import { ReplyWriter } from '../../protocol/reply-writer';
import type { CommandContext } from '../command-context';
import { COMMAND_FLAGS } from '../command-flags';
import type { CommandEntry } from '../command-table';
import type { CommandSpec } from '../command-spec';
import { isKeyword } from '../arguments';
import { compileGlob } from '../../keyspace/glob';
import { ERR_SYNTAX } from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import type { RedixServer } from '../../kernel/server';
import { writeHelp } from './help';
import { KEY_SPEC_FLAGS } from '../key-specs';
import { commandKeys } from '../command-keys';
import { keySpecsOfEntry, writeCommandDocs, writeCommandInfo } from './command-introspection';
import { COMMAND_DOCS } from './command-docs';

const SPEC = { group: 'server', flags: ['loading', 'stale'] } as const;

@CommandModule({ containers: [{ name: 'command', group: 'server', since: '2.8.13', summary: 'Get array of Redis command details', complexity: 'O(N) where N is the total number of Redis commands', flags: ['loading', 'stale'], aclCategories: ['@slow', '@connection'] }] })
export class CommandCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private entries(): CommandEntry[] {
    return [...(this.server as RedixServer).commandTable.commands.values()];
  }

  /** Every command and subcommand, in COMMAND LIST's order. */
  private allEntries(): CommandEntry[] {
    return this.entries().flatMap((e) => [e, ...(e.subcommands?.values() ?? [])]);
  }

  /** The replies listing every command, encoded once per protocol (the table never changes after boot). */
  private readonly encoded = new Map<string, Buffer>();

  private writeAll(c: CommandContext, what: 'info' | 'docs'): void {
    const key = `${what}:${c.reply.protocol}`;
    let bytes = this.encoded.get(key);
    if (bytes === undefined) {
      const writer = new ReplyWriter();
      writer.protocol = c.reply.protocol;
      const scratch = { reply: writer } as CommandContext;
      const all = this.entries();
      if (what === 'info') {
        writer.array(all.length);
        for (const e of all) writeCommandInfo(scratch, e);
      } else {
        writer.map(all.length);
        for (const e of all) {
          writer.bulk(e.fullName);
          writeCommandDocs(scratch, e);
        }
      }
      bytes = Buffer.from(writer.takeView()!);
      this.encoded.set(key, bytes);
    }
    c.reply.raw(bytes);
  }

  /** COMMAND (no subcommand): every command's INFO */
  @Command({ name: 'command', arity: -1, ...SPEC, since: '2.8.13', summary: 'Get array of Redis command details', complexity: 'O(N) where N is the total number of Redis commands', aclCategories: ['@slow', '@connection'], ...COMMAND_DOCS.command })
  all(c: CommandContext): void {
    this.writeAll(c, 'info');
  }

  /** COMMAND COUNT */
  @Command({ name: 'command|count', arity: 2, ...SPEC, since: '2.8.13', summary: 'Get total number of Redis commands', complexity: 'O(1)', aclCategories: ['@slow', '@connection'] })
  count(c: CommandContext): void {
    c.reply.integer(this.entries().length);
  }

  /** COMMAND INFO [command-name ...] */
  @Command({ name: 'command|info', arity: -2, ...SPEC, since: '2.8.13', summary: 'Get array of specific Redis command details, or all when no argument is given.', complexity: 'O(N) where N is the number of commands to look up', aclCategories: ['@slow', '@connection'], ...COMMAND_DOCS['command|info'] })
  info(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 2) {
      this.writeAll(c, 'info');
      return;
    }
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const e = this.lookup(argv[i]);
      if (e === undefined) c.reply.nullArray();
      else writeCommandInfo(c, e);
    }
  }

  /** "config|get" or "get" → the entry. */
  private lookup(nameArg: Buffer): CommandEntry | undefined {
    const name = nameArg.latin1Slice(0, nameArg.length).toLowerCase();
    const bar = name.indexOf('|');
    const table = (this.server as RedixServer).commandTable;
    if (bar < 0) return table.get(name);
    return table.get(name.slice(0, bar))?.subcommands?.get(name.slice(bar + 1));
  }

  /** COMMAND DOCS [command-name ...] */
  @Command({ name: 'command|docs', arity: -2, ...SPEC, since: '7.0.0', summary: 'Get array of specific Redis command documentation', complexity: 'O(N) where N is the number of commands to look up', aclCategories: ['@slow', '@connection'], ...COMMAND_DOCS['command|docs'] })
  docs(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 2) {
      this.writeAll(c, 'docs');
      return;
    }
    const wanted = argv.slice(2).map((a) => this.lookup(a)).filter((e): e is CommandEntry => e !== undefined);
    c.reply.map(wanted.length);
    for (const e of wanted) {
      c.reply.bulk(e.fullName);
      writeCommandDocs(c, e);
    }
  }

  /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
  @Command({ name: 'command|list', arity: -2, ...SPEC, since: '7.0.0', summary: 'Get an array of Redis command names', complexity: 'O(N) where N is the total number of Redis commands', aclCategories: ['@slow', '@connection'], ...COMMAND_DOCS['command|list'] })
  list(c: CommandContext, argv: Buffer[]): void {
    const names: string[] = [];
    for (const e of this.entries()) {
      names.push(e.fullName);
      if (e.subcommands !== null) for (const s of e.subcommands.values()) names.push(s.fullName);
    }
    if (argv.length === 2) {
      c.reply.bulkArray(names);
      return;
    }
    if (argv.length !== 5 || !isKeyword(argv[2], 'FILTERBY')) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    const value = argv[4].latin1Slice(0, argv[4].length);
    if (isKeyword(argv[3], 'PATTERN')) {
      const match = compileGlob(value, true);
      c.reply.bulkArray(names.filter((n) => match(n)));
    } else if (isKeyword(argv[3], 'ACLCAT')) {
      const cat = '@' + value.toLowerCase();
      c.reply.bulkArray(this.allEntries().filter((e) => e.aclCategories.includes(cat)).map((e) => e.fullName));
    } else if (isKeyword(argv[3], 'MODULE')) {
      // A plugin is Redix's module: its commands, subcommands included, as Redis lists a module's.
      c.reply.bulkArray(this.allEntries().filter((e) => e.plugin === value).map((e) => e.fullName));
    } else {
      c.reply.error(ERR_SYNTAX);
    }
  }

  /** COMMAND GETKEYS command [arg ...] */
  @Command({ name: 'command|getkeys', arity: -4, ...SPEC, since: '2.8.13', summary: 'Extract keys given a full Redis command', complexity: 'O(N) where N is the number of arguments to the command', aclCategories: ['@slow', '@connection'] })
  getkeys(c: CommandContext, argv: Buffer[]): void {
    this.writeKeys(c, argv, false);
  }

  /** COMMAND GETKEYSANDFLAGS command [arg ...] */
  @Command({ name: 'command|getkeysandflags', arity: -4, ...SPEC, since: '7.0.0', summary: 'Extract keys and access flags given a full Redis command', complexity: 'O(N) where N is the number of arguments to the command', aclCategories: ['@slow', '@connection'] })
  getkeysandflags(c: CommandContext, argv: Buffer[]): void {
    this.writeKeys(c, argv, true);
  }

  /** GETKEYS and GETKEYSANDFLAGS, with Redis's checks in its order. */
  private writeKeys(c: CommandContext, argv: Buffer[], withFlags: boolean): void {
    const args = argv.slice(2);
    // As Redis's lookupCommand: "parent|sub" is not a name here; a container takes its subcommand.
    let entry = (this.server as RedixServer).commandTable.get(args[0].latin1Slice(0, args[0].length).toLowerCase());
    if (entry?.subcommands && args.length >= 2) entry = entry.subcommands.get(args[1].latin1Slice(0, args[1].length).toLowerCase());
    if (entry === undefined) {
      c.reply.error('ERR Invalid command specified');
      return;
    }
    const spec = entry.spec as CommandSpec;
    const keySpecs = keySpecsOfEntry(entry);
    if (spec.getKeys === undefined && !keySpecs.some((k) => !k.flags.includes('not_key'))) {
      c.reply.error('ERR The command has no key arguments');
      return;
    }
    if ((entry.arity > 0 && args.length !== entry.arity) || args.length < -entry.arity) {
      c.reply.error('ERR Invalid number of arguments specified for command');
      return;
    }
    const keys = commandKeys(spec, keySpecs, args);
    if (keys.length === 0 && (entry.flags & COMMAND_FLAGS.no_mandatory_keys) === 0) {
      c.reply.error('ERR Invalid arguments specified for command');
      return;
    }
    c.reply.array(keys.length);
    for (const k of keys) {
      if (!withFlags) {
        c.reply.bulkBuffer(args[k.pos]);
        continue;
      }
      c.reply.array(2);
      c.reply.bulkBuffer(args[k.pos]);
      const names = KEY_SPEC_FLAGS.filter((f) => k.flags.includes(f));
      c.reply.set(names.length);
      for (const n of names) c.reply.status(n);
    }
  }

  /** COMMAND HELP */
  @Command({ name: 'command|help', arity: 2, ...SPEC, since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow', '@connection'] })
  help(c: CommandContext): void {
    writeHelp(c, 'COMMAND', [
      '(no subcommand)', '    Return details about all Redis commands.',
      'COUNT', '    Return the total number of commands in this Redis server.',
      'LIST', '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]', '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]', '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>', '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>', '    Return the keys and the access flags from a full Redis command.',
    ]);
  }
}
