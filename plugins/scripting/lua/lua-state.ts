import { createHash } from 'node:crypto';
import { REDIS_VERSION } from 'redix-server';
import { openBit } from './lib-bit';
import { openCjson } from './lib-cjson';
import { openCmsgpack } from './lib-cmsgpack';
import { openStruct } from './lib-struct';
import { pushErrorTable, raiseError } from './lua-errors';
import { setFunctions } from './lua-helpers';
import { installLua51Compat, lua51RuntimeMessage } from './lua51-compat';
import { bufferOf, isTableReadonly, latin1, lauxlib, lua, lualib, luaBytes, setTableReadonly, type LuaCFunction, type LuaState } from './lua-runtime';
import { randomFunctions, type Lrand48 } from './redis-random';

/** What the `redis` table's functions need from the engine running scripts. */
export interface RedisApiHost {
  /** True while a script (or function) runs: redis.call and friends work only then. */
  readonly inScript: boolean;
  /** redis.call (raise = true) and redis.pcall: the arguments are on L's stack. */
  call(L: LuaState, raise: boolean): number;
  /** redis.setresp(2|3): the protocol of the replies redis.call returns. */
  setResp(resp: number): void;
  /** redis.set_repl(flags). */
  setRepl(flags: number): void;
  /** redis.log at Redis's level (0 debug .. 3 warning). */
  log(level: number, message: string): void;
  /** The PRNG behind math.random, shared by every script of the server. */
  readonly random: Lrand48;
}

export const LOG_LEVEL_NAMES = ['debug', 'verbose', 'notice', 'warning'] as const;
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;

const [MAJOR, MINOR, PATCH] = REDIS_VERSION.split('.').map(Number);
const REDIS_VERSION_NUM = (MAJOR << 16) | (MINOR << 8) | PATCH;

/** Redis's global allow list: any other name a library sets while loading is dropped. */
const ALLOWED_GLOBALS = new Set([
  'string', 'cjson', 'bit', 'cmsgpack', 'math', 'table', 'struct',
  'redis', '__redis__err__handler',
  'xpcall', 'tostring', 'getfenv', 'setmetatable', 'next', 'assert', 'tonumber', 'rawequal', 'collectgarbage',
  'getmetatable', 'rawset', 'pcall', 'coroutine', 'type', '_G', 'select', 'unpack', 'gcinfo', 'pairs', 'rawget',
  'loadstring', 'ipairs', '_VERSION', 'setfenv', 'load', 'error', 'newproxy',
]);

/**
 * Redis 7.0's pcall (luaRedisPcall): an error raised as a table `{err=...}` is caught as its
 * message string. Written with a continuation, as Lua 5.3's own pcall, so that a script may still
 * yield (the time limit) inside it, and so that it adds no Lua frame to error positions.
 */
function finishPcall(L: LuaState, status: number): number {
  if (status !== lua.LUA_OK && status !== lua.LUA_YIELD) {
    if (lua.lua_istable(L, -1)) {
      lua.lua_getfield(L, -1, 'err');
      if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
      else lua.lua_pop(L, 1);
    } else if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
      const message = latin1(lua.lua_tolstring(L, -1)!);
      const converted = lua51RuntimeMessage(message);
      if (converted !== message) {
        lua.lua_pop(L, 1);
        lua.lua_pushstring(L, luaBytes(converted));
      }
    }
    lua.lua_pushboolean(L, false);
    lua.lua_insert(L, -2);
    return 2;
  }
  return lua.lua_gettop(L);
}

const redisPcall: LuaCFunction = (L) => {
  lauxlib.luaL_checkany(L, 1);
  lua.lua_pushboolean(L, true);
  lua.lua_insert(L, 1);
  return finishPcall(L, lua.lua_pcallk(L, lua.lua_gettop(L) - 2, lua.LUA_MULTRET, 0, 0, finishPcall));
};

function protectedTableError(L: LuaState): number {
  if (lua.lua_gettop(L) !== 2) lauxlib.luaL_error(L, 'Wrong number of arguments to luaProtectedTableError');
  const t = lua.lua_type(L, -1);
  if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) lauxlib.luaL_error(L, 'Second argument to luaProtectedTableError must be a string or number');
  const name = lua.lua_tolstring(L, -1)!;
  lauxlib.luaL_where(L, 1);
  const where = latin1(lua.lua_tolstring(L, -1)!);
  lua.lua_pushstring(L, luaBytes(`${where}Script attempted to access nonexistent global variable '${latin1(name)}'`));
  return lua.lua_error(L);
}

/** Sets a metatable whose __index raises Redis's "nonexistent global variable" error on the table on top. */
export function setErrorMetatable(L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, protectedTableError);
  lua.lua_setfield(L, -2, '__index');
  lua.lua_setmetatable(L, -2);
}

/** Makes the table on top, every table reachable from it and their metatables read-only. */
export function protectRecursively(L: LuaState): void {
  if (isTableReadonly(L, -1)) return;
  setTableReadonly(L, -1, true);
  lua.lua_checkstack(L, 2);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    if (lua.lua_istable(L, -1)) protectRecursively(L);
    lua.lua_pop(L, 1);
  }
  if (lua.lua_getmetatable(L, -1)) {
    protectRecursively(L);
    lua.lua_pop(L, 1);
  }
}

function allowListNewIndex(log: (message: string) => void): LuaCFunction {
  return (L) => {
    const name = latin1(lua.lua_tolstring(L, 2) ?? new Uint8Array());
    if (ALLOWED_GLOBALS.has(name)) {
      lua.lua_rawset(L, 1);
    } else if (name !== 'dofile' && name !== 'loadfile' && name !== 'print' && name !== 'require' && name !== 'rawlen') {
      log(`A key '${name}' was added to Lua globals which is not on the globals allow list nor listed on the deny list.`);
    }
    return 0;
  };
}

function redisLog(host: RedisApiHost): LuaCFunction {
  return (L) => {
    const argc = lua.lua_gettop(L);
    if (argc < 2) raiseError(L, 'redis.log() requires two arguments or more.');
    if (!lua.lua_isnumber(L, -argc)) raiseError(L, 'First argument must be a number (log level).');
    const level = Math.trunc(lua.lua_tonumber(L, -argc));
    if (level < 0 || level > 3) raiseError(L, 'Invalid debug level.');
    const parts: string[] = [];
    for (let j = 1; j < argc; j++) {
      const s = lua.lua_tolstring(L, -argc + j);
      if (s !== null) parts.push(latin1(s));
    }
    host.log(level, parts.join(' '));
    return 0;
  };
}

/** Sets redis.log, the LOG_* levels and the version fields on the table on top. */
export function registerLogAndVersion(L: LuaState, host: RedisApiHost): void {
  lua.lua_pushcfunction(L, redisLog(host));
  lua.lua_setfield(L, -2, 'log');
  LOG_LEVEL_NAMES.forEach((name, level) => {
    lua.lua_pushnumber(L, level);
    lua.lua_setfield(L, -2, 'LOG_' + name.toUpperCase());
  });
  lua.lua_pushnumber(L, REDIS_VERSION_NUM);
  lua.lua_setfield(L, -2, 'REDIS_VERSION_NUM');
  lua.lua_pushstring(L, luaBytes(REDIS_VERSION));
  lua.lua_setfield(L, -2, 'REDIS_VERSION');
}

function redisFunctions(host: RedisApiHost): [string, LuaCFunction][] {
  return [
    ['call', (L) => host.call(L, true)],
    ['pcall', (L) => host.call(L, false)],
    ['setresp', (L) => {
      if (!host.inScript) raiseError(L, 'redis.setresp can only be called inside a script invocation');
      if (lua.lua_gettop(L) !== 1) raiseError(L, 'redis.setresp() requires one argument.');
      const resp = Math.trunc(lua.lua_tonumber(L, -1));
      if (resp !== 2 && resp !== 3) raiseError(L, 'RESP version must be 2 or 3.');
      host.setResp(resp);
      return 0;
    }],
    ['sha1hex', (L) => {
      if (lua.lua_gettop(L) !== 1) raiseError(L, 'wrong number of arguments');
      const s = lua.lua_tolstring(L, 1) ?? new Uint8Array();
      lua.lua_pushstring(L, luaBytes(createHash('sha1').update(bufferOf(s)).digest('hex')));
      return 1;
    }],
    ['error_reply', (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      const err = latin1(lua.lua_tolstring(L, -1)!);
      pushErrorTable(L, err.startsWith('-') ? err : '-' + err);
      return 1;
    }],
    ['status_reply', (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      lua.lua_newtable(L);
      lua.lua_pushvalue(L, -2);
      lua.lua_setfield(L, -2, 'ok');
      return 1;
    }],
    ['set_repl', (L) => {
      if (!host.inScript) raiseError(L, 'redis.set_repl can only be called inside a script invocation');
      if (lua.lua_gettop(L) !== 1) raiseError(L, 'redis.set_repl() requires two arguments.');
      const flags = Math.trunc(lua.lua_tonumber(L, -1));
      if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) raiseError(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      host.setRepl(flags);
      return 0;
    }],
    ['replicate_commands', (L) => {
      lua.lua_pushboolean(L, true);
      return 1;
    }],
    ['breakpoint', (L) => {
      lua.lua_pushboolean(L, false);
      return 1;
    }],
    ['debug', () => 0],
    ['acl_check_cmd', (L) => {
      if (!host.inScript) raiseError(L, 'redis.acl_check_cmd can only be called inside a script invocation');
      if (lua.lua_gettop(L) === 0) raiseError(L, 'Please specify at least one argument for this redis lib call');
      lua.lua_pushboolean(L, true);
      return 1;
    }],
  ];
}

/**
 * A Lua state as Redis's luaRegisterRedisAPI sets it up: the allowed libraries (base, table,
 * string, math, coroutine, cjson, struct, cmsgpack, bit) and Lua 5.1's names, the `redis` table,
 * Redis's pcall and math.random, and an allow list on the globals (other names are dropped).
 * The caller finishes the protection (error metatable, read-only tables) once it added its own.
 */
export function createRedisState(host: RedisApiHost): LuaState {
  const L = lauxlib.luaL_newstate();
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, allowListNewIndex((m) => host.log(3, m)));
  lua.lua_setfield(L, -2, '__newindex');
  lua.lua_setmetatable(L, -2);
  lua.lua_pop(L, 1);

  lauxlib.luaL_requiref(L, '_G', lualib.luaopen_base, 1);
  lauxlib.luaL_requiref(L, 'table', lualib.luaopen_table, 1);
  lauxlib.luaL_requiref(L, 'string', lualib.luaopen_string, 1);
  lauxlib.luaL_requiref(L, 'math', lualib.luaopen_math, 1);
  lauxlib.luaL_requiref(L, 'coroutine', lualib.luaopen_coroutine, 1);
  lua.lua_settop(L, 0);
  for (const [name, open] of [['cjson', openCjson], ['struct', openStruct], ['cmsgpack', openCmsgpack], ['bit', openBit]] as const) {
    open(L);
    lua.lua_setglobal(L, name);
  }
  installLua51Compat(L);
  lua.lua_pushcfunction(L, redisPcall);
  lua.lua_setglobal(L, 'pcall');

  lua.lua_newtable(L);
  setFunctions(L, redisFunctions(host));
  registerLogAndVersion(L, host);
  const repl: [string, number][] = [['REPL_NONE', 0], ['REPL_AOF', PROPAGATE_AOF], ['REPL_SLAVE', PROPAGATE_REPL], ['REPL_REPLICA', PROPAGATE_REPL], ['REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL]];
  for (const [name, value] of repl) {
    lua.lua_pushnumber(L, value);
    lua.lua_setfield(L, -2, name);
  }
  lua.lua_setglobal(L, 'redis');

  const { random, randomseed } = randomFunctions(host.random, () => host.inScript);
  lua.lua_getglobal(L, 'math');
  lua.lua_pushcfunction(L, random);
  lua.lua_setfield(L, -2, 'random');
  lua.lua_pushcfunction(L, randomseed);
  lua.lua_setfield(L, -2, 'randomseed');
  lua.lua_pop(L, 1);
  return L;
}

/** Pushes the globals table. */
export function pushGlobals(L: LuaState): void {
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
}
