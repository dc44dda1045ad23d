import { COMMAND_FLAGS, Command, CommandModule, TOKENS, inject, isKeyword, parseInt64, writeHelp, type CommandContext, type ServerContext } from 'redix-server';
import type { CachedScript } from './eval-scripts';
import { lua } from './lua/lua-runtime';
import { Scripting } from './scripting-service';
import { SCRIPTING_DOCS } from './scripting-docs';
import { evalBodyFlags, scriptFlagsToCommandFlags } from './script-command-flags';

const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';
const SCRIPT_FLAGS = ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'] as const;
const RO_FLAGS = ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;
const bitsOf = (names: readonly (keyof typeof COMMAND_FLAGS)[]): number => names.reduce((bits, name) => bits | COMMAND_FLAGS[name], 0);
const EVAL_BITS = bitsOf(SCRIPT_FLAGS);
const EVAL_RO_BITS = bitsOf(RO_FLAGS);
const ACL = ['@slow', '@scripting'];

/** Parses numkeys (argv[2]) as EVAL does; null after replying the error. */
export function numKeysOrReply(c: CommandContext, argv: Buffer[], notIntegerError: string | null): number | null {
  const n = parseInt64(argv[2]);
  if (n === null) {
    c.reply.error(notIntegerError ?? 'ERR value is not an integer or out of range');
    return null;
  }
  if (n > BigInt(argv.length - 3)) {
    c.reply.error("ERR Number of keys can't be greater than number of args");
    return null;
  }
  if (n < 0n) {
    c.reply.error("ERR Number of keys can't be negative");
    return null;
  }
  return Number(n);
}

/** EVAL, EVALSHA and their read-only forms (Redis's eval.c evalGenericCommand). */
@CommandModule()
export class EvalCommands {
  private readonly scripting: Scripting;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.scripting = Scripting.of(server);
  }

  /** EVAL script numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'eval', arity: -3, callFlags: 'evalFlags', flags: [...SCRIPT_FLAGS], group: 'scripting', since: '2.6.0', summary: 'Execute a Lua script server side', complexity: 'Depends on the script that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.eval })
  eval(c: CommandContext, argv: Buffer[]): void {
    this.evalGeneric(c, argv, false, false);
  }

  /** EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'evalsha', arity: -3, callFlags: 'evalshaFlags', flags: [...SCRIPT_FLAGS], group: 'scripting', since: '2.6.0', summary: 'Execute a Lua script server side', complexity: 'Depends on the script that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.evalsha })
  evalsha(c: CommandContext, argv: Buffer[]): void {
    this.evalGeneric(c, argv, true, false);
  }

  /** EVAL_RO script numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'eval_ro', arity: -3, callFlags: 'evalRoFlags', flags: [...RO_FLAGS], group: 'scripting', since: '7.0.0', summary: 'Execute a read-only Lua script server side', complexity: 'Depends on the script that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.eval_ro })
  evalRo(c: CommandContext, argv: Buffer[]): void {
    this.evalGeneric(c, argv, false, true);
  }

  /** EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]] */
  @Command({ name: 'evalsha_ro', arity: -3, callFlags: 'evalshaRoFlags', flags: [...RO_FLAGS], group: 'scripting', since: '7.0.0', summary: 'Execute a read-only Lua script server side', complexity: 'Depends on the script that is executed.', aclCategories: ACL, ...SCRIPTING_DOCS.evalsha_ro })
  evalshaRo(c: CommandContext, argv: Buffer[]): void {
    this.evalGeneric(c, argv, true, true);
  }

  // This call's flags: a script's shebang flags replace the command's (evalGetCommandFlags).
  evalFlags(argv: Buffer[]): number {
    return this.scriptBodyFlags(EVAL_BITS, argv[1]);
  }

  evalRoFlags(argv: Buffer[]): number {
    return this.scriptBodyFlags(EVAL_RO_BITS, argv[1]);
  }

  evalshaFlags(argv: Buffer[]): number {
    return this.cachedScriptFlags(EVAL_BITS, argv[1]);
  }

  evalshaRoFlags(argv: Buffer[]): number {
    return this.cachedScriptFlags(EVAL_RO_BITS, argv[1]);
  }

  private scriptBodyFlags(commandFlags: number, body: Buffer): number {
    return evalBodyFlags(commandFlags, body);
  }

  private cachedScriptFlags(commandFlags: number, sha: Buffer): number {
    if (sha.length !== 40) return commandFlags;
    const script = this.scripting.evalScripts.get(sha.latin1Slice(0, 40));
    return script === undefined ? commandFlags : scriptFlagsToCommandFlags(commandFlags, script.flags);
  }

  private evalGeneric(c: CommandContext, argv: Buffer[], evalsha: boolean, readOnly: boolean): void {
    // MONITOR shows the script's command before the commands it runs (even one refused below).
    c.feedMonitor();
    // A SHA of another length cannot match: refused before numkeys is even parsed, as Redis does.
    if (evalsha && argv[1].length !== 40) {
      c.reply.error(NOSCRIPT);
      return;
    }
    const numkeys = numKeysOrReply(c, argv, null);
    if (numkeys === null) return;
    const s = this.scripting;
    let script: CachedScript | undefined;
    if (evalsha) {
      script = s.evalScripts.get(argv[1].latin1Slice(0, 40));
      if (script === undefined) {
        c.reply.error(NOSCRIPT);
        return;
      }
    } else {
      const created = s.evalScripts.create(argv[1]);
      if (!created.ok) {
        c.reply.error(created.error);
        return;
      }
      script = created.script;
    }
    if (s.runner.current !== null) {
      c.reply.error('ERR a script is already running');
      return;
    }
    if (!s.mayRun(c, script.flags, readOnly)) return;
    // Effects replication: the commands the script runs are propagated, not the script.
    c.preventPropagation();
    const keys = argv.slice(3, 3 + numkeys);
    const args = argv.slice(3 + numkeys);
    const evalScripts = s.evalScripts;
    const ref = script.ref;
    evalScripts.setKeysAndArgs(keys, args);
    s.runner.run({
      caller: c,
      name: script.sha,
      isEval: true,
      flags: script.flags,
      readOnlyCommand: readOnly,
      state: evalScripts.L,
      argv,
      push: (thread) => {
        lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, ref);
        return 0;
      },
    });
  }
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

const SUB = { group: 'scripting', since: '2.6.0', aclCategories: ACL } as const;

/** SCRIPT LOAD | EXISTS | FLUSH | KILL | DEBUG | HELP */
@CommandModule({ containers: [{ name: 'script', group: 'scripting', since: '2.6.0', summary: 'A container for Lua scripts management commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class ScriptCommands {
  private readonly scripting: Scripting;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.scripting = Scripting.of(server);
  }

  /** SCRIPT LOAD script */
  @Command({ name: 'script|load', arity: 3, flags: ['noscript', 'stale'], ...SUB, summary: 'Load the specified Lua script into the script cache.', complexity: 'O(N) with N being the length in bytes of the script body.', ...SCRIPTING_DOCS['script|load'] })
  load(c: CommandContext, argv: Buffer[]): void {
    const created = this.scripting.evalScripts.create(argv[2]);
    if (!created.ok) c.reply.error(created.error);
    else c.reply.bulk(created.script.sha);
  }

  /** SCRIPT EXISTS sha1 [sha1 ...] */
  @Command({ name: 'script|exists', arity: -3, flags: ['noscript'], ...SUB, summary: 'Check existence of scripts in the script cache.', complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).', ...SCRIPTING_DOCS['script|exists'] })
  exists(c: CommandContext, argv: Buffer[]): void {
    c.reply.array(argv.length - 2);
    for (let j = 2; j < argv.length; j++) {
      c.reply.integer(this.scripting.evalScripts.get(argv[j].latin1Slice(0, argv[j].length)) === undefined ? 0 : 1);
    }
  }

  /** SCRIPT FLUSH [ASYNC|SYNC] */
  @Command({ name: 'script|flush', arity: -2, flags: ['noscript'], ...SUB, summary: 'Remove all the scripts from the script cache.', complexity: 'O(N) with N being the number of scripts in cache', ...SCRIPTING_DOCS['script|flush'] })
  flush(c: CommandContext, argv: Buffer[]): void {
    if (argv.length > 3 || (argv.length === 3 && !isKeyword(argv[2], 'SYNC') && !isKeyword(argv[2], 'ASYNC'))) {
      c.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
      return;
    }
    this.scripting.evalScripts.flush();
    c.reply.ok();
  }

  /** SCRIPT KILL */
  @Command({ name: 'script|kill', arity: 2, flags: ['noscript', 'allow_busy'], ...SUB, summary: 'Kill the script currently in execution.', complexity: 'O(1)', ...SCRIPTING_DOCS['script|kill'] })
  kill(c: CommandContext): void {
    this.scripting.runner.kill(c, true);
  }

  /** SCRIPT DEBUG YES|SYNC|NO: Redix has no Lua debugger; NO is accepted (it is the default). */
  @Command({ name: 'script|debug', arity: 3, flags: ['noscript'], ...SUB, since: '3.2.0', summary: 'Set the debug mode for executed scripts.', complexity: 'O(1)', ...SCRIPTING_DOCS['script|debug'] })
  debug(c: CommandContext, argv: Buffer[]): void {
    if (isKeyword(argv[2], 'NO')) c.reply.ok();
    else if (isKeyword(argv[2], 'YES') || isKeyword(argv[2], 'SYNC')) c.reply.error('ERR SCRIPT DEBUG is not supported by this server (Redix has no Lua debugger)');
    else c.reply.error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
  }

  /** SCRIPT HELP */
  @Command({ name: 'script|help', arity: 2, flags: ['loading', 'stale'], ...SUB, since: '5.0.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)' })
  help(c: CommandContext): void {
    writeHelp(c, 'SCRIPT', SCRIPT_HELP);
  }
}
