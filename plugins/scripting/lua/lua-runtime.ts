import { createRequire } from 'node:module';
import { formatLua51Number } from './lua-number-format';

/**
 * fengari (Lua 5.3 in plain JavaScript), loaded once with the changes that make it look like the
 * Lua 5.1 Redis embeds, as scripts observe it:
 *
 * - numbers are doubles only: every integer fengari would make (literals, `#t`, library results,
 *   integer arithmetic) is a float, so `tostring(10/2)` is "5", `2147483647 + 1` does not wrap
 *   (fengari's integers are 32-bit) and nothing prints "5.0";
 * - numbers print as Lua 5.1's `%.14g` (fengari would print JavaScript's shortest form);
 * - hooks stay on after an error caught by pcall (a fengari bug would turn them off);
 * - tables can be made read-only, as Redis's patched Lua does for the globals and libraries:
 *   any store into one (including `rawset` and `setmetatable`) raises "Attempt to modify a
 *   readonly table".
 *
 * The patches go into fengari's own modules before the rest of it reads them, which is why this
 * file loads it with `require` in a fixed order instead of importing it.
 */

/** A Lua state or thread (fengari's lua_State). */
export interface LuaState {
  readonly __luaState: true;
}
/** fengari's strings are byte arrays. */
export type LuaString = Uint8Array;
export type LuaCFunction = (L: LuaState) => number;
export type LuaHook = (L: LuaState, ar: LuaDebug) => void;

export interface LuaDebug {
  what: LuaString | null;
  source: LuaString | null;
  currentline: number;
  name: LuaString | null;
}

/** The part of fengari's `lua` API the engine uses. */
export interface LuaApi {
  LUA_OK: number; LUA_YIELD: number; LUA_ERRRUN: number; LUA_ERRSYNTAX: number; LUA_ERRMEM: number; LUA_ERRERR: number;
  LUA_TNONE: number; LUA_TNIL: number; LUA_TBOOLEAN: number; LUA_TLIGHTUSERDATA: number; LUA_TNUMBER: number;
  LUA_TSTRING: number; LUA_TTABLE: number; LUA_TFUNCTION: number; LUA_TUSERDATA: number; LUA_TTHREAD: number;
  LUA_REGISTRYINDEX: number; LUA_RIDX_GLOBALS: number; LUA_MULTRET: number; LUA_MASKCOUNT: number; LUA_MASKLINE: number;
  lua_Debug: new () => LuaDebug;
  lua_absindex(L: LuaState, idx: number): number;
  lua_gettop(L: LuaState): number;
  lua_settop(L: LuaState, idx: number): void;
  lua_pop(L: LuaState, n: number): void;
  lua_concat(L: LuaState, n: number): void;
  lua_pushvalue(L: LuaState, idx: number): void;
  lua_insert(L: LuaState, idx: number): void;
  lua_remove(L: LuaState, idx: number): void;
  lua_replace(L: LuaState, idx: number): void;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_type(L: LuaState, idx: number): number;
  lua_isstring(L: LuaState, idx: number): boolean;
  lua_isnumber(L: LuaState, idx: number): boolean;
  lua_istable(L: LuaState, idx: number): boolean;
  lua_isfunction(L: LuaState, idx: number): boolean;
  lua_isnil(L: LuaState, idx: number): boolean;
  lua_tonumber(L: LuaState, idx: number): number;
  lua_tonumberx(L: LuaState, idx: number, isnum: null): number | false;
  lua_toboolean(L: LuaState, idx: number): boolean;
  lua_tolstring(L: LuaState, idx: number): LuaString | null;
  lua_tothread(L: LuaState, idx: number): LuaState;
  lua_rawlen(L: LuaState, idx: number): number;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean | number): void;
  lua_pushstring(L: LuaState, s: LuaString | string): LuaString;
  lua_pushliteral(L: LuaState, s: string): LuaString;
  lua_pushlightuserdata(L: LuaState, p: object): void;
  lua_pushcfunction(L: LuaState, f: LuaCFunction): void;
  lua_pushcclosure(L: LuaState, f: LuaCFunction, n: number): void;
  lua_newtable(L: LuaState): void;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_newuserdata(L: LuaState, size: number): unknown;
  lua_newthread(L: LuaState): LuaState;
  lua_getfield(L: LuaState, idx: number, k: LuaString | string): number;
  lua_setfield(L: LuaState, idx: number, k: LuaString | string): void;
  lua_getglobal(L: LuaState, name: LuaString | string): number;
  lua_setglobal(L: LuaState, name: LuaString | string): void;
  lua_gettable(L: LuaState, idx: number): number;
  lua_settable(L: LuaState, idx: number): void;
  lua_rawget(L: LuaState, idx: number): number;
  lua_rawset(L: LuaState, idx: number): void;
  lua_rawgeti(L: LuaState, idx: number, n: number): number;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_next(L: LuaState, idx: number): boolean;
  lua_getmetatable(L: LuaState, idx: number): boolean;
  lua_setmetatable(L: LuaState, idx: number): void;
  lua_error(L: LuaState): never;
  lua_call(L: LuaState, nargs: number, nresults: number): void;
  lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  lua_pcallk(L: LuaState, nargs: number, nresults: number, msgh: number, ctx: number, k: (L: LuaState, status: number, ctx: number) => number): number;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_yield(L: LuaState, n: number): number;
  lua_isyieldable(L: LuaState): boolean;
  lua_status(L: LuaState): number;
  lua_sethook(L: LuaState, f: LuaHook | null, mask: number, count: number): void;
  lua_getstack(L: LuaState, level: number, ar: LuaDebug): boolean;
  lua_getinfo(L: LuaState, what: LuaString | string, ar: LuaDebug): boolean;
  lua_topointer(L: LuaState, idx: number): unknown;
  lua_touserdata(L: LuaState, idx: number): unknown;
  lua_rawequal(L: LuaState, a: number, b: number): boolean;
  lua_upvalueindex(i: number): number;
  lua_xmove(from: LuaState, to: LuaState, n: number): void;
}

export interface LauxlibApi {
  luaL_newstate(): LuaState;
  luaL_loadbufferx(L: LuaState, buf: LuaString, size: number | null, name: LuaString | string, mode: LuaString | string | null): number;
  luaL_error(L: LuaState, fmt: LuaString | string, ...args: unknown[]): never;
  luaL_argerror(L: LuaState, arg: number, msg: LuaString | string): never;
  luaL_checkinteger(L: LuaState, arg: number): number;
  luaL_checknumber(L: LuaState, arg: number): number;
  luaL_optnumber(L: LuaState, arg: number, def: number): number;
  luaL_checklstring(L: LuaState, arg: number): LuaString;
  luaL_optlstring(L: LuaState, arg: number, def: LuaString | null): LuaString | null;
  luaL_checktype(L: LuaState, arg: number, t: number): void;
  luaL_checkany(L: LuaState, arg: number): void;
  luaL_checkstack(L: LuaState, n: number, msg: LuaString | string | null): void;
  luaL_ref(L: LuaState, t: number): number;
  luaL_unref(L: LuaState, t: number, ref: number): void;
  luaL_requiref(L: LuaState, name: LuaString | string, open: LuaCFunction, glb: number): void;
  luaL_tolstring(L: LuaState, idx: number): LuaString;
  luaL_typename(L: LuaState, idx: number): LuaString;
  luaL_where(L: LuaState, level: number): void;
}

export interface LualibApi {
  luaopen_base: LuaCFunction;
  luaopen_table: LuaCFunction;
  luaopen_string: LuaCFunction;
  luaopen_math: LuaCFunction;
  luaopen_debug: LuaCFunction;
  luaopen_coroutine: LuaCFunction;
}

interface LuaTable {
  readonly?: boolean;
}
interface TValueLike {
  type: number;
  value: unknown;
}
interface LtableModule {
  luaH_setfrom(L: LuaState, t: LuaTable, key: TValueLike, value: TValueLike): void;
}
interface LdebugModule {
  luaG_runerror(L: LuaState, fmt: LuaString, ...args: unknown[]): never;
}

interface LapiPatchable {
  lua_pushinteger: unknown;
  lua_pushnumber: unknown;
  lua_setmetatable(L: LuaState, idx: number): number;
  lua_type(L: LuaState, idx: number): number;
  lua_topointer(L: LuaState, idx: number): unknown;
}

const ERR_READONLY = Buffer.from('Attempt to modify a readonly table', 'latin1');

function load(): { lua: LuaApi; lauxlib: LauxlibApi; lualib: LualibApi; ltableTable: (L: LuaState, idx: number) => LuaTable } {
  const req = createRequire(__filename);
  // Integral floats print without ".0" (LUA_COMPAT_FLOATSTRING); fengari reads this once, at load.
  const previous = process.env.FENGARICONF;
  process.env.FENGARICONF = JSON.stringify({ LUA_COMPAT_FLOATSTRING: true });
  try {
    req('fengari/src/fengaricore.js');
    const conf = req('fengari/src/luaconf.js') as { lua_number2str: (n: number) => string };
    conf.lua_number2str = formatLua51Number;
    const lapi = req('fengari/src/lapi.js') as LapiPatchable;
    lapi.lua_pushinteger = lapi.lua_pushnumber;
    // Redis's Lua refuses a new metatable on a read-only table (setmetatable(_G, nil) must fail).
    const setmetatable = lapi.lua_setmetatable;
    lapi.lua_setmetatable = (L, idx) => {
      if (lapi.lua_type(L, idx) === 5 && (lapi.lua_topointer(L, idx) as LuaTable).readonly === true) {
        (req('fengari/src/ldebug.js') as LdebugModule).luaG_runerror(L, ERR_READONLY);
      }
      return setmetatable(L, idx);
    };
    const fengari = req('fengari') as { lua: LuaApi; lauxlib: LauxlibApi; lualib: LualibApi };
    const defs = req('fengari/src/defs.js') as { constant_types: { LUA_TNUMFLT: number } };
    const lobject = req('fengari/src/lobject.js') as { TValue: { prototype: { setivalue(x: number): void } } };
    const FLT = defs.constant_types.LUA_TNUMFLT;
    lobject.TValue.prototype.setivalue = function setAsFloat(this: TValueLike, x: number): void {
      this.type = FLT;
      this.value = x;
    };
    const ltable = req('fengari/src/ltable.js') as LtableModule;
    const ldebug = req('fengari/src/ldebug.js') as LdebugModule;
    const setfrom = ltable.luaH_setfrom;
    ltable.luaH_setfrom = function readonlyAwareSet(L, t, key, value): void {
      if (t.readonly === true) ldebug.luaG_runerror(L, ERR_READONLY);
      setfrom(L, t, key, value);
    };
    // fengari's yieldable pcall never records that hooks were allowed (`callstatus &= ~OAH |
    // allowhook` cannot set the bit), so after any error a pcall catches inside a coroutine its
    // recovery turns hooks off for good: the time limit and SCRIPT KILL would stop working. The
    // YPCALL bit is always set where that recovery reads OAH, so reading it instead restores
    // "hooks allowed" (scripts never pcall from inside a hook).
    const lstate = req('fengari/src/lstate.js') as { CIST_OAH: number; CIST_YPCALL: number };
    lstate.CIST_OAH = lstate.CIST_YPCALL;
    const lapiIndex = req('fengari/src/lapi.js') as { lua_topointer: (L: LuaState, idx: number) => unknown };
    return {
      lua: fengari.lua,
      lauxlib: fengari.lauxlib,
      lualib: fengari.lualib,
      ltableTable: (L, idx) => lapiIndex.lua_topointer(L, idx) as LuaTable,
    };
  } finally {
    if (previous === undefined) delete process.env.FENGARICONF;
    else process.env.FENGARICONF = previous;
  }
}

const runtime = load();
export const lua: LuaApi = runtime.lua;
export const lauxlib: LauxlibApi = runtime.lauxlib;
export const lualib: LualibApi = runtime.lualib;

/** Makes the table at `idx` read-only (or writable again), as Redis's lua_enablereadonlytable. */
export function setTableReadonly(L: LuaState, idx: number, readonly: boolean): void {
  runtime.ltableTable(L, idx).readonly = readonly;
}

export function isTableReadonly(L: LuaState, idx: number): boolean {
  return runtime.ltableTable(L, idx).readonly === true;
}

/** A byte string for Lua from a latin1 JS string (binary safe, unlike fengari's UTF-8 to_luastring). */
export function luaBytes(s: string): LuaString {
  return Buffer.from(s, 'latin1');
}

/** A Lua string's bytes as a latin1 JS string. */
export function latin1(s: LuaString): string {
  return Buffer.from(s.buffer, s.byteOffset, s.length).latin1Slice(0, s.length);
}

/** A Lua string as a Buffer view (no copy: fengari never changes a string's bytes). */
export function bufferOf(s: LuaString): Buffer {
  return Buffer.from(s.buffer, s.byteOffset, s.length);
}
