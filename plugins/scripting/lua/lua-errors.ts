import { lua, luaBytes, latin1, type LuaState } from './lua-runtime';

/**
 * Pushes an error table `{err = "CODE message"}`, as Redis's luaPushErrorBuff: a "-CODE msg"
 * string keeps its code, a plain message gets "ERR"; trailing CR/LF are trimmed.
 */
export function pushErrorTable(L: LuaState, error: string): void {
  let code = 'ERR';
  let msg = error;
  if (error.charCodeAt(0) === 45 /* '-' */) {
    const space = error.indexOf(' ');
    if (space < 0) {
      msg = error.slice(1);
    } else {
      code = error.slice(1, space);
      msg = error.slice(space + 1);
    }
  }
  msg = trimCrLf(msg);
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushstring(L, luaBytes(`${code} ${msg}`));
  lua.lua_setfield(L, -2, ERR);
}

/** pushErrorTable, marked as already counted in the error statistics (a command's own error reply). */
export function pushCountedErrorTable(L: LuaState, error: string): void {
  pushErrorTable(L, error);
  lua.lua_pushboolean(L, true);
  lua.lua_setfield(L, -2, IGNORE_STATS);
}

/** Pushes an error table and raises it (Redis's luaPushError + luaError). */
export function raiseError(L: LuaState, error: string): never {
  pushErrorTable(L, error);
  return lua.lua_error(L);
}

/** What Redis's luaExtractErrorInformation reads from an error value (a table or a string). */
export interface ErrorInformation {
  msg: string | null;
  source: string | null;
  line: string | null;
  ignoreStats: boolean;
}

export function extractErrorInformation(L: LuaState, idx: number): ErrorInformation {
  const info: ErrorInformation = { msg: null, source: null, line: null, ignoreStats: false };
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) {
    info.msg = 'ERR ' + latin1(lua.lua_tolstring(L, idx)!);
    return info;
  }
  if (t !== lua.LUA_TTABLE) return info;
  const abs = lua.lua_absindex(L, idx);
  info.msg = stringField(L, abs, ERR);
  info.source = stringField(L, abs, SOURCE);
  info.line = stringField(L, abs, LINE);
  lua.lua_getfield(L, abs, IGNORE_STATS);
  if (lua.lua_type(L, -1) === lua.LUA_TBOOLEAN) info.ignoreStats = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  return info;
}

function stringField(L: LuaState, idx: number, name: Uint8Array): string | null {
  lua.lua_getfield(L, idx, name);
  const t = lua.lua_type(L, -1);
  const value = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? latin1(lua.lua_tolstring(L, -1)!) : null;
  lua.lua_pop(L, 1);
  return value;
}

export function trimCrLf(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 13 || s.charCodeAt(start) === 10)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 13 || s.charCodeAt(end - 1) === 10)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const ERR = luaBytes('err');
const SOURCE = luaBytes('source');
const LINE = luaBytes('line');
const IGNORE_STATS = luaBytes('ignore_error_stats_update');
