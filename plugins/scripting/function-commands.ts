import { COMMAND_FLAGS, Command, CommandModule, TOKENS, globMatch, inject, isKeyword, parseInt64, writeHelp, type CommandContext, type ServerContext } from 'redix-server';
import { pushArray } from './eval-scripts';
import { decodeFunctionDump, encodeFunctionDump } from './function-dump';
import { LOAD_TIMEOUT_MS } from './function-libraries';
import { lua } from './lua/lua-runtime';
import { BUSY_EVAL, SCRIPT_FLAG_NAMES } from './script-run';
import { Scripting } from './scripting-service';
import { SCRIPTING_DOCS } from './scripting-docs';
import { scriptFlagsToCommandFlags } from './script-command-flags';

const HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const SUB = { group: 'scripting', since: '7.0.0' } as const;
const ACL = ['@slow', '@scripting'];
const ACL_WRITE = ['@write', '@slow', '@scripting'];
const CALL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'] as const;
const CALL_RO_FLAGS = ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;
const FCALL_BITS = CALL_FLAGS.reduce((bits, name) => bits | COMMAND_FLAGS[name], 0);
const FCALL_RO_BITS = CALL_RO_FLAGS.reduce((bits, name) => bits | COMMAND_FLAGS[name], 0);

/** An argument as Redis echoes it through "%s": up to its first NUL byte. */
function cString(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.latin1Slice(0, nul < 0 ? arg.length : nul);
}

function subcommandSyntaxError(c: CommandContext, argv: Buffer[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${cString(argv[1])}'. Try FUNCTION HELP.`);
}

/** FUNCTION LOAD | DELETE | FLUSH | LIST | DUMP | RESTORE | STATS | KILL | HELP (Redis's functions.c). */
@CommandModule({ containers: [{ name: 'function', group: 'scripting', since: '7.0.0', summary: 'A container for function commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class FunctionCommands {
  private readonly scripting: Scripting;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {
    this.scripting = Scripting.of(server);
  }

  /** FUNCTION LOAD [REPLACE] function-code */
  @Command({ name: 'function|load', arity: -3, flags: ['write', 'denyoom', 'noscript'], ...SUB, summary: 'Create a function with the given arguments (name, code, description)', complexity: 'O(1) (considering compilation time is redundant)', aclCategories: ACL_WRITE, ...SCRIPTING_DOCS['function|load'] })
  load(c: CommandContext, argv: Buffer[]): void {
    let replace = false;
    let pos = 2;
    while (pos < argv.length - 1) {
      const arg = argv[pos++];
      if (isKeyword(arg, 'REPLACE')) {
        replace = true;
        continue;
      }
      c.reply.error(`ERR Unknown option given: ${cString(arg)}`);
      return;
    }
    if (pos >= argv.length) {
      c.reply.error('ERR Function code is missing');
      return;
    }
    const timeout = c.isMasterLink || c.isInternal ? 0 : LOAD_TIMEOUT_MS;
    const result = this.scripting.functions.load(argv[pos].latin1Slice(0, argv[pos].length), replace, timeout);
    if (!result.ok) {
      c.reply.error(result.error);
      return;
    }
    c.forcePropagation();
    c.reply.bulk(result.name);
  }

  /** FUNCTION DELETE library-name */
  @Command({ name: 'function|delete', arity: 3, flags: ['write', 'noscript'], ...SUB, summary: 'Delete a function by name', complexity: 'O(1)', aclCategories: ACL_WRITE, ...SCRIPTING_DOCS['function|delete'] })
  delete(c: CommandContext, argv: Buffer[]): void {
    if (!this.scripting.functions.delete(argv[2].latin1Slice(0, argv[2].length))) {
      c.reply.error('ERR Library not found');
      return;
    }
    c.forcePropagation();
    c.reply.ok();
  }

  /** FUNCTION FLUSH [ASYNC|SYNC] */
  @Command({ name: 'function|flush', arity: -2, flags: ['write', 'noscript'], ...SUB, summary: 'Deleting all functions', complexity: 'O(N) where N is the number of functions deleted', aclCategories: ACL_WRITE, ...SCRIPTING_DOCS['function|flush'] })
  flush(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 3) {
      subcommandSyntaxError(c, argv);
      return;
    }
    if (argv.length === 3 && !isKeyword(argv[2], 'ASYNC') && !isKeyword(argv[2], 'SYNC')) {
      c.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
      return;
    }
    this.scripting.functions.flush();
    // Redis counts a flush as a change even when there was nothing to flush, so it replicates.
    c.forcePropagation();
    c.reply.ok();
  }

  /** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
  @Command({ name: 'function|list', arity: -2, flags: ['noscript'], ...SUB, summary: 'List information about all the functions', complexity: 'O(N) where N is the number of functions', aclCategories: ACL, ...SCRIPTING_DOCS['function|list'] })
  list(c: CommandContext, argv: Buffer[]): void {
    let withCode = false;
    let pattern: Buffer | null = null;
    for (let i = 2; i < argv.length; i++) {
      // Each option may be given once; a repeat is an unknown argument.
      if (!withCode && isKeyword(argv[i], 'WITHCODE')) {
        withCode = true;
      } else if (pattern === null && isKeyword(argv[i], 'LIBRARYNAME')) {
        if (i >= argv.length - 1) {
          c.reply.error('ERR library name argument was not given');
          return;
        }
        pattern = argv[++i];
      } else {
        c.reply.error(`ERR Unknown argument ${cString(argv[i])}`);
        return;
      }
    }
    const libraries = [...this.scripting.functions.libraries.values()].filter(
      (l) => pattern === null || globMatch(pattern.latin1Slice(0, pattern.length), l.name, true),
    );
    const r = c.reply;
    r.array(libraries.length);
    for (const library of libraries) {
      r.map(withCode ? 4 : 3);
      r.bulk('library_name');
      r.bulk(library.name);
      r.bulk('engine');
      r.bulk('LUA');
      r.bulk('functions');
      r.array(library.functions.size);
      for (const fn of library.functions.values()) {
        r.map(3);
        r.bulk('name');
        r.bulk(fn.name);
        r.bulk('description');
        if (fn.description === null) r.nullBulk();
        else r.bulk(fn.description);
        r.bulk('flags');
        const flags = SCRIPT_FLAG_NAMES.filter(([, bit]) => (fn.flags & bit) !== 0);
        r.set(flags.length);
        for (const [name] of flags) r.status(name);
      }
      if (withCode) {
        r.bulk('library_code');
        r.bulk(library.code);
      }
    }
  }

  /** FUNCTION DUMP */
  @Command({ name: 'function|dump', arity: 2, flags: ['noscript'], ...SUB, summary: 'Dump all functions into a serialized binary payload', complexity: 'O(N) where N is the number of functions', aclCategories: ACL })
  dump(c: CommandContext): void {
    c.reply.bulkBuffer(encodeFunctionDump(this.scripting.functions.codes(), this.server.config.get<boolean>('rdbcompression')));
  }

  /** FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE] */
  @Command({ name: 'function|restore', arity: -3, flags: ['write', 'denyoom', 'noscript'], ...SUB, summary: 'Restore all the functions on the given payload', complexity: 'O(N) where N is the number of functions on the payload', aclCategories: ACL_WRITE, ...SCRIPTING_DOCS['function|restore'] })
  restore(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 4) {
      subcommandSyntaxError(c, argv);
      return;
    }
    let mode: 'flush' | 'append' | 'replace' = 'append';
    if (argv.length === 4) {
      if (isKeyword(argv[3], 'APPEND')) mode = 'append';
      else if (isKeyword(argv[3], 'REPLACE')) mode = 'replace';
      else if (isKeyword(argv[3], 'FLUSH')) mode = 'flush';
      else {
        c.reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
        return;
      }
    }
    const decoded = decodeFunctionDump(argv[2]);
    if (!decoded.ok) {
      c.reply.error(decoded.error);
      return;
    }
    const error = this.scripting.functions.restore(decoded.codes, mode);
    if (error !== null) {
      c.reply.error(error);
      return;
    }
    c.forcePropagation();
    c.reply.ok();
  }

  /** FUNCTION STATS */
  @Command({ name: 'function|stats', arity: 2, flags: ['noscript', 'allow_busy'], ...SUB, summary: 'Return information about the function currently running (name, description, duration)', complexity: 'O(1)', aclCategories: ACL, ...SCRIPTING_DOCS['function|stats'] })
  stats(c: CommandContext): void {
    const run = this.scripting.runner.current;
    if (run !== null && run.request.isEval) {
      c.reply.error(BUSY_EVAL);
      return;
    }
    const r = c.reply;
    r.map(2);
    r.bulk('running_script');
    if (run === null) {
      r.nullBulk();
    } else {
      r.map(3);
      r.bulk('name');
      r.bulk(run.request.name);
      r.bulk('command');
      r.array(run.argv.length);
      for (const a of run.argv) r.bulkBuffer(a);
      r.bulk('duration_ms');
      r.integer(Math.floor(performance.now() - run.startedAt));
    }
    const functions = this.scripting.functions;
    r.bulk('engines');
    r.map(1);
    r.bulk('LUA');
    r.map(2);
    r.bulk('libraries_count');
    r.integer(functions.libraries.size);
    r.bulk('functions_count');
    r.integer(functions.functionCount);
  }

  /** FUNCTION KILL */
  @Command({ name: 'function|kill', arity: 2, flags: ['noscript', 'allow_busy'], ...SUB, summary: 'Kill the function currently in execution.', complexity: 'O(1)', aclCategories: ACL, ...SCRIPTING_DOCS['function|kill'] })
  kill(c: CommandContext): void {
    this.scripting.runner.kill(c, false);
  }

  /** FUNCTION HELP */
  @Command({ name: 'function|help', arity: 2, flags: ['loading', 'stale'], ...SUB, summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ACL })
  help(c: CommandContext): void {
    writeHelp(c, 'FUNCTION', HELP);
  }
}

/** FCALL and FCALL_RO. */
@CommandModule()
export class FcallCommands {
  private readonly scripting: Scripting;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.scripting = Scripting.of(server);
  }

  /** FCALL function numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'fcall', arity: -3, callFlags: 'fcallFlags', flags: [...CALL_FLAGS], group: 'scripting', since: '7.0.0', summary: 'Invoke a function', complexity: 'Depends on the function that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.fcall })
  fcall(c: CommandContext, argv: Buffer[]): void {
    this.fcallGeneric(c, argv, false);
  }

  /** FCALL_RO function numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'fcall_ro', arity: -3, callFlags: 'fcallRoFlags', flags: [...CALL_RO_FLAGS], group: 'scripting', since: '7.0.0', summary: 'Invoke a read-only function', complexity: 'Depends on the function that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.fcall_ro })
  fcallRo(c: CommandContext, argv: Buffer[]): void {
    this.fcallGeneric(c, argv, true);
  }

  // This call's flags: the function's declared flags replace the command's (fcallGetCommandFlags).
  fcallFlags(argv: Buffer[]): number {
    return this.functionFlags(FCALL_BITS, argv[1]);
  }

  fcallRoFlags(argv: Buffer[]): number {
    return this.functionFlags(FCALL_RO_BITS, argv[1]);
  }

  private functionFlags(commandFlags: number, name: Buffer): number {
    const fn = this.scripting.functions.function(name.latin1Slice(0, name.length));
    return fn === undefined ? commandFlags : scriptFlagsToCommandFlags(commandFlags, fn.flags);
  }

  private fcallGeneric(c: CommandContext, argv: Buffer[], readOnly: boolean): void {
    // MONITOR shows FCALL before the commands its function runs.
    c.feedMonitor();
    const s = this.scripting;
    const fn = s.functions.function(argv[1].latin1Slice(0, argv[1].length));
    if (fn === undefined) {
      c.reply.error('ERR Function not found');
      return;
    }
    const n = parseInt64(argv[2]);
    if (n === null) {
      c.reply.error('ERR Bad number of keys provided');
      return;
    }
    if (n > BigInt(argv.length - 3)) {
      c.reply.error("ERR Number of keys can't be greater than number of args");
      return;
    }
    if (n < 0n) {
      c.reply.error("ERR Number of keys can't be negative");
      return;
    }
    if (s.runner.current !== null) {
      c.reply.error('ERR a script is already running');
      return;
    }
    if (!s.mayRun(c, fn.flags, readOnly)) return;
    c.preventPropagation();
    const numkeys = Number(n);
    const keys = argv.slice(3, 3 + numkeys);
    const args = argv.slice(3 + numkeys);
    const ref = fn.ref;
    s.runner.run({
      caller: c,
      name: fn.name,
      isEval: false,
      flags: fn.flags,
      readOnlyCommand: readOnly,
      state: s.functions.L,
      argv,
      push: (thread) => {
        lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, ref);
        pushArray(thread, keys);
        pushArray(thread, args);
        return 2;
      },
    });
  }
}
