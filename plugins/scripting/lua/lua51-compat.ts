import { raiseLuaError } from './lua-helpers';
import { lauxlib, lua, luaBytes, type LuaCFunction, type LuaState } from './lua-runtime';

/**
 * What Lua 5.1 scripts find that Lua 5.3 lacks (or has elsewhere): `unpack`, `loadstring`,
 * `gcinfo`, `getfenv`, `newproxy`, `table.getn/maxn/foreach/foreachi`, `math.mod/pow/log10/
 * ldexp/frexp/cosh/sinh/tanh`, `string.gfind`, `collectgarbage` (fengari has no GC control) and
 * `_VERSION` "Lua 5.1". `load` and `loadstring` refuse binary chunks, as Redis 7.0 does.
 * `setfenv` cannot be had on Lua 5.3's `_ENV` upvalues: it raises an error saying so.
 */

const PRELUDE = `
local rawload, tunpack, pairs, ipairs, select, rawset, G = load, table.unpack, pairs, ipairs, select, rawset, _G
rawset(G, 'unpack', tunpack)
rawset(G, 'load', function(chunk, name) return rawload(chunk, name, 't') end)
rawset(G, 'loadstring', function(s, name) return rawload(s, name, 't') end)
rawset(G, 'getfenv', function() return G end)
local t, m, s = table, math, string
t.getn = function(x) return #x end
t.foreach = function(x, f) for k, v in pairs(x) do local r = f(k, v) if r ~= nil then return r end end end
t.foreachi = function(x, f) for i = 1, #x do local r = f(i, x[i]) if r ~= nil then return r end end end
m.mod = m.fmod
m.pow = function(a, b) return a ^ b end
m.log10 = function(a) return m.log(a, 10) end
m.ldexp = function(a, e) return a * 2.0 ^ e end
s.gfind = s.gmatch
`;

const JS_FUNCTIONS: readonly (readonly [string | null, string, LuaCFunction])[] = [
  [null, 'gcinfo', (L) => {
    lua.lua_pushnumber(L, 32);
    return 1;
  }],
  [null, 'collectgarbage', (L) => {
    const opt = lua.lua_type(L, 1) <= lua.LUA_TNIL ? 'collect' : Buffer.from(lauxlib.luaL_checklstring(L, 1)).toString('latin1');
    if (!['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'].includes(opt)) {
      lauxlib.luaL_argerror(L, 1, `invalid option '${opt}'`);
    }
    lua.lua_pushnumber(L, opt === 'count' ? 32 : 0);
    return 1;
  }],
  [null, 'setfenv', (L) => raiseLuaError(L, 'setfenv is not supported by this Lua engine')],
  [null, 'newproxy', (L) => {
    lua.lua_settop(L, 1);
    lua.lua_newuserdata(L, 0);
    if (lua.lua_toboolean(L, 1)) {
      lua.lua_newtable(L);
      lua.lua_setmetatable(L, -2);
    }
    return 1;
  }],
  ['table', 'maxn', (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    let max = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, 1)) {
      lua.lua_pop(L, 1);
      if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) {
        const v = lua.lua_tonumber(L, -1);
        if (v > max) max = v;
      }
    }
    lua.lua_pushnumber(L, max);
    return 1;
  }],
  ['table', 'setn', (L) => raiseLuaError(L, "'setn' is obsolete")],
  ['math', 'frexp', (L) => {
    const x = lauxlib.luaL_checknumber(L, 1);
    let e = 0;
    let mant = x;
    if (x !== 0 && Number.isFinite(x)) {
      e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
      mant = x * 2 ** -e;
      while (Math.abs(mant) < 0.5) { mant *= 2; e--; }
      while (Math.abs(mant) >= 1) { mant /= 2; e++; }
    }
    lua.lua_pushnumber(L, mant);
    lua.lua_pushnumber(L, e);
    return 2;
  }],
  ['math', 'cosh', (L) => { lua.lua_pushnumber(L, Math.cosh(lauxlib.luaL_checknumber(L, 1))); return 1; }],
  ['math', 'sinh', (L) => { lua.lua_pushnumber(L, Math.sinh(lauxlib.luaL_checknumber(L, 1))); return 1; }],
  ['math', 'tanh', (L) => { lua.lua_pushnumber(L, Math.tanh(lauxlib.luaL_checknumber(L, 1))); return 1; }],
];

/** Adds the Lua 5.1 names to a state whose base, table, string and math libraries are open. */
export function installLua51Compat(L: LuaState): void {
  for (const [lib, name, f] of JS_FUNCTIONS) {
    if (lib === null) {
      lua.lua_pushcfunction(L, f);
      lua.lua_setglobal(L, name);
    } else {
      lua.lua_getglobal(L, lib);
      lua.lua_pushcfunction(L, f);
      lua.lua_setfield(L, -2, name);
      lua.lua_pop(L, 1);
    }
  }
  lua.lua_pushstring(L, luaBytes('Lua 5.1'));
  lua.lua_setglobal(L, '_VERSION');
  if (lauxlib.luaL_loadbufferx(L, luaBytes(PRELUDE), null, '=lua51-compat', 't') !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    throw new Error(`Lua 5.1 compatibility prelude failed: ${Buffer.from(lua.lua_tolstring(L, -1) ?? new Uint8Array()).toString('latin1')}`);
  }
}

/**
 * A compile error as Lua 5.1 words it: a statement that is neither a call nor an assignment is
 * "'=' expected near ..." in 5.1 (it parses an assignment and misses the '='), "syntax error
 * near ..." in 5.3, naming the same token.
 */
export function lua51SyntaxMessage(message: string): string {
  return message.replace(/: syntax error near /, ": '=' expected near ");
}
