import type { CommandContext } from 'redix-server';
import type { LuaState } from './lua/lua-runtime';

/** Script flags, as shebangs and redis.register_function declare them (Redis's SCRIPT_FLAG_*). */
export const SCRIPT_FLAG = {
  NO_WRITES: 1 << 0,
  ALLOW_OOM: 1 << 1,
  ALLOW_STALE: 1 << 2,
  NO_CLUSTER: 1 << 3,
  /** An EVAL script without a shebang: Redis 6 behaviour, flags come from its commands. */
  EVAL_COMPAT_MODE: 1 << 4,
  ALLOW_CROSS_SLOT: 1 << 5,
} as const;

/** Flag names in the order FUNCTION LIST and shebangs know them. */
export const SCRIPT_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['no-writes', SCRIPT_FLAG.NO_WRITES],
  ['allow-oom', SCRIPT_FLAG.ALLOW_OOM],
  ['allow-stale', SCRIPT_FLAG.ALLOW_STALE],
  ['no-cluster', SCRIPT_FLAG.NO_CLUSTER],
  ['allow-cross-slot-keys', SCRIPT_FLAG.ALLOW_CROSS_SLOT],
];

export const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/** What starts a run: the function to call is pushed on the run's thread by `push`, which returns its argument count. */
export interface RunRequest {
  caller: CommandContext;
  /** The SHA of an EVAL script, the name of a function (FUNCTION STATS, errors, logs). */
  name: string;
  isEval: boolean;
  /** The script's flags (SCRIPT_FLAG bits). */
  flags: number;
  /** EVAL_RO, EVALSHA_RO, FCALL_RO. */
  readOnlyCommand: boolean;
  /** The Lua state the function lives in. */
  state: LuaState;
  push(thread: LuaState): number;
  /** The command as the caller sent it (FUNCTION STATS shows it): valid while the run's first slice runs. */
  argv: readonly Buffer[];
}

/** One script invocation while it runs (Redis's scriptRunCtx). */
export class ScriptRun {
  /** Writes are refused (no-writes flag, *_RO commands). */
  readonly readOnly: boolean;
  readonly allowOom: boolean;
  /** The script already ran a write command: it can no longer be killed. */
  writeDirty = false;
  killed = false;
  /** Past busy-reply-threshold: other clients get BUSY. */
  timedOut = false;
  /** The caller is held (blocked) while the script runs across event-loop turns. */
  suspended = false;
  /** The caller's command, copied when the run is first suspended (FUNCTION STATS). */
  argv: readonly Buffer[];
  /** RESP version of the replies redis.call returns (redis.setresp). */
  resp: 2 | 3 = 2;
  /** redis.set_repl flags (PROPAGATE_AOF | PROPAGATE_REPL). */
  replFlags = 3;
  /** performance.now() at start, and at the start of the current slice of execution. */
  readonly startedAt = performance.now();
  sliceStartedAt = this.startedAt;
  /** What Keyspace.freezeClock returned at the start: TTLs are judged at the script's start time. */
  clock = 0;
  /** busy-reply-threshold when the run started (ms; 0: never BUSY). */
  threshold = 0;
  /** The caller could not be held (MULTI, AOF, master link): the script runs to its end at once. */
  readonly mustRunToEnd: boolean;

  constructor(readonly request: RunRequest, readonly thread: LuaState) {
    const flags = request.flags;
    const compat = (flags & SCRIPT_FLAG.EVAL_COMPAT_MODE) !== 0;
    this.readOnly = request.readOnlyCommand || (!compat && (flags & SCRIPT_FLAG.NO_WRITES) !== 0);
    this.allowOom = !compat && (flags & SCRIPT_FLAG.ALLOW_OOM) !== 0;
    this.mustRunToEnd = request.caller.blockingDenied || request.caller.isInternal || request.caller.isBlocked;
    this.argv = request.argv;
  }

  get caller(): CommandContext {
    return this.request.caller;
  }
}
