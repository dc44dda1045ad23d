import { stringFormat } from './lib-string-format';
import { raiseLuaError } from './lua-helpers';
import { lauxlib, lua, luaBytes, type LuaCFunction, type LuaState } from './lua-runtime';

/**
 * What Lua 5.1 scripts find that Lua 5.3 lacks (or has elsewhere): `unpack`, `loadstring`,
 * `gcinfo`, an `error` that positions number messages as 5.1 does, 5.1's `string.format`, `table.getn/maxn/foreach/foreachi`, `math.mod/pow/log10/
 * ldexp/frexp/cosh/sinh/tanh`, `string.gfind`, `collectgarbage` (fengari has no GC control) and
 * `_VERSION` "Lua 5.1". `load` and `loadstring` refuse binary chunks, as Redis 7.0 does.
 * Redis 7.0.15 has no `getfenv`, `setfenv` or `newproxy`, and neither has this; the names 5.3
 * added (string.pack, table.move, math.type ...) are removed.
 */

const PRELUDE = `
local rawload, tunpack, pairs, ipairs, select, rawset, G = load, table.unpack, pairs, ipairs, select, rawset, _G
rawset(G, 'unpack', tunpack)
rawset(G, 'load', function(chunk, name) return rawload(chunk, name, 't') end)
rawset(G, 'loadstring', function(s, name) return rawload(s, name, 't') end)
local t, m, s = table, math, string
t.getn = function(x) return #x end
t.foreach = function(x, f) for k, v in pairs(x) do local r = f(k, v) if r ~= nil then return r end end end
t.foreachi = function(x, f) for i = 1, #x do local r = f(i, x[i]) if r ~= nil then return r end end end
m.mod = m.fmod
m.pow = function(a, b) return a ^ b end
m.log10 = function(a) return m.log(a, 10) end
m.ldexp = function(a, e) return a * 2.0 ^ e end
s.gfind = s.gmatch
-- Lua 5.3 names a 5.1 script never saw (Redis 7.0 has none of them).
s.pack, s.unpack, s.packsize = nil, nil, nil
t.unpack, t.pack, t.move = nil, nil, nil
m.type, m.tointeger, m.ult, m.maxinteger, m.mininteger = nil, nil, nil, nil, nil
coroutine.isyieldable = nil
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
  // Lua 5.1's error: a number message gets the position too (5.3 adds it to strings only).
  [null, 'error', (L) => {
    const level = lauxlib.luaL_optnumber(L, 2, 1);
    lua.lua_settop(L, 1);
    if (lua.lua_isstring(L, 1) && level > 0) {
      lauxlib.luaL_where(L, Math.trunc(level));
      lua.lua_pushvalue(L, 1);
      lua.lua_concat(L, 2);
    }
    return lua.lua_error(L);
  }],
  ['string', 'format', stringFormat],
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
  return message
    .replace(/: syntax error near /, ": '=' expected near ")
    // 5.1 quotes every token it names, <eof> and <name> included.
    .replace(/ near (<eof>|<name>|<number>|<string>|<integer>)$/, " near '$1'")
    .replace(/: (<eof>|<name>|<number>|<string>|<integer>) expected/, ": '$1' expected");
}

const RUNTIME_5_3 = /attempt to (index|call|perform arithmetic on|concatenate|get length of|perform bitwise operation on) a (\w+) value \((local|global|field|upvalue|method|constant) '([^']*)'\)/g;

/**
 * A runtime error as Lua 5.1 words it: "attempt to index local 't' (a nil value)" where 5.3 says
 * "attempt to index a nil value (local 't')".
 */
export function lua51RuntimeMessage(message: string): string {
  if (message.indexOf('attempt to ') < 0) return message;
  return message.replace(RUNTIME_5_3, (_m, op: string, type: string, kind: string, name: string) => `attempt to ${op} ${kind === 'constant' ? 'field' : kind} '${name}' (a ${type} value)`);
}
