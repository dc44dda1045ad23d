import type { ReplyWriter } from 'redix-server';
import { extractErrorInformation } from './lua-errors';
import { bufferOf, latin1, lua, luaBytes, type LuaState } from './lua-runtime';

/** How deep a returned table may nest before the reply stops with Redis's stack-limit error. */
const MAX_DEPTH = 2000;
const INT64_MIN = -(2n ** 63n);

const ERR = luaBytes('err');
const OK = luaBytes('ok');
const DOUBLE = luaBytes('double');
const BIG_NUMBER = luaBytes('big_number');
const VERBATIM = luaBytes('verbatim_string');
const FORMAT = luaBytes('format');
const STRING = luaBytes('string');
const MAP = luaBytes('map');
const SET = luaBytes('set');

/** Writes an error reply without counting it in the error statistics (it was counted when it happened). */
export function writeUncountedError(reply: ReplyWriter, message: string): void {
  const onError = reply.onError;
  reply.onError = null;
  reply.error(message);
  reply.onError = onError;
  reply.uncountedErrors++;
}

/**
 * Writes the Lua value on top of `L`'s stack as the reply (and pops it), as Redis's
 * luaReplyToRedisReply: strings are bulk strings, numbers integers (truncated), `true` 1 and
 * `false` null (booleans under RESP3 when the script called redis.setresp(3)), `{err=}` an error,
 * `{ok=}` a status, `{double=}`, `{big_number=}`, `{verbatim_string=}`, `{map=}`, `{set=}` their
 * RESP3 types (downgraded for RESP2 clients), any other table an array up to its first nil, and
 * anything else null.
 */
export function writeLuaReply(L: LuaState, reply: ReplyWriter, scriptResp: number, depth = 0): void {
  if (depth > MAX_DEPTH || !lua.lua_checkstack(L, 4)) {
    reply.error('ERR reached lua stack limit');
    lua.lua_pop(L, 1);
    return;
  }
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      reply.bulkBuffer(bufferOf(lua.lua_tolstring(L, -1)!));
      break;
    case lua.LUA_TBOOLEAN:
      if (scriptResp === 2) {
        if (lua.lua_toboolean(L, -1)) reply.integer(1);
        else reply.nullBulk();
      } else if (reply.protocol === 2) {
        reply.integer(lua.lua_toboolean(L, -1) ? 1 : 0);
      } else {
        reply.boolean(lua.lua_toboolean(L, -1));
      }
      break;
    case lua.LUA_TNUMBER:
      reply.integer(truncateToInt64(lua.lua_tonumber(L, -1)));
      break;
    case lua.LUA_TTABLE:
      writeTable(L, reply, scriptResp, depth);
      return;
    default:
      reply.nullBulk();
  }
  lua.lua_pop(L, 1);
}

/** C's (long long) cast of a double on x86-64: truncation, and INT64_MIN for what does not fit. */
export function truncateToInt64(n: number): number | bigint {
  if (!Number.isFinite(n) || n >= 2 ** 63 || n < -(2 ** 63)) return INT64_MIN;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Pushes t[name] (raw) and returns its type. */
function rawField(L: LuaState, name: Uint8Array): number {
  lua.lua_pushstring(L, name);
  lua.lua_rawget(L, -2);
  return lua.lua_type(L, -1);
}

function writeTable(L: LuaState, reply: ReplyWriter, scriptResp: number, depth: number): void {
  if (rawField(L, ERR) === lua.LUA_TSTRING) {
    lua.lua_pop(L, 1);
    const info = extractErrorInformation(L, -1);
    if (info.ignoreStats) writeUncountedError(reply, info.msg ?? '');
    else reply.error(info.msg ?? '');
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, OK) === lua.LUA_TSTRING) {
    reply.status(latin1(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, DOUBLE) === lua.LUA_TNUMBER) {
    reply.double(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, BIG_NUMBER) === lua.LUA_TSTRING) {
    const text = latin1(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' ');
    if (reply.protocol === 2) reply.bulk(text);
    else reply.rawString('(' + text + '\r\n');
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, VERBATIM) === lua.LUA_TTABLE) {
    if (rawField(L, FORMAT) === lua.LUA_TSTRING) {
      const format = lua.lua_tolstring(L, -1)!;
      lua.lua_pushstring(L, STRING);
      lua.lua_rawget(L, -3);
      if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
        writeVerbatim(reply, bufferOf(lua.lua_tolstring(L, -1)!), latin1(format));
        lua.lua_pop(L, 4);
        return;
      }
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
  }
  lua.lua_pop(L, 1);
  if (rawField(L, MAP) === lua.LUA_TTABLE) {
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pop(L, 1);
      n++;
    }
    reply.map(n);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pushvalue(L, -2);
      writeLuaReply(L, reply, scriptResp, depth + 1);
      writeLuaReply(L, reply, scriptResp, depth + 1);
    }
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, SET) === lua.LUA_TTABLE) {
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pop(L, 1);
      n++;
    }
    reply.set(n);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      writeLuaReply(L, reply, scriptResp, depth + 1);
    }
    lua.lua_pop(L, 2);
    return;
  }
  lua.lua_pop(L, 1);
  let length = 0;
  while (lua.lua_rawgeti(L, -1, length + 1) !== lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    length++;
  }
  lua.lua_pop(L, 1);
  reply.array(length);
  for (let j = 1; j <= length; j++) {
    lua.lua_rawgeti(L, -1, j);
    writeLuaReply(L, reply, scriptResp, depth + 1);
  }
  lua.lua_pop(L, 1);
}

function writeVerbatim(reply: ReplyWriter, text: Buffer, format: string): void {
  if (reply.protocol === 2) {
    reply.bulkBuffer(text);
    return;
  }
  reply.rawString(`=${text.length + 4}\r\n${format.slice(0, 3).padEnd(3, ' ')}:`);
  reply.raw(text);
  reply.rawString('\r\n');
}
