import { COMMAND_FLAGS, ERR_OOM, type CommandContext, type CommandInfo, type ServerContext } from 'redix-server';
import { extractErrorInformation, pushCountedErrorTable, pushErrorTable, raiseError } from './lua/lua-errors';
import { formatArgNumber } from './lua/lua-number-format';
import { bufferOf, latin1, lua, luaBytes, type LuaDebug, type LuaHook, type LuaState } from './lua/lua-runtime';
import { LOG_LEVEL_NAMES, PROPAGATE_AOF, PROPAGATE_REPL, type RedisApiHost } from './lua/lua-state';
import { writeLuaReply, writeUncountedError } from './lua/lua-to-reply';
import { lua51RuntimeMessage } from './lua/lua51-compat';
import { Lrand48 } from './lua/redis-random';
import { ReplyToLua } from './lua/reply-to-lua';
import { BUSY_EVAL, BUSY_FUNCTION, ScriptRun, type RunRequest } from './script-run';

/** Instructions between two looks at the clock (Redis uses 100000 on C Lua, ~10x faster). */
const HOOK_EVERY = 10000;
/** Once timed out, the script gives the event loop a turn this often (ms). */
const SLICE_MS = 20;

const HELP = Buffer.from('help');
const { noscript: NOSCRIPT, write: WRITE, may_replicate: MAY_REPLICATE, stale: STALE, denyoom: DENYOOM } = COMMAND_FLAGS;

/**
 * Runs scripts and functions (Redis's script.c + script_lua.c's luaCallFunction): one at a time,
 * each on a Lua thread resumed until it ends. A count hook looks at the clock; past
 * busy-reply-threshold the script yields, the caller is held (its next commands wait), other
 * clients get BUSY for all but allow_busy commands (SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE
 * ...), and the script is resumed on the next turn of the event loop until it ends or is killed.
 * Short scripts never yield: the hook costs one clock read per 10000 instructions.
 */
export class ScriptRunner implements RedisApiHost {
  current: ScriptRun | null = null;
  readonly random = new Lrand48();
  private client: CommandContext | null = null;
  private readonly replyParser = new ReplyToLua();
  /** A finished thread per Lua state, reused by the next run. */
  private readonly idleThreads = new WeakMap<LuaState, LuaState>();
  private readonly debug = new lua.lua_Debug();
  private readonly hooked = new WeakSet<LuaState>();
  private readonly commandCache = new WeakMap<Uint8Array, CommandInfo>();
  /** A command verify() refused whose rejection is counted once its error is (INFO commandstats). */
  private rejectedCall: CommandInfo | null = null;

  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call commands flagged noscript (a test hook of Redis's). */
  denyScriptsDisabled = false;

  constructor(private readonly server: ServerContext) {}

  get inScript(): boolean {
    return this.current !== null;
  }

  /** The client scripts run their commands as (Redis's lua_client), created on first use. */
  get scriptClient(): CommandContext {
    if (this.client === null) {
      const client = this.server.createInternalClient({ keepReplies: true, script: true });
      client.name = '';
      this.client = client;
    }
    return this.client;
  }

  // ---- running ----------------------------------------------------------------------------------

  /** Starts a run; its reply goes to the caller now or, for a long script, when it ends. */
  run(request: RunRequest): void {
    let thread = this.idleThreads.get(request.state);
    if (thread === undefined) {
      thread = lua.lua_newthread(request.state);
      lua.lua_pop(request.state, 1);
    } else {
      this.idleThreads.delete(request.state);
    }
    const run = new ScriptRun(request, thread);
    const client = this.scriptClient;
    client.selectDb(request.caller.dbIndex);
    client.reply.protocol = 2;
    client.reply.clear();
    client.reply.onError = request.caller.reply.onError;
    this.current = run;
    this.server.keyspace.feed.beginBatch();
    // A key alive when the script starts stays alive to its end (Redis's scriptTimeSnapshot).
    run.clock = this.server.keyspace.freezeClock();
    lua.lua_settop(thread, 0);
    const nargs = request.push(thread);
    run.threshold = this.server.config.get<number>('busy-reply-threshold');
    // Set once per thread (a reused thread keeps it): the hook itself finds the current run.
    if (!this.hooked.has(thread)) {
      lua.lua_sethook(thread, this.hook, lua.LUA_MASKCOUNT, HOOK_EVERY);
      this.hooked.add(thread);
    }
    this.slice(run, nargs);
  }

  private slice(run: ScriptRun, nargs: number): void {
    run.sliceStartedAt = performance.now();
    let status: number;
    try {
      status = lua.lua_resume(run.thread, null, nargs);
    } catch (e) {
      this.server.logger.warning(`Lua engine failure in script ${run.request.name}: ${(e as Error).stack ?? String(e)}`);
      lua.lua_settop(run.thread, 0);
      lua.lua_pushstring(run.thread, luaBytes(`internal error: ${(e as Error).message}`));
      status = lua.LUA_ERRRUN;
    }
    if (status === lua.LUA_YIELD) {
      this.suspend(run);
      return;
    }
    this.finish(run, status);
  }

  private suspend(run: ScriptRun): void {
    if (!run.suspended) {
      run.suspended = true;
      // The caller's argv views the read buffer, which later reads reuse.
      run.argv = run.request.argv.map((a) => Buffer.from(a));
      this.server.busy = run.request.isEval ? BUSY_EVAL : BUSY_FUNCTION;
      run.caller.block(0, { timeout: () => undefined });
    }
    setImmediate(() => this.slice(run, 0));
  }

  private finish(run: ScriptRun, status: number): void {
    const thread = run.thread;
    try {
      if (status === lua.LUA_OK) {
        if (lua.lua_gettop(thread) === 0) lua.lua_pushnil(thread);
        else lua.lua_settop(thread, 1);
        writeLuaReply(thread, run.caller.reply, run.resp);
        this.idleThreads.set(run.request.state, thread);
      } else {
        this.replyError(run, status);
      }
    } catch (e) {
      this.server.logger.warning(`Replying the result of script ${run.request.name} failed: ${(e as Error).stack ?? String(e)}`);
      run.caller.reply.error(`ERR internal error while replying the result of the script: ${(e as Error).message}`);
    } finally {
      lua.lua_settop(thread, 0);
      // A kill turned the hook into a line hook: set the count hook again for the next run.
      if (run.killed) lua.lua_sethook(thread, this.hook, lua.LUA_MASKCOUNT, HOOK_EVERY);
      this.current = null;
      const client = this.scriptClient;
      client.reply.clear();
      client.reply.onError = null;
      this.server.keyspace.feed.endBatch(run.caller);
      this.server.keyspace.thawClock(run.clock);
      if (run.suspended) {
        this.server.busy = null;
        run.caller.unblock();
        this.server.flushClient(run.caller);
      }
    }
  }

  /**
   * The error reply of a script that raised an error, as Redis's error handler and
   * luaCallFunction build it: the message (a string error gets "ERR "), then where it happened.
   */
  private replyError(run: ScriptRun, status: number): void {
    const thread = run.thread;
    const reply = run.caller.reply;
    // The error value is read on the main state: a dead thread has no stack room left.
    const L = run.request.state;
    const top = lua.lua_gettop(L);
    lua.lua_checkstack(L, 8);
    lua.lua_xmove(thread, L, 1);
    try {
      if (status !== lua.LUA_ERRRUN) {
        const msg = lua.lua_isstring(L, -1) ? latin1(lua.lua_tolstring(L, -1)!) : 'execution failure';
        reply.error(`ERR Error running script ${run.request.name}, ${msg.slice(0, 100)} `);
        return;
      }
      const info = extractErrorInformation(L, -1);
      const t = lua.lua_type(L, -1);
      if (t !== lua.LUA_TTABLE && t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) info.msg = 'ERR ' + this.toLuaString(L, -1);
      const where = this.errorPosition(thread);
      let message = lua51RuntimeMessage(info.msg ?? '');
      if (message.startsWith('-')) message = message.slice(1);
      if (where !== null) message += ` script: ${run.request.name}, on ${where.source}:${where.line}.`;
      if (info.ignoreStats) writeUncountedError(reply, message);
      else reply.error(message);
    } finally {
      lua.lua_settop(L, top);
    }
  }

  private toLuaString(L: LuaState, idx: number): string {
    switch (lua.lua_type(L, idx)) {
      case lua.LUA_TNIL: return 'nil';
      case lua.LUA_TBOOLEAN: return lua.lua_toboolean(L, idx) ? 'true' : 'false';
      default: return latin1(lua.lua_tolstring(L, idx) ?? luaBytes('?'));
    }
  }

  /** The Lua code an error happened in: the function that raised it, or its caller when that is a library function. */
  private errorPosition(thread: LuaState): { source: string; line: number } | null {
    const ar = this.debug;
    if (!lua.lua_getstack(thread, 0, ar)) return null;
    lua.lua_getinfo(thread, 'nSl', ar);
    const what = ar.what === null ? '' : latin1(ar.what);
    if (what === 'C' || what === 'J') {
      if (!lua.lua_getstack(thread, 1, ar)) return null;
      lua.lua_getinfo(thread, 'nSl', ar);
    }
    return { source: ar.source === null ? '?' : latin1(ar.source), line: ar.currentline };
  }

  /** The count hook: kill requests, and the time limit after which the script yields. */
  private readonly hook: LuaHook = (L: LuaState, _ar: LuaDebug) => {
    const run = this.current;
    if (run === null) return;
    if (run.killed) {
      // Every line from now on raises again, so a pcall cannot swallow the kill.
      lua.lua_sethook(L, this.hook, lua.LUA_MASKLINE, 0);
      this.server.logger.warning('Lua script killed by user with SCRIPT KILL.');
      raiseError(L, 'Script killed by user with SCRIPT KILL...');
    }
    if (L !== run.thread) return;
    const now = performance.now();
    if (!run.timedOut) {
      if (run.threshold <= 0 || now - run.startedAt < run.threshold) return;
      run.timedOut = true;
      this.server.logger.warning(
        `Slow script detected: still in execution after ${Math.floor(now - run.startedAt)} milliseconds. ` +
        `You can try killing the script using the ${run.request.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.request.name}.`,
      );
    }
    if (run.mustRunToEnd || now - run.sliceStartedAt < SLICE_MS || !lua.lua_isyieldable(L)) return;
    lua.lua_yield(L, 0);
  };

  // ---- SCRIPT KILL / FUNCTION KILL -----------------------------------------------------------------

  /** scriptKill: replies to `c` whether the running script could be marked for killing. */
  kill(c: CommandContext, isEval: boolean): void {
    const run = this.current;
    if (run === null) {
      c.reply.error('NOTBUSY No scripts in execution right now.');
    } else if (run.caller.isMasterLink) {
      c.reply.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
    } else if (run.writeDirty) {
      c.reply.error('UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
    } else if (isEval && !run.request.isEval) {
      c.reply.error(BUSY_FUNCTION);
    } else if (!isEval && run.request.isEval) {
      c.reply.error(BUSY_EVAL);
    } else {
      run.killed = true;
      c.reply.ok();
    }
  }

  // ---- the redis table ----------------------------------------------------------------------------

  setResp(resp: number): void {
    if (this.current !== null) this.current.resp = resp === 3 ? 3 : 2;
  }

  setRepl(flags: number): void {
    if (this.current !== null) this.current.replFlags = flags;
  }

  log(level: number, message: string): void {
    this.server.logger.log(LOG_LEVEL_NAMES[level], message);
  }

  /** redis.call / redis.pcall (luaRedisGenericCommand + scriptCall). */
  call(L: LuaState, raise: boolean): number {
    const run = this.current;
    if (run === null) raiseError(L, 'redis.call/pcall can only be called inside a script invocation');
    const argc = lua.lua_gettop(L);
    if (argc === 0) {
      pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
      return raise ? lua.lua_error(L) : 1;
    }
    const argv: Buffer[] = new Array(argc);
    let name: Uint8Array | null = null;
    let j = 0;
    for (; j < argc; j++) {
      const t = lua.lua_type(L, j + 1);
      if (t === lua.LUA_TNUMBER) {
        argv[j] = Buffer.from(formatArgNumber(lua.lua_tonumber(L, j + 1)), 'latin1');
      } else if (t === lua.LUA_TSTRING) {
        const s = lua.lua_tolstring(L, j + 1)!;
        if (j === 0) name = s;
        argv[j] = bufferOf(s);
      } else {
        break;
      }
    }
    lua.lua_settop(L, 0);
    if (j !== argc) {
      pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
      return raise ? lua.lua_error(L) : 1;
    }
    const client = this.scriptClient;
    const error = this.verify(run, argv, name);
    if (error !== null) {
      // Counted in the error statistics as the command's rejection (afterErrorReply).
      client.reply.error(error.startsWith('-') ? error.slice(1) : 'ERR ' + error);
      client.reply.clear();
      // After the error is counted: it is the refused command's (rejected_calls), not the script's.
      if (this.rejectedCall !== null) {
        this.server.countRejectedCall(this.rejectedCall);
        this.rejectedCall = null;
      }
      pushCountedErrorTable(L, error);
      return raise ? lua.lua_error(L) : 1;
    }
    if ((run.replFlags & (PROPAGATE_AOF | PROPAGATE_REPL)) === 0) client.preventPropagation();
    client.reply.protocol = run.resp;
    this.server.execute(client, argv);
    const bytes = client.reply.takeView();
    if (bytes === null) {
      lua.lua_pushboolean(L, false);
      return 1;
    }
    const isError = this.replyParser.push(L, bytes);
    return raise && isError ? lua.lua_error(L) : 1;
  }

  /** True for a container command (CONFIG, CLIENT ...): they all have a HELP subcommand. */
  private isContainer(name: Buffer): boolean {
    return this.server.lookupCommand([name, HELP])?.fullName.indexOf('|') !== -1;
  }

  /** scriptCall's checks: an error text (with its code, or "ERR" implied) or null when the command may run. */
  private verify(run: ScriptRun, argv: Buffer[], name: Uint8Array | null): string | null {
    // A command name written in the script is the same Lua string on every call: its lookup is
    // remembered (not for containers, whose entry depends on the subcommand).
    let cmd = name === null ? undefined : this.commandCache.get(name);
    if (cmd === undefined) {
      cmd = this.server.lookupCommand(argv);
      if (cmd !== undefined && name !== null && cmd.fullName.indexOf('|') < 0 && !this.isContainer(argv[0])) this.commandCache.set(name, cmd);
    }
    if (cmd === undefined) return 'Unknown Redis command called from script';
    // Any refusal from here on is this command's rejected call (scriptCall's incrCommandStatsOnError).
    this.rejectedCall = cmd;
    const arity = cmd.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) return 'Wrong number of args calling Redis command from script';
    const flags = cmd.flags;
    if ((flags & NOSCRIPT) !== 0 && !this.denyScriptsDisabled) return 'This Redis command is not allowed from script';
    const server = this.server;
    if (server.denyStale !== null && (flags & STALE) === 0) return 'Can not execute the command on a stale replica';
    if (run.readOnly && (flags & (WRITE | MAY_REPLICATE)) !== 0) return 'Write commands are not allowed from read-only scripts.';
    if ((flags & WRITE) === 0) {
      this.rejectedCall = null;
      return null;
    }
    if (!run.writeDirty) {
      const obeyed = run.caller.isMasterLink || run.caller.isInternal;
      // scriptVerifyOOM: only a script's first write, on the OOM state found when the script started.
      if ((flags & DENYOOM) !== 0 && !run.allowOom && !obeyed && server.eviction.maxmemory !== 0 && server.eviction.outOfMemory) {
        return '-' + ERR_OOM;
      }
      if (server.readOnly && !obeyed) return "-READONLY You can't write against a read only replica.";
      if (server.diskError !== null && !obeyed) return '-' + server.diskError;
      if (server.denyWrites !== null && !obeyed) return '-' + server.denyWrites;
    }
    run.writeDirty = true;
    this.rejectedCall = null;
    return null;
  }
}
