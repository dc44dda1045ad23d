import { extractErrorInformation, pushErrorTable, raiseError } from './lua/lua-errors';
import { lua51SyntaxMessage } from './lua/lua51-compat';
import { lua51Source } from './lua/lua51-source';
import { latin1, lauxlib, lua, setTableReadonly, type LuaState } from './lua/lua-runtime';
import { createRedisState, protectRecursively, pushGlobals, registerLogAndVersion, setErrorMetatable } from './lua/lua-state';
import { SCRIPT_FLAG_NAMES } from './script-run';
import type { ScriptRunner } from './script-runner';
import { splitArgs } from './shebang';

export interface FunctionInfo {
  readonly name: string;
  readonly description: string | null;
  readonly flags: number;
  /** luaL_ref of the callback in the functions engine's registry. */
  readonly ref: number;
  readonly library: LibraryInfo;
}

export interface LibraryInfo {
  readonly name: string;
  /** The whole code, shebang included (FUNCTION LIST WITHCODE, DUMP, RDB). */
  readonly code: string;
  readonly functions: Map<string, FunctionInfo>;
}

export type LoadResult = { ok: true; name: string } | { ok: false; error: string };

/** FUNCTION LOAD's time limit for running a library's code (Redis's LOAD_TIMEOUT_MS). */
export const LOAD_TIMEOUT_MS = 500;
const NAME_ERROR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

function validName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

interface LoadContext {
  library: LibraryInfo;
  startedAt: number;
  timeoutMs: number;
}

/**
 * Redis 7 functions (functions.c + function_lua.c): libraries of named functions, loaded into one
 * Lua state of their own. While a library loads, its code sees only `redis.register_function`,
 * `redis.log` and the version fields; its functions later run with the full API. The globals are
 * an empty read-only table whose metatable points at the real (locked) globals, or at the loading
 * API while a library loads. FUNCTION LIST, DUMP and the RDB list libraries in load order.
 */
export class FunctionLibraries {
  /** Created on first use, replaced by FUNCTION FLUSH (and restores). */
  private state: LuaState | null = null;
  readonly libraries = new Map<string, LibraryInfo>();
  /** Every function of every library, by lower-cased name (FCALL names are case-insensitive). */
  readonly functions = new Map<string, FunctionInfo>();
  private loading: LoadContext | null = null;
  private libraryApiRef = 0;
  private globalsRef = 0;

  constructor(private readonly runner: ScriptRunner) {}

  get L(): LuaState {
    return (this.state ??= this.createState());
  }

  private createState(): LuaState {
    const L = createRedisState(this.runner);
    // The loading API: globals with only `redis`, whose only functions are register_function and log.
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    lua.lua_pushcfunction(L, (S) => this.registerFunction(S));
    lua.lua_setfield(L, -2, 'register_function');
    registerLogAndVersion(L, this.runner);
    setErrorMetatable(L);
    lua.lua_setfield(L, -2, 'redis');
    setErrorMetatable(L);
    protectRecursively(L);
    this.libraryApiRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    pushGlobals(L);
    setErrorMetatable(L);
    protectRecursively(L);
    this.globalsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    // The globals code sees: empty and read-only, reading through to the real ones.
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.globalsRef);
    lua.lua_setfield(L, -2, '__index');
    setTableReadonly(L, -1, true);
    lua.lua_setmetatable(L, -2);
    setTableReadonly(L, -1, true);
    lua.lua_rawseti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    return L;
  }

  /** Points the globals' metatable __index at `ref` (the loading API or the real globals). */
  private setGlobalsIndex(ref: number): void {
    const L = this.L;
    pushGlobals(L);
    lua.lua_getmetatable(L, -1);
    setTableReadonly(L, -1, false);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    lua.lua_setfield(L, -2, '__index');
    setTableReadonly(L, -1, true);
    lua.lua_pop(L, 2);
  }

  get functionCount(): number {
    return this.functions.size;
  }

  function(name: string): FunctionInfo | undefined {
    return this.functions.get(name.toLowerCase());
  }

  /**
   * functionsCreateWithLibraryCtx: parses the shebang, runs the library's code to register its
   * functions and adds the library (replacing one of the same name with `replace`). Nothing is
   * left half-registered on an error.
   */
  load(code: string, replace: boolean, timeoutMs: number): LoadResult {
    if (!code.startsWith('#!')) return { ok: false, error: 'ERR Missing library metadata' };
    const end = code.indexOf('\n');
    if (end < 0) return { ok: false, error: 'ERR Invalid library metadata' };
    const parts = splitArgs(code.slice(0, end));
    if (parts === null || parts.length === 0) return { ok: false, error: 'ERR Invalid library metadata' };
    const engine = parts[0].slice(2);
    let name: string | null = null;
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i];
      if (part.slice(0, 5).toLowerCase() === 'name=') {
        if (name !== null) return { ok: false, error: 'ERR Invalid metadata value, name argument was given multiple times' };
        name = part.slice(5);
        continue;
      }
      return { ok: false, error: `ERR Invalid metadata value given: ${part}` };
    }
    if (name === null) return { ok: false, error: 'ERR Library name was not given' };
    if (!validName(name)) return { ok: false, error: 'ERR ' + NAME_ERROR };
    if (engine.toLowerCase() !== 'lua') return { ok: false, error: `ERR Engine '${engine}' not found` };
    const old = this.libraries.get(name);
    if (old !== undefined && !replace) return { ok: false, error: `ERR Library '${name}' already exists` };
    const library: LibraryInfo = { name, code, functions: new Map() };
    const error = this.runLibraryCode(library, code.slice(end), timeoutMs);
    if (error !== null) {
      this.release(library);
      return { ok: false, error };
    }
    if (library.functions.size === 0) return { ok: false, error: 'ERR No functions registered' };
    for (const fn of library.functions.values()) {
      const clash = this.functions.get(fn.name.toLowerCase());
      if (clash !== undefined && clash.library !== old) {
        this.release(library);
        return { ok: false, error: `ERR Function ${fn.name} already exists` };
      }
    }
    if (old !== undefined) this.unlink(old, true);
    this.link(library);
    return { ok: true, name };
  }

  /** luaEngineCreate: compiles and runs the code with the loading API as its globals. */
  private runLibraryCode(library: LibraryInfo, body: string, timeoutMs: number): string | null {
    const L = this.L;
    this.setGlobalsIndex(this.libraryApiRef);
    try {
      if (lauxlib.luaL_loadbufferx(L, lua51Source(Buffer.from(body, 'latin1')), null, '@user_function', 't') !== lua.LUA_OK) {
        const message = lua51SyntaxMessage(latin1(lua.lua_tolstring(L, -1) ?? new Uint8Array()));
        lua.lua_pop(L, 1);
        return `ERR Error compiling function: ${message}`;
      }
      this.loading = { library, startedAt: performance.now(), timeoutMs };
      lua.lua_sethook(L, this.loadHook, lua.LUA_MASKCOUNT, 10000);
      if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
        const info = extractErrorInformation(L, -1);
        lua.lua_pop(L, 1);
        return `ERR Error registering functions: ${info.msg ?? ''}`;
      }
      return null;
    } finally {
      lua.lua_sethook(L, null, 0, 0);
      this.loading = null;
      this.setGlobalsIndex(this.globalsRef);
    }
  }

  private readonly loadHook = (L: LuaState): void => {
    const loading = this.loading;
    if (loading === null || loading.timeoutMs <= 0) return;
    if (performance.now() - loading.startedAt > loading.timeoutMs) {
      lua.lua_sethook(L, this.loadHook, lua.LUA_MASKLINE, 0);
      raiseError(L, 'FUNCTION LOAD timeout');
    }
  };

  /** redis.register_function(name, callback) or redis.register_function{function_name=..., callback=..., flags=..., description=...}. */
  private registerFunction(L: LuaState): number {
    const loading = this.loading;
    if (loading === null) raiseError(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) raiseError(L, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let flags = 0;
    let ref = -1;
    const fail = (message: string): never => {
      if (ref >= 0) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
      pushErrorTable(L, message);
      return lua.lua_error(L);
    };
    if (argc === 1) {
      if (!lua.lua_istable(L, 1)) fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2)) {
        if (!lua.lua_isstring(L, -2)) fail('named argument key given to redis.register_function is not a string');
        const key = latin1(lua.lua_tolstring(L, -2)!).toLowerCase();
        if (key === 'function_name') {
          if (!lua.lua_isstring(L, -1)) fail('function_name argument given to redis.register_function must be a string');
          name = latin1(lua.lua_tolstring(L, -1)!);
        } else if (key === 'description') {
          if (!lua.lua_isstring(L, -1)) fail('description argument given to redis.register_function must be a string');
          description = latin1(lua.lua_tolstring(L, -1)!);
        } else if (key === 'callback') {
          if (!lua.lua_isfunction(L, -1)) fail('callback argument given to redis.register_function must be a function');
          if (ref >= 0) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, ref);
          ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
          continue;
        } else if (key === 'flags') {
          if (!lua.lua_istable(L, -1)) fail('flags argument to redis.register_function must be a table representing function flags');
          const parsed = readFlags(L);
          if (parsed === null) fail('unknown flag given');
          flags = parsed!;
        } else {
          fail('unknown argument given to redis.register_function');
        }
        lua.lua_pop(L, 1);
      }
      if (name === null) fail('redis.register_function must get a function name argument');
      if (ref < 0) fail('redis.register_function must get a callback argument');
    } else {
      if (!lua.lua_isstring(L, 1)) fail('first argument to redis.register_function must be a string');
      name = latin1(lua.lua_tolstring(L, 1)!);
      if (!lua.lua_isfunction(L, 2)) fail('second argument to redis.register_function must be a function');
      ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    }
    const fnName = name!;
    if (!validName(fnName)) fail(NAME_ERROR);
    if (loading!.library.functions.has(fnName)) fail('Function already exists in the library');
    loading!.library.functions.set(fnName, { name: fnName, description, flags, ref, library: loading!.library });
    return 0;
  }

  private link(library: LibraryInfo): void {
    for (const fn of library.functions.values()) this.functions.set(fn.name.toLowerCase(), fn);
    this.libraries.set(library.name, library);
  }

  /** Removes a library from the sets; `free` also drops its functions' references. */
  private unlink(library: LibraryInfo, free: boolean): void {
    for (const fn of library.functions.values()) this.functions.delete(fn.name.toLowerCase());
    this.libraries.delete(library.name);
    if (free) this.release(library);
  }

  private release(library: LibraryInfo): void {
    for (const fn of library.functions.values()) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, fn.ref);
  }

  /** FUNCTION DELETE. */
  delete(name: string): boolean {
    const library = this.libraries.get(name);
    if (library === undefined) return false;
    this.unlink(library, true);
    return true;
  }

  /** FUNCTION FLUSH (and FUNCTION RESTORE FLUSH, a full sync): no libraries, a fresh Lua state. */
  flush(): void {
    this.libraries.clear();
    this.functions.clear();
    this.state = null;
  }

  /**
   * Loads a set of library codes as one (FUNCTION RESTORE, RDB): `mode` 'flush' replaces
   * everything, 'append' fails on a library name already there, 'replace' replaces those. All or
   * nothing: on an error the libraries are as before.
   */
  restore(codes: readonly string[], mode: 'flush' | 'append' | 'replace'): string | null {
    const before = this.codes();
    const rollback = (error: string): string => {
      this.flush();
      for (const code of before) this.load(code, false, 0);
      return error;
    };
    // The payload on its own first, in a fresh state.
    this.flush();
    const names: string[] = [];
    for (const code of codes) {
      const r = this.load(code, false, 0);
      if (!r.ok) return rollback(r.error);
      names.push(r.name);
    }
    if (mode === 'flush') return null;
    // Then joined to what was there (libraryJoin): library names first, then function names.
    this.flush();
    for (const code of before) this.load(code, false, 0);
    if (mode === 'append') {
      const clash = names.find((n) => this.libraries.has(n));
      if (clash !== undefined) return rollback(`ERR Library ${clash} already exists`);
    }
    for (const code of codes) {
      const r = this.load(code, mode === 'replace', 0);
      if (!r.ok) return rollback(r.error);
    }
    return null;
  }

  /** The codes of all libraries, in load order (FUNCTION DUMP, RDB, AOF rewrite). */
  codes(): string[] {
    return [...this.libraries.values()].map((l) => l.code);
  }

  /** Rough bytes for INFO's used_memory_functions. */
  get memory(): number {
    let n = 0;
    for (const library of this.libraries.values()) n += library.code.length + 64 + library.functions.size * 96;
    return n + this.functions.size * 32;
  }
}

/** The flags table of register_function: known names (case-insensitive), or null. */
function readFlags(L: LuaState): number | null {
  let flags = 0;
  for (let j = 1; ; j++) {
    lua.lua_pushnumber(L, j);
    lua.lua_gettable(L, -2);
    const t = lua.lua_type(L, -1);
    if (t === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      return flags;
    }
    if (!lua.lua_isstring(L, -1)) {
      lua.lua_pop(L, 1);
      return null;
    }
    const name = latin1(lua.lua_tolstring(L, -1)!).toLowerCase();
    lua.lua_pop(L, 1);
    const flag = SCRIPT_FLAG_NAMES.find(([n]) => n === name);
    if (flag === undefined) return null;
    flags |= flag[1];
  }
}
