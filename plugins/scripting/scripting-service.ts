import type { CommandContext, ServerContext } from 'redix-server';
import { EvalScripts } from './eval-scripts';
import { FunctionLibraries } from './function-libraries';
import { SCRIPT_FLAG } from './script-run';
import { ScriptRunner } from './script-runner';

const SERVICES = new WeakMap<ServerContext, Scripting>();

const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/** The scripting state of one server: the runner, the EVAL cache and the function libraries. */
export class Scripting {
  readonly runner: ScriptRunner;
  readonly evalScripts: EvalScripts;
  readonly functions: FunctionLibraries;

  private constructor(readonly server: ServerContext) {
    this.runner = new ScriptRunner(server);
    this.evalScripts = new EvalScripts(this.runner);
    this.functions = new FunctionLibraries(this.runner);
  }

  static of(server: ServerContext): Scripting {
    let s = SERVICES.get(server);
    if (s === undefined) {
      s = new Scripting(server);
      SERVICES.set(server, s);
    }
    return s;
  }

  /**
   * The checks a script's flags add before it runs: processCommand's, for the flags a shebang or
   * register_function declared (Redis computes the command's flags from them), then
   * scriptPrepareForRun's. Replies the error and returns false when the script may not run.
   */
  mayRun(c: CommandContext, flags: number, readOnlyCommand: boolean): boolean {
    const server = this.server;
    const obeyed = c.isMasterLink || c.isInternal;
    if ((flags & SCRIPT_FLAG.EVAL_COMPAT_MODE) !== 0) {
      if (server.denyStale !== null && !obeyed) {
        c.reply.error(MASTERDOWN);
        return false;
      }
      return true;
    }
    const writes = (flags & SCRIPT_FLAG.NO_WRITES) === 0;
    if (writes && !obeyed) {
      if (server.diskError !== null) {
        c.reply.error(server.diskError);
        return false;
      }
      if (server.denyWrites !== null) {
        c.reply.error(server.denyWrites);
        return false;
      }
      if (server.readOnly) {
        c.reply.error("READONLY You can't write against a read only replica.");
        return false;
      }
    }
    if (server.denyStale !== null && !obeyed && (flags & SCRIPT_FLAG.ALLOW_STALE) === 0) {
      c.reply.error(MASTERDOWN);
      return false;
    }
    if (writes && readOnlyCommand) {
      c.reply.error('ERR Can not execute a script with write flag using *_ro command.');
      return false;
    }
    return true;
  }

  /** INFO memory's scripting fields (Redis 7.0's names); the Lua VMs' sizes are estimates. */
  memoryFields(): [string, number | string][] {
    const evalVm = 31744 + this.evalScripts.size * 512;
    const functionsVm = 32768 + this.functions.memory;
    const evalScripts = this.evalScripts.memory;
    const functionsOverhead = this.functions.memory === 0 ? 184 : 184 + this.functions.memory;
    const scripts = evalScripts + functionsOverhead;
    return [
      ['used_memory_lua', evalVm],
      ['used_memory_vm_eval', evalVm],
      ['used_memory_lua_human', human(evalVm)],
      ['used_memory_scripts_eval', evalScripts],
      ['number_of_cached_scripts', this.evalScripts.size],
      ['number_of_functions', this.functions.functionCount],
      ['number_of_libraries', this.functions.libraries.size],
      ['used_memory_vm_functions', functionsVm],
      ['used_memory_vm_total', evalVm + functionsVm],
      ['used_memory_vm_total_human', human(evalVm + functionsVm)],
      ['used_memory_functions', functionsOverhead],
      ['used_memory_scripts', scripts],
      ['used_memory_scripts_human', human(scripts)],
    ];
  }
}

function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)}K`;
  return `${(n / (1024 * 1024)).toFixed(2)}M`;
}
