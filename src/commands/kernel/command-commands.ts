import { inject } from 'tsyringe';
import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { flagNames } from '../command-flags';
import type { CommandSpec } from '../command-spec';
import type { CommandEntry } from '../command-table';
import { isKeyword } from '../arguments';
import { compileGlob } from '../../keyspace/glob';
import { ERR_SYNTAX } from '../../protocol/error-replies';
import { TOKENS } from '../../kernel/tokens';
import type { ServerContext } from '../../kernel/server-context';
import type { RedixServer } from '../../kernel/server';
import { writeHelp } from './help';
import { parseSyntax, type ArgumentDoc } from '../command-syntax';

const SPEC = { group: 'server', flags: ['loading', 'stale'] } as const;

/** Key positions of a command spec (0, 0, 0 when it takes no keys). */
function keyRange(entry: CommandEntry): [number, number, number] {
  const spec = entry.spec as CommandSpec;
  if (spec.firstKey === undefined) return [0, 0, 0];
  return [spec.firstKey, spec.lastKey ?? spec.firstKey, spec.keyStep ?? 1];
}

/** COMMAND INFO's 10-element description, generated from the spec. */
function writeInfo(c: CommandContext, entry: CommandEntry): void {
  const r = c.reply;
  const [first, last, step] = keyRange(entry);
  r.array(10);
  r.bulk(entry.fullName);
  r.integer(entry.arity);
  const flags = flagNames(entry.flags);
  r.set(flags.length);
  for (const f of flags) r.status(f);
  r.integer(first);
  r.integer(last);
  r.integer(step);
  const categories = (entry.spec as CommandSpec).aclCategories ?? [];
  r.set(categories.length);
  for (const cat of categories) r.status(cat);
  r.set(0); // tips
  if (first === 0) {
    r.array(0);
  } else {
    r.array(1);
    r.map(3);
    r.bulk('flags');
    r.set(0);
    r.bulk('begin_search');
    r.map(2);
    r.bulk('type');
    r.bulk('index');
    r.bulk('spec');
    r.map(1);
    r.bulk('index');
    r.integer(first);
    r.bulk('find_keys');
    r.map(2);
    r.bulk('type');
    r.bulk('range');
    r.bulk('spec');
    r.map(3);
    r.bulk('lastkey');
    r.integer(last < 0 ? last : last - first);
    r.bulk('keystep');
    r.integer(step);
    r.bulk('limit');
    r.integer(0);
  }
  const subs = entry.subcommands === null ? [] : [...entry.subcommands.values()];
  r.array(subs.length);
  for (const sub of subs) writeInfo(c, sub);
}

/** COMMAND DOCS's map for one command. */
function writeDocs(c: CommandContext, entry: CommandEntry): void {
  const r = c.reply;
  const spec = entry.spec as CommandSpec;
  const subs = entry.subcommands === null ? [] : [...entry.subcommands.values()];
  const args = spec.syntax ? parseSyntax(spec.syntax) : null;
  r.map(3 + (spec.complexity ? 1 : 0) + (args !== null ? 1 : 0) + (subs.length > 0 ? 1 : 0));
  r.bulk('summary');
  r.bulkText(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (spec.complexity) {
    r.bulk('complexity');
    r.bulkText(spec.complexity);
  }
  if (args !== null) {
    r.bulk('arguments');
    writeArguments(c, args);
  }
  if (subs.length > 0) {
    r.bulk('subcommands');
    r.map(subs.length);
    for (const sub of subs) {
      r.bulk(sub.fullName);
      writeDocs(c, sub);
    }
  }
}

/** COMMAND DOCS's argument maps, as Redis 7.0 shapes them. */
function writeArguments(c: CommandContext, args: ArgumentDoc[]): void {
  const r = c.reply;
  r.array(args.length);
  for (const a of args) {
    const flags = [...(a.optional ? ['optional'] : []), ...(a.multiple ? ['multiple'] : [])];
    r.map(2 + (a.type === 'key' ? 1 : 0) + (a.token ? 1 : 0) + (flags.length > 0 ? 1 : 0) + (a.arguments ? 1 : 0));
    r.bulk('name');
    r.bulk(a.name);
    r.bulk('type');
    r.bulk(a.type);
    if (a.type === 'key') {
      r.bulk('key_spec_index');
      r.integer(0);
    }
    if (a.token) {
      r.bulk('token');
      r.bulk(a.token);
    }
    if (flags.length > 0) {
      r.bulk('flags');
      r.set(flags.length);
      for (const f of flags) r.status(f);
    }
    if (a.arguments) {
      r.bulk('arguments');
      writeArguments(c, a.arguments);
    }
  }
}

@CommandModule({ containers: [{ name: 'command', group: 'server', since: '2.8.13', summary: 'Returns detailed information about all commands.', flags: ['loading', 'stale'], aclCategories: ['@slow', '@connection'] }] })
export class CommandCommands {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private entries(): CommandEntry[] {
    return [...(this.server as RedixServer).commandTable.commands.values()];
  }

  /** COMMAND (no subcommand): every command's INFO */
  @Command({ name: 'command', arity: -1, ...SPEC, since: '2.8.13', summary: 'Returns detailed information about all commands.', aclCategories: ['@slow', '@connection'] })
  all(c: CommandContext): void {
    const all = this.entries();
    c.reply.array(all.length);
    for (const e of all) writeInfo(c, e);
  }

  /** COMMAND COUNT */
  @Command({ name: 'command|count', arity: 2, ...SPEC, since: '2.8.13', summary: 'Returns a count of commands.', aclCategories: ['@slow', '@connection'] })
  count(c: CommandContext): void {
    c.reply.integer(this.entries().length);
  }

  /** COMMAND INFO [command-name ...] */
  @Command({ name: 'command|info', syntax: '[command-name [command-name ...]]', arity: -2, ...SPEC, since: '2.8.13', summary: 'Returns information about one, multiple or all commands.', aclCategories: ['@slow', '@connection'] })
  info(c: CommandContext, argv: Buffer[]): void {
    if (argv.length === 2) {
      const all = this.entries();
      c.reply.array(all.length);
      for (const e of all) writeInfo(c, e);
      return;
    }
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const e = this.lookup(argv[i]);
      if (e === undefined) c.reply.nullArray();
      else writeInfo(c, e);
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
  @Command({ name: 'command|docs', syntax: '[command-name [command-name ...]]', arity: -2, ...SPEC, since: '7.0.0', summary: 'Returns documentary information about one, multiple or all commands.', aclCategories: ['@slow', '@connection'] })
  docs(c: CommandContext, argv: Buffer[]): void {
    const wanted = argv.length === 2 ? this.entries() : argv.slice(2).map((a) => this.lookup(a)).filter((e): e is CommandEntry => e !== undefined);
    c.reply.map(wanted.length);
    for (const e of wanted) {
      c.reply.bulk(e.fullName);
      writeDocs(c, e);
    }
  }

  /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
  @Command({ name: 'command|list', syntax: '[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]', arity: -2, ...SPEC, since: '7.0.0', summary: 'Returns a list of command names.', aclCategories: ['@slow', '@connection'] })
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
      const all = this.entries().flatMap((e) => [e, ...(e.subcommands?.values() ?? [])]);
      c.reply.bulkArray(all.filter((e) => ((e.spec as CommandSpec).aclCategories ?? []).includes(cat)).map((e) => e.fullName));
    } else if (isKeyword(argv[3], 'MODULE')) {
      c.reply.array(0);
    } else {
      c.reply.error(ERR_SYNTAX);
    }
  }

  /** COMMAND GETKEYS command [arg ...] */
  @Command({ name: 'command|getkeys', syntax: 'command [arg [arg ...]]', arity: -4, ...SPEC, since: '2.8.13', summary: 'Extracts the key names from an arbitrary command.', aclCategories: ['@slow', '@connection'] })
  getkeys(c: CommandContext, argv: Buffer[]): void {
    let entry = this.lookup(argv[2]);
    const args = argv.slice(2);
    if (entry?.subcommands && args.length >= 2) entry = entry.subcommands.get(args[1].latin1Slice(0, args[1].length).toLowerCase());
    if (entry === undefined) {
      c.reply.error('ERR Invalid command specified');
      return;
    }
    const [first, last, step] = keyRange(entry);
    if (first === 0) {
      c.reply.error('ERR The command has no key arguments');
      return;
    }
    if ((entry.arity > 0 && args.length !== entry.arity) || args.length < -entry.arity) {
      c.reply.error('ERR Invalid number of arguments specified for command');
      return;
    }
    const end = last < 0 ? args.length + last : last;
    const keys: Buffer[] = [];
    for (let i = first; i <= end && i < args.length; i += step) keys.push(args[i]);
    c.reply.array(keys.length);
    for (const k of keys) c.reply.bulkBuffer(k);
  }

  /** COMMAND HELP */
  @Command({ name: 'command|help', arity: 2, ...SPEC, since: '5.0.0', summary: 'Returns helpful text about the different subcommands.', aclCategories: ['@slow', '@connection'] })
  help(c: CommandContext): void {
    writeHelp(c, 'COMMAND', [
      '(no subcommand)', '    Return details about all Redis commands.',
      'COUNT', '    Return the total number of commands in this Redis server.',
      'LIST', '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]', '    Return details about multiple Redis commands.',
      'DOCS [<command-name> ...]', '    Return documentation details about multiple Redis commands.',
      'GETKEYS <full-command>', '    Return the keys from a full Redis command.',
    ]);
  }
}
