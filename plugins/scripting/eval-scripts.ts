import { createHash } from 'node:crypto';
import { lua51SyntaxMessage } from './lua/lua51-compat';
import { lua51Source } from './lua/lua51-source';
import { latin1, lauxlib, lua, luaBytes, setTableReadonly, type LuaState } from './lua/lua-runtime';
import { createRedisState, protectRecursively, pushGlobals, setErrorMetatable } from './lua/lua-state';
import type { ScriptRunner } from './script-runner';
import { parseEvalShebang } from './shebang';

/** A script of the EVAL cache: its body (to propagate or inspect) and its shebang flags. */
export interface CachedScript {
  readonly sha: string;
  readonly body: Buffer;
  readonly flags: number;
  /** Where its compiled function is kept: a reference in the registry (an integer key, no string to hash per call). */
  readonly ref: number;
}

export type CreateResult = { ok: true; script: CachedScript } | { ok: false; error: string };

export function sha1hex(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Bytes of a dictEntry and a luaScript, as INFO's used_memory_scripts_eval counts them. */
const ENTRY_OVERHEAD = 24 + 16;

/**
 * The EVAL engine (Redis's eval.c): one Lua state whose globals are locked, and the cache of
 * scripts by SHA1. SCRIPT FLUSH replaces the whole state, as Redis's scriptingReset does.
 */
export class EvalScripts {
  /** Created on first use (a server that never runs a script pays nothing), replaced by SCRIPT FLUSH. */
  private state: LuaState | null = null;
  /** Registry references of the strings "KEYS" and "ARGV": pushing them reuses the strings. */
  private keysName = 0;
  private argvName = 0;
  private readonly scripts = new Map<string, CachedScript>();
  private bodyBytes = 0;

  constructor(private readonly runner: ScriptRunner) {}

  get L(): LuaState {
    return (this.state ??= this.createState());
  }

  private createState(): LuaState {
    const L = createRedisState(this.runner);
    // Redis keeps its pcall error handler here; scripts see the name (and may call it).
    lua.lua_pushcfunction(L, (S) => {
      lua.lua_settop(S, 1);
      return 1;
    });
    lua.lua_setglobal(L, '__redis__err__handler');
    lua.lua_pushstring(L, KEYS);
    this.keysName = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_pushstring(L, ARGV);
    this.argvName = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    pushGlobals(L);
    setErrorMetatable(L);
    protectRecursively(L);
    lua.lua_pop(L, 1);
    return L;
  }

  get size(): number {
    return this.scripts.size;
  }

  /** used_memory_scripts_eval: the bodies, their SHAs and the dictionary that holds them. */
  get memory(): number {
    const n = this.scripts.size;
    if (n === 0) return 0;
    let slots = 4;
    while (slots < n) slots *= 2;
    return this.bodyBytes + n * (48 + ENTRY_OVERHEAD) + slots * 8;
  }

  get(sha: string): CachedScript | undefined {
    return this.scripts.get(sha.toLowerCase());
  }

  /** luaCreateFunction: compiles and caches a body, or gives Redis's error text for it. */
  create(body: Buffer): CreateResult {
    const sha = sha1hex(body);
    const existing = this.scripts.get(sha);
    if (existing !== undefined) return { ok: true, script: existing };
    const shebang = parseEvalShebang(latin1(body));
    if (!shebang.ok) return { ok: false, error: 'ERR ' + shebang.error };
    const L = this.L;
    // The shebang line is skipped, its line feed kept, so line numbers stay the user's.
    const code = lua51Source(body.subarray(shebang.shebangLength));
    if (lauxlib.luaL_loadbufferx(L, code, code.length, '@user_script', 't') !== lua.LUA_OK) {
      const message = lua51SyntaxMessage(latin1(lua.lua_tolstring(L, -1) ?? new Uint8Array()));
      lua.lua_pop(L, 1);
      return { ok: false, error: `ERR Error compiling script (new function): ${message}` };
    }
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const script: CachedScript = { sha, body: Buffer.from(body), flags: shebang.flags, ref };
    this.scripts.set(sha, script);
    this.bodyBytes += body.length;
    return { ok: true, script };
  }

  /** Sets the KEYS and ARGV globals (the globals are unlocked just for that). */
  setKeysAndArgs(keys: readonly Buffer[], args: readonly Buffer[]): void {
    const L = this.L;
    pushGlobals(L);
    setTableReadonly(L, -1, false);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.keysName);
    pushArray(L, keys);
    lua.lua_rawset(L, -3);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.argvName);
    pushArray(L, args);
    lua.lua_rawset(L, -3);
    setTableReadonly(L, -1, true);
    lua.lua_pop(L, 1);
  }

  /** SCRIPT FLUSH: a new Lua state and an empty cache. */
  flush(): void {
    this.scripts.clear();
    this.bodyBytes = 0;
    this.state = null;
  }
}

const KEYS = luaBytes('KEYS');
const ARGV = luaBytes('ARGV');

/** Pushes a Lua array of strings. */
export function pushArray(L: LuaState, items: readonly Buffer[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let j = 0; j < items.length; j++) {
    lua.lua_pushstring(L, items[j]);
    lua.lua_rawseti(L, -2, j + 1);
  }
}
