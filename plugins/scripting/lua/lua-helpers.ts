import { lauxlib, lua, luaBytes, type LuaCFunction, type LuaState, type LuaString } from './lua-runtime';

/**
 * luaL_error with a message built in JavaScript (fengari's own formats its message as UTF-8):
 * the position of the calling Lua code ("user_script:1: ") and the message, raised as a string.
 */
export function raiseLuaError(L: LuaState, message: string): never {
  lauxlib.luaL_where(L, 1);
  const where = lua.lua_tolstring(L, -1)!;
  lua.lua_pop(L, 1);
  lua.lua_pushstring(L, concatBytes(where, luaBytes(message)));
  return lua.lua_error(L);
}

export function concatBytes(a: LuaString, b: LuaString): LuaString {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Sets `fields` as functions of the table on top of the stack. */
export function setFunctions(L: LuaState, fields: readonly (readonly [string, LuaCFunction])[]): void {
  for (const [name, f] of fields) {
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, name);
  }
}

/** Pushes a JS latin1 string as a Lua string. */
export function pushLatin1(L: LuaState, s: string): void {
  lua.lua_pushstring(L, luaBytes(s));
}

/** Pushes bytes as a Lua string (an empty one too: fengari's pushstring of an empty array is fine). */
export function pushBytes(L: LuaState, bytes: Uint8Array): void {
  lua.lua_pushstring(L, bytes);
}
